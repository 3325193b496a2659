package compile

import (
	"fmt"
	"math"
	"regexp"

	cuelang "cuelang.org/go/cue"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// extractor turns CUE values of the dialect into Types.
type extractor struct {
	refs map[string]*cue.Type
}

func (x *extractor) extract(v cuelang.Value) (*cue.Type, error) {
	op, args := v.Expr()
	switch op {
	case cuelang.OrOp:
		t := &cue.Type{}
		for _, a := range args {
			at, err := x.extract(a)
			if err != nil {
				return nil, err
			}
			if err := union(t, at); err != nil {
				return nil, fmt.Errorf("%s: %w", v.Path(), err)
			}
		}
		return t, nil
	case cuelang.AndOp:
		t := &cue.Type{Kinds: cue.AllKinds}
		for _, a := range args {
			at, err := x.extract(a)
			if err != nil {
				return nil, err
			}
			intersect(t, at)
		}
		return t, nil
	case cuelang.SelectorOp:
		name := fmt.Sprint(args[len(args)-1])
		if t, ok := x.refs[name]; ok {
			return t, nil
		}
		t, err := x.extract(cuelang.Dereference(v))
		if err != nil {
			return nil, err
		}
		cp := *t
		cp.Ref = name
		x.refs[name] = &cp
		return &cp, nil
	case cuelang.GreaterThanEqualOp, cuelang.GreaterThanOp, cuelang.LessThanEqualOp, cuelang.LessThanOp:
		f, err := args[0].Float64()
		if err != nil {
			return nil, fmt.Errorf("%s: bound: %w", v.Path(), err)
		}
		t := &cue.Type{Kinds: cue.KindsOf(values.NumberKind)}
		switch op {
		case cuelang.GreaterThanEqualOp:
			t.Min = &f
		case cuelang.GreaterThanOp:
			g := math.Nextafter(f, math.Inf(1))
			t.Min = &g
		case cuelang.LessThanEqualOp:
			t.Max = &f
		case cuelang.LessThanOp:
			g := math.Nextafter(f, math.Inf(-1))
			t.Max = &g
		}
		return t, nil
	case cuelang.RegexMatchOp:
		s, err := args[0].String()
		if err != nil {
			return nil, fmt.Errorf("%s: regexp: %w", v.Path(), err)
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%s: regexp: %w", v.Path(), err)
		}
		return &cue.Type{Kinds: cue.KindsOf(values.StringKind), Patterns: []cue.Pattern{{Regexp: re}}}, nil
	case cuelang.NoOp:
		return x.basic(v)
	}
	return nil, fmt.Errorf("%s: CUE operator %v is outside the schema dialect", v.Path(), op)
}

func (x *extractor) basic(v cuelang.Value) (*cue.Type, error) {
	k := v.IncompleteKind()
	if v.IsConcrete() {
		switch k {
		case cuelang.NullKind:
			return &cue.Type{Kinds: cue.KindsOf(values.NullKind)}, nil
		case cuelang.BoolKind:
			b, _ := v.Bool()
			return &cue.Type{Kinds: cue.KindsOf(values.BoolKind), Enum: []any{b}}, nil
		case cuelang.StringKind:
			s, _ := v.String()
			return &cue.Type{Kinds: cue.KindsOf(values.StringKind), Enum: []any{s}}, nil
		case cuelang.IntKind, cuelang.FloatKind, cuelang.NumberKind:
			f, _ := v.Float64()
			return &cue.Type{Kinds: cue.KindsOf(values.NumberKind), Enum: []any{f}}, nil
		}
	}
	switch k {
	case cuelang.NullKind:
		return &cue.Type{Kinds: cue.KindsOf(values.NullKind)}, nil
	case cuelang.BoolKind:
		return &cue.Type{Kinds: cue.KindsOf(values.BoolKind)}, nil
	case cuelang.IntKind:
		return &cue.Type{Kinds: cue.KindsOf(values.NumberKind), Int: true}, nil
	case cuelang.FloatKind, cuelang.NumberKind:
		return &cue.Type{Kinds: cue.KindsOf(values.NumberKind)}, nil
	case cuelang.StringKind:
		return &cue.Type{Kinds: cue.KindsOf(values.StringKind)}, nil
	case cuelang.TopKind:
		return &cue.Type{Kinds: cue.AllKinds}, nil
	case cuelang.ListKind:
		t := &cue.Type{Kinds: cue.KindsOf(values.ListKind)}
		var err error
		t.Elem, _, err = x.elem(v, cuelang.AnyIndex)
		if err != nil {
			return nil, err
		}
		return t, nil
	case cuelang.StructKind:
		var fields []*cue.Field
		it, err := v.Fields(cuelang.Optional(true))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.Path(), err)
		}
		for it.Next() {
			name := it.Selector().Unquoted()
			ft, err := x.extract(it.Value())
			if err != nil {
				return nil, err
			}
			meta, err := readMeta(it.Value())
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.Value().Path(), err)
			}
			fields = append(fields, &cue.Field{Name: name, Type: ft, Meta: meta})
		}
		t := cue.StructType(fields...)
		// In a definition a struct is closed unless it has a pattern
		// constraint or `...`; both show as a pattern for any string.
		t.Elem, t.Open, err = x.elem(v, cuelang.AnyString)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	return nil, fmt.Errorf("%s: CUE kind %v is outside the schema dialect", v.Path(), k)
}

// elem extracts the type of v's list items (sel cuelang.AnyIndex) or of its
// pattern-constrained values (cuelang.AnyString); found says v has such a
// constraint, and the type is nil when the constraint accepts anything.
func (x *extractor) elem(v cuelang.Value, sel cuelang.Selector) (t *cue.Type, found bool, err error) {
	el := v.LookupPath(cuelang.MakePath(sel))
	if !el.Exists() {
		return nil, false, nil
	}
	t, err = x.extract(el)
	if err != nil || t.Any() {
		return nil, true, err
	}
	return t, true, nil
}

func readMeta(v cuelang.Value) (cue.Meta, error) {
	var m cue.Meta
	a := v.Attribute("px")
	if a.Err() != nil {
		return m, nil
	}
	// since, until and cli take the argument's value; dead, cliOnly and
	// secret are flags.
	texts := map[string]*string{"since": &m.Since, "until": &m.Until, "cli": &m.CLI}
	flags := map[string]*bool{"dead": &m.Dead, "cliOnly": &m.CLIOnly, "secret": &m.Secret}
	for i := 0; i < a.NumArgs(); i++ {
		k, val := a.Arg(i)
		if p, ok := texts[k]; ok {
			*p = val
		} else if p, ok := flags[k]; ok {
			*p = true
		} else {
			return m, fmt.Errorf("unknown @px attribute %q", k)
		}
	}
	return m, nil
}

// union widens t to also accept u (a disjunction).
func union(t, u *cue.Type) error {
	literal := len(u.Enum) > 0
	if literal && (t.Kinds&^cue.KindsOf(values.NullKind) == 0 || len(t.Enum) > 0) {
		t.Enum = append(t.Enum, u.Enum...)
	} else if len(u.Enum) == 0 && u.Kinds&^cue.KindsOf(values.NullKind) != 0 {
		t.Enum = nil // a non-literal branch: anything of its kind
	}
	if u.Kinds.Has(values.MapKind) {
		if t.Fields != nil && u.Fields != nil {
			return fmt.Errorf("two struct branches in one disjunction are outside the schema dialect")
		}
		if u.Fields != nil {
			t.Fields, t.Names, t.Open = u.Fields, u.Names, u.Open
		}
	}
	if u.Elem != nil {
		t.Elem = u.Elem
	}
	if u.Kinds.Has(values.MapKind) && u.Fields == nil && u.Open {
		t.Open = true
	}
	t.Kinds |= u.Kinds
	t.Int = t.Int || u.Int
	t.Min, t.Max = pick(t.Min, u.Min), pick(t.Max, u.Max)
	t.Patterns = append(t.Patterns, u.Patterns...)
	if u.Ref != "" && t.Ref == "" {
		t.Ref = u.Ref
	}
	return nil
}

func pick(a, b *float64) *float64 {
	if a != nil {
		return a
	}
	return b
}

// intersect narrows t to also satisfy u (a conjunction).
func intersect(t, u *cue.Type) {
	t.Kinds &= u.Kinds
	t.Int = t.Int || u.Int
	if len(u.Enum) > 0 {
		t.Enum = u.Enum
	}
	if u.Min != nil && (t.Min == nil || *u.Min > *t.Min) {
		t.Min = u.Min
	}
	if u.Max != nil && (t.Max == nil || *u.Max < *t.Max) {
		t.Max = u.Max
	}
	t.Patterns = append(t.Patterns, u.Patterns...)
	if u.Fields != nil {
		t.Fields, t.Names, t.Open = u.Fields, u.Names, u.Open
	}
	if u.Elem != nil {
		t.Elem = u.Elem
	}
	if u.Ref != "" {
		t.Ref = u.Ref
	}
}
