package cue

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sync"
)

// The compiled schemas use this small binary form rather than encoding/gob
// or JSON: gob's package initialisation alone costs about a millisecond of
// every run, JSON decoding several, and a Type tree needs only varints,
// strings and floats. The runtime decodes it from the embedded string
// itself: every string it returns is a slice of the embedded data, and the
// types and fields of a schema come from one allocation each (their counts
// head the file). A tree is written depth first; a nil type is the single
// byte 0. The defaults are a value tree in a block of their own, decoded
// only when a lint needs them (detection reads the types alone).

const codecVersion = 2

// type flags
const (
	fInt = 1 << iota
	fMin
	fMax
	fMap // Fields is non-nil (a struct, possibly with no field)
	fOpen
	fElem
)

// value tags (enum values and defaults)
const (
	eFalse = iota
	eTrue
	eString
	eNumber
	eNull
	eList
	eMap
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

// value writes a JSON-like value: nil, bool, float64, string, []any or
// map[string]any (keys sorted).
func (e *encoder) value(v any) error {
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, eNull)
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
	case []any:
		e.b = append(e.b, eList)
		e.uint(uint64(len(v)))
		for _, x := range v {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case map[string]any:
		e.b = append(e.b, eMap)
		keys := sortedKeys(v)
		e.uint(uint64(len(keys)))
		for _, k := range keys {
			e.str(k)
			if err := e.value(v[k]); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	default:
		return fmt.Errorf("value %v of type %T", v, v)
	}
	return nil
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
		switch v.(type) {
		case bool, string, float64:
			if err := e.value(v); err != nil {
				return err
			}
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
		names := sortedKeys(t.Fields)
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

// countTypes returns the number of types and fields of the tree at t.
func countTypes(t *Type) (types, fields int) {
	if t == nil {
		return 0, 0
	}
	types = 1
	for _, f := range t.Fields {
		fields++
		a, b := countTypes(f.Type)
		types, fields = types+a, fields+b
	}
	a, b := countTypes(t.Elem)
	return types + a, fields + b
}

// decoder reads src from i on; the strings it returns are slices of src.
type decoder struct {
	src string
	i   int
	err error
	// types and fields are the slabs the tree's nodes come from.
	types  []Type
	fields []Field
	names  []string
	res    *regexpCache
}

func newDecoder(src string) *decoder { return &decoder{src: src} }

var errTruncated = errors.New("truncated")

func (d *decoder) rest() int { return len(d.src) - d.i }

func (d *decoder) byte() byte {
	if d.err != nil || d.i >= len(d.src) {
		d.err = errTruncated
		return 0
	}
	c := d.src[d.i]
	d.i++
	return c
}

func (d *decoder) uint() uint64 {
	var n uint64
	for shift := 0; d.err == nil; shift += 7 {
		if shift > 63 {
			d.err = errors.New("varint overflow")
			break
		}
		c := d.byte()
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	return 0
}

// len reads a count or a length, at most the bytes left.
func (d *decoder) len() int {
	n := d.uint()
	if n > uint64(d.rest()) {
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
	s := d.src[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) float() float64 {
	if d.err != nil || d.rest() < 8 {
		d.err = errTruncated
		return 0
	}
	s := d.src[d.i : d.i+8]
	d.i += 8
	return math.Float64frombits(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
}

// value reads what encoder.value wrote.
func (d *decoder) value() any {
	switch tag := d.byte(); tag {
	case eNull:
		return nil
	case eFalse:
		return false
	case eTrue:
		return true
	case eString:
		return d.str()
	case eNumber:
		return d.float()
	case eList:
		n := d.len()
		l := make([]any, 0, n)
		for ; n > 0 && d.err == nil; n-- {
			l = append(l, d.value())
		}
		return l
	case eMap:
		n := d.len()
		m := make(map[string]any, n)
		for ; n > 0 && d.err == nil; n-- {
			k := d.str()
			m[k] = d.value()
		}
		return m
	default:
		if d.err == nil {
			d.err = fmt.Errorf("bad value tag %d", tag)
		}
		return nil
	}
}

func (d *decoder) newType() *Type {
	if len(d.types) == 0 {
		d.types = make([]Type, 16)
	}
	t := &d.types[0]
	d.types = d.types[1:]
	return t
}

func (d *decoder) newField() *Field {
	if len(d.fields) == 0 {
		d.fields = make([]Field, 16)
	}
	f := &d.fields[0]
	d.fields = d.fields[1:]
	return f
}

func (d *decoder) typ() *Type {
	if d.byte() == 0 || d.err != nil {
		return nil
	}
	t := d.newType()
	t.Kinds = KindSet(d.byte())
	fl := d.uint()
	t.Int, t.Open = fl&fInt != 0, fl&fOpen != 0
	if n := d.len(); n > 0 {
		t.Enum = make([]any, 0, n)
		for ; n > 0 && d.err == nil; n-- {
			t.Enum = append(t.Enum, d.value())
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
		re, err := d.res.compile(d.str())
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
		if len(d.names) < n {
			d.names = make([]string, max(n, 64))
		}
		t.Names = d.names[:0:n]
		d.names = d.names[n:]
		for ; n > 0 && d.err == nil; n-- {
			f := d.newField()
			f.Name = d.str()
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

// regexpCache compiles each pattern source once per catalog: the schemas
// of several majors share their patterns. It is safe for concurrent use.
type regexpCache struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func (c *regexpCache) compile(src string) (*regexp.Regexp, error) {
	if c == nil {
		return regexp.Compile(src)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.m[src]; ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*regexp.Regexp{}
	}
	c.m[src] = re
	return re, nil
}

// encodeSchema writes the compiled form of s. The defaults are written as
// JSON would give them back (numbers as float64).
func encodeSchema(s *Schema) ([]byte, error) {
	var defs any
	if s.Defaults != nil {
		js, err := json.Marshal(s.Defaults)
		if err != nil {
			return nil, fmt.Errorf("defaults: %w", err)
		}
		if err := json.Unmarshal(js, &defs); err != nil {
			return nil, fmt.Errorf("defaults: %w", err)
		}
	}
	dv := &encoder{}
	if err := dv.value(defs); err != nil {
		return nil, fmt.Errorf("defaults: %w", err)
	}
	e := &encoder{}
	e.uint(codecVersion)
	e.str(s.Chart)
	e.str(s.Major)
	e.uint(uint64(len(s.Releases)))
	for _, r := range s.Releases {
		e.str(r)
	}
	types, fields := countTypes(s.Root)
	e.uint(uint64(types))
	e.uint(uint64(fields))
	e.str(string(dv.b))
	if err := e.typ(s.Root); err != nil {
		return nil, err
	}
	return e.b, nil
}

// decodeSchema reads the compiled form of a schema but its defaults, which
// it returns undecoded (decodeDefaults reads them).
func decodeSchema(src string, res *regexpCache) (*Schema, string, error) {
	d := newDecoder(src)
	d.res = res
	if v := d.uint(); d.err == nil && v != codecVersion {
		return nil, "", fmt.Errorf("compiled form version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	s := &Schema{Chart: d.str(), Major: d.str()}
	if n := d.len(); n > 0 {
		s.Releases = make([]string, 0, n)
		for ; n > 0 && d.err == nil; n-- {
			s.Releases = append(s.Releases, d.str())
		}
	}
	types, fields := d.len(), d.len()
	if d.err == nil {
		d.types, d.fields, d.names = make([]Type, types), make([]Field, fields), make([]string, fields)
	}
	defs := d.str()
	s.Root = d.typ()
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	return s, defs, d.err
}

// decodeDefaults reads the defaults block of a compiled schema.
func decodeDefaults(src string) (map[string]any, error) {
	d := newDecoder(src)
	v := d.value()
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, d.err
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	default:
		return nil, fmt.Errorf("defaults are a %T, not a map", v)
	}
}
