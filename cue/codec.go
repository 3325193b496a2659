package cue

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
)

// The compiled schemas use this small binary form rather than encoding/gob:
// gob's package initialisation alone costs about a millisecond of every
// run, and a Type tree needs only varints, strings and floats. A tree is
// written depth first; a nil type is the single byte 0.

const codecVersion = 1

// type flags
const (
	fInt = 1 << iota
	fMin
	fMax
	fMap // Fields is non-nil (a struct, possibly with no field)
	fOpen
	fElem
)

// enum value tags
const (
	eFalse = iota
	eTrue
	eString
	eNumber
)

type encoder struct{ b []byte }

func (e *encoder) uint(n uint64)   { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) str(s string)    { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) float(f float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) typ(t *Type) error {
	if t == nil {
		e.b = append(e.b, 0)
		return nil
	}
	e.b = append(e.b, 1, byte(t.Kinds))
	var fl uint64
	for bit, on := range map[uint64]bool{fInt: t.Int, fMin: t.Min != nil, fMax: t.Max != nil, fMap: t.Fields != nil, fOpen: t.Open, fElem: t.Elem != nil} {
		if on {
			fl |= bit
		}
	}
	e.uint(fl)
	e.uint(uint64(len(t.Enum)))
	for _, v := range t.Enum {
		switch v := v.(type) {
		case bool:
			if v {
				e.b = append(e.b, eTrue)
			} else {
				e.b = append(e.b, eFalse)
			}
		case string:
			e.b = append(e.b, eString)
			e.str(v)
		case float64:
			e.b = append(e.b, eNumber)
			e.float(v)
		default:
			return fmt.Errorf("enum value %v of type %T", v, v)
		}
	}
	if t.Min != nil {
		e.float(*t.Min)
	}
	if t.Max != nil {
		e.float(*t.Max)
	}
	e.uint(uint64(len(t.Patterns)))
	for _, p := range t.Patterns {
		e.str(p.String())
	}
	e.str(t.Ref)
	if t.Fields != nil {
		names := make([]string, 0, len(t.Fields))
		for n := range t.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		e.uint(uint64(len(names)))
		for _, n := range names {
			f := t.Fields[n]
			e.str(n)
			m := f.Meta
			e.str(m.Since)
			e.str(m.Until)
			e.str(m.CLI)
			e.bool(m.Dead)
			e.bool(m.CLIOnly)
			e.bool(m.Secret)
			if err := e.typ(f.Type); err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
		}
	}
	if t.Elem != nil {
		return e.typ(t.Elem)
	}
	return nil
}

// decoder reads b; src holds the same bytes as one string, so that the
// strings it returns are slices of it rather than an allocation each.
type decoder struct {
	b   []byte
	src string
	err error
}

func newDecoder(b []byte) *decoder { return &decoder{b: b, src: string(b)} }

var errTruncated = errors.New("truncated")

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errTruncated
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errTruncated
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *decoder) len() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.err = errTruncated
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.len()
	if d.err != nil {
		return ""
	}
	at := len(d.src) - len(d.b)
	d.b = d.b[n:]
	return d.src[at : at+n]
}

// bytes reads a string as a slice of the decoded buffer, without a copy.
func (d *decoder) bytes() []byte {
	n := d.len()
	if d.err != nil {
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) float() float64 {
	if d.err != nil || len(d.b) < 8 {
		d.err = errTruncated
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

func (d *decoder) typ() *Type {
	if d.byte() == 0 || d.err != nil {
		return nil
	}
	t := &Type{Kinds: KindSet(d.byte())}
	fl := d.uint()
	t.Int, t.Open = fl&fInt != 0, fl&fOpen != 0
	for n := d.len(); n > 0 && d.err == nil; n-- {
		switch d.byte() {
		case eFalse:
			t.Enum = append(t.Enum, false)
		case eTrue:
			t.Enum = append(t.Enum, true)
		case eString:
			t.Enum = append(t.Enum, d.str())
		case eNumber:
			t.Enum = append(t.Enum, d.float())
		default:
			d.err = errors.New("bad enum tag")
		}
	}
	if fl&fMin != 0 {
		v := d.float()
		t.Min = &v
	}
	if fl&fMax != 0 {
		v := d.float()
		t.Max = &v
	}
	for n := d.len(); n > 0 && d.err == nil; n-- {
		re, err := regexp.Compile(d.str())
		if err != nil {
			d.err = err
			return nil
		}
		t.Patterns = append(t.Patterns, Pattern{re})
	}
	t.Ref = d.str()
	if fl&fMap != 0 {
		n := d.len()
		t.Fields = make(map[string]*Field, n)
		t.Names = make([]string, 0, n)
		for ; n > 0 && d.err == nil; n-- {
			f := &Field{Name: d.str()}
			f.Meta.Since, f.Meta.Until, f.Meta.CLI = d.str(), d.str(), d.str()
			f.Meta.Dead, f.Meta.CLIOnly, f.Meta.Secret = d.byte() == 1, d.byte() == 1, d.byte() == 1
			f.Type = d.typ()
			t.Fields[f.Name] = f
			t.Names = append(t.Names, f.Name)
		}
	}
	if fl&fElem != 0 {
		t.Elem = d.typ()
	}
	return t
}

// encodeSchema writes the compiled form of s.
func encodeSchema(s *Schema, defaults []byte) ([]byte, error) {
	e := &encoder{}
	e.uint(codecVersion)
	e.str(s.Chart)
	e.str(s.Major)
	e.uint(uint64(len(s.Releases)))
	for _, r := range s.Releases {
		e.str(r)
	}
	e.str(string(defaults))
	if err := e.typ(s.Root); err != nil {
		return nil, err
	}
	return e.b, nil
}

// decodeSchema reads the compiled form of a schema; the defaults stay JSON
// (a slice of b).
func decodeSchema(b []byte) (*Schema, []byte, error) {
	d := newDecoder(b)
	if v := d.uint(); d.err == nil && v != codecVersion {
		return nil, nil, fmt.Errorf("compiled form version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	s := &Schema{Chart: d.str(), Major: d.str()}
	for n := d.len(); n > 0 && d.err == nil; n-- {
		s.Releases = append(s.Releases, d.str())
	}
	defs := d.bytes()
	s.Root = d.typ()
	if d.err == nil && len(d.b) != 0 {
		d.err = errors.New("trailing bytes")
	}
	return s, defs, d.err
}
