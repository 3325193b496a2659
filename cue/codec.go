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
// itself: every string it returns is a slice of the embedded data.
//
// All schemas share one pool of types: a subtree that occurs several times
// (resources, affinity, a section every major keeps) is written, decoded
// and held once (3,131 types in the five schemas, 307 distinct). A pool
// entry names its children by index (0 for nil, i+1 for entry i), always
// an earlier entry, so the pool has no cycle and decodes in one pass; the
// types and fields come from one allocation each (their counts head the
// file). Types are read-only once decoded, so sharing them is safe. Each
// schema's defaults are a value tree in a block of their own, decoded only
// when a lint needs them (detection reads the types alone).

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

// typePool interns type subtrees: entries[i] is the encoding of entry i,
// index its entry by encoding.
type typePool struct {
	entries [][]byte
	index   map[string]uint64
	fields  int
}

// intern adds t's subtree and returns its reference (0 for nil).
func (p *typePool) intern(t *Type) (uint64, error) {
	if t == nil {
		return 0, nil
	}
	names := sortedKeys(t.Fields)
	refs := make([]uint64, len(names))
	for i, n := range names {
		r, err := p.intern(t.Fields[n].Type)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", n, err)
		}
		refs[i] = r
	}
	elem, err := p.intern(t.Elem)
	if err != nil {
		return 0, err
	}
	e := &encoder{}
	e.b = append(e.b, byte(t.Kinds))
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
				return 0, err
			}
		default:
			return 0, fmt.Errorf("enum value %v of type %T", v, v)
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
		e.uint(uint64(len(names)))
		for i, n := range names {
			m := t.Fields[n].Meta
			e.str(n)
			e.str(m.Since)
			e.str(m.Until)
			e.str(m.CLI)
			e.bool(m.Dead)
			e.bool(m.CLIOnly)
			e.bool(m.Secret)
			e.uint(refs[i])
		}
	}
	if t.Elem != nil {
		e.uint(elem)
	}
	if r, ok := p.index[string(e.b)]; ok {
		return r, nil
	}
	p.entries = append(p.entries, e.b)
	p.fields += len(names)
	r := uint64(len(p.entries))
	p.index[string(e.b)] = r
	return r, nil
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

// ref reads a reference to an entry of pool, which holds the entries
// decoded so far.
func (d *decoder) ref(pool []*Type) *Type {
	r := d.uint()
	if d.err != nil || r == 0 {
		return nil
	}
	if r > uint64(len(pool)) {
		d.err = fmt.Errorf("type reference %d of %d", r, len(pool))
		return nil
	}
	return pool[r-1]
}

// entry reads one pool entry.
func (d *decoder) entry(pool []*Type) *Type {
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
			f.Type = d.ref(pool)
			t.Fields[f.Name] = f
			t.Names = append(t.Names, f.Name)
		}
	}
	if fl&fElem != 0 {
		t.Elem = d.ref(pool)
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

// encodeDefaults writes s's defaults as JSON would give them back
// (numbers as float64).
func encodeDefaults(s *Schema) ([]byte, error) {
	var defs any
	if s.Defaults != nil {
		js, err := json.Marshal(s.Defaults)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(js, &defs); err != nil {
			return nil, err
		}
	}
	e := &encoder{}
	if err := e.value(defs); err != nil {
		return nil, err
	}
	return e.b, nil
}

// encodeSchemas writes the compiled form of ss: the type pool, then each
// schema's chart, major, releases, defaults and root.
func encodeSchemas(ss []*Schema) ([]byte, error) {
	p := &typePool{index: map[string]uint64{}}
	roots := make([]uint64, len(ss))
	defs := make([][]byte, len(ss))
	for i, s := range ss {
		var err error
		if roots[i], err = p.intern(s.Root); err != nil {
			return nil, fmt.Errorf("%s %s: %w", s.Chart, s.Major, err)
		}
		if defs[i], err = encodeDefaults(s); err != nil {
			return nil, fmt.Errorf("%s %s defaults: %w", s.Chart, s.Major, err)
		}
	}
	e := &encoder{}
	e.uint(codecVersion)
	e.uint(uint64(len(p.entries)))
	e.uint(uint64(p.fields))
	for _, b := range p.entries {
		e.b = append(e.b, b...)
	}
	e.uint(uint64(len(ss)))
	for i, s := range ss {
		e.str(s.Chart)
		e.str(s.Major)
		e.uint(uint64(len(s.Releases)))
		for _, r := range s.Releases {
			e.str(r)
		}
		e.str(string(defs[i]))
		e.uint(roots[i])
	}
	return e.b, nil
}

// compiledSchema is one decoded schema without its defaults, which stay
// undecoded (decodeDefaults reads them).
type compiledSchema struct {
	s    *Schema
	defs string
}

// decodeSchemas reads the compiled form of the schemas, by "chart/major".
func decodeSchemas(src string, res *regexpCache) (map[string]compiledSchema, error) {
	d := newDecoder(src)
	d.res = res
	if v := d.uint(); d.err == nil && v != codecVersion {
		return nil, fmt.Errorf("compiled form version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	types, fields := d.len(), d.len()
	if d.err != nil {
		return nil, d.err
	}
	d.types, d.fields, d.names = make([]Type, types), make([]Field, fields), make([]string, fields)
	pool := make([]*Type, 0, types)
	for ; types > 0 && d.err == nil; types-- {
		pool = append(pool, d.entry(pool))
	}
	out := map[string]compiledSchema{}
	for n := d.len(); n > 0 && d.err == nil; n-- {
		s := &Schema{Chart: d.str(), Major: d.str()}
		if m := d.len(); m > 0 {
			s.Releases = make([]string, 0, m)
			for ; m > 0 && d.err == nil; m-- {
				s.Releases = append(s.Releases, d.str())
			}
		}
		defs := d.str()
		s.Root = d.ref(pool)
		out[s.Chart+"/"+s.Major] = compiledSchema{s, defs}
	}
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
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
