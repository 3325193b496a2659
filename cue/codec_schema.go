package cue

import (
	"errors"
	"fmt"
)

// The schemas' part of the codec: the type pool, the schemas file and the
// defaults blocks (see codec.go for the form).

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
	names := t.Names
	refs := make([]uint64, len(names))
	for i, n := range names {
		r, err := p.intern(t.Fields[i].Type)
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
			m := t.Fields[i].Meta
			for _, s := range []string{n, m.Since, m.Until, m.CLI} {
				e.str(s)
			}
			for _, b := range []bool{m.Dead, m.CLIOnly, m.Secret} {
				e.bool(b)
			}
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
	t := next(&d.types)
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
		if len(d.names) < n {
			d.names = make([]string, max(n, 64))
			d.ptrs = make([]*Field, max(n, 64))
		}
		t.Names, t.Fields = d.names[:0:n], d.ptrs[:0:n]
		d.names, d.ptrs = d.names[n:], d.ptrs[n:]
		if t.Fields == nil {
			t.Fields = []*Field{} // a struct, even without a field
		}
		for ; n > 0 && d.err == nil; n-- {
			f := next(&d.fields)
			f.Name = d.str()
			f.Meta.Since, f.Meta.Until, f.Meta.CLI = d.str(), d.str(), d.str()
			f.Meta.Dead, f.Meta.CLIOnly, f.Meta.Secret = d.byte() == 1, d.byte() == 1, d.byte() == 1
			f.Type = d.ref(pool)
			t.Fields = append(t.Fields, f)
			t.Names = append(t.Names, f.Name)
		}
	}
	if fl&fElem != 0 {
		t.Elem = d.ref(pool)
	}
	return t
}

// encodeDefaults writes s's defaults as JSON would give them back
// (numbers as float64).
func encodeDefaults(s *Schema) ([]byte, error) {
	e := &encoder{}
	if err := e.jsonValue(s.Defaults); err != nil {
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
	d.types, d.fields, d.names, d.ptrs = make([]Type, types), make([]Field, fields), make([]string, fields), make([]*Field, fields)
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
