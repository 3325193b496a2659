package cue

import (
	"fmt"
	"math"
	"regexp"
	"sort"

	cuelang "cuelang.org/go/cue"

	"github.com/pxvalues/pxvalues/values"
)

// KindSet is a set of values.Kind.
type KindSet uint8

// Has reports whether k is in the set.
func (s KindSet) Has(k values.Kind) bool { return s&(1<<k) != 0 }

func kindSet(ks ...values.Kind) KindSet {
	var s KindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// AllKinds accepts any value.
const AllKinds = KindSet(1<<values.NullKind | 1<<values.BoolKind | 1<<values.NumberKind | 1<<values.StringKind | 1<<values.ListKind | 1<<values.MapKind)

// Type is a compiled schema node: what one value may be. It is built once
// per process from the CUE schema (see the dialect in cue/README.md) and is
// safe for concurrent use.
type Type struct {
	// Kinds are the kinds accepted (null is always accepted in our schemas).
	Kinds KindSet `json:"kinds"`
	// Int requires numbers to be integral.
	Int bool `json:"int,omitempty"`
	// Enum, when not empty, lists the only scalars accepted.
	Enum []any `json:"enum,omitempty"`
	// Min and Max bound numbers (inclusive) when not nil.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Patterns are regexps strings must match.
	Patterns []Pattern `json:"patterns,omitempty"`
	// Fields are the keys Polyaxon defines in a map; Names lists them sorted.
	Fields map[string]*Field `json:"fields,omitempty"`
	Names  []string          `json:"-"`
	// Open maps accept keys not in Fields; their values must match Elem.
	Open bool `json:"open,omitempty"`
	// Elem is the type of list items, or of the values of an open map's
	// other keys; nil means anything.
	Elem *Type `json:"elem,omitempty"`
	// Ref names the common definition this type came from ("#PullPolicy").
	Ref string `json:"ref,omitempty"`
}

// Field is a key of a map type.
type Field struct {
	Name string `json:"-"`
	Type *Type  `json:"type"`
	Meta Meta   `json:"meta"`
}

// Meta is what the `@px(...)` attribute says about a key.
type Meta struct {
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
	Dead    bool   `json:"dead,omitempty"`
	CLIOnly bool   `json:"cliOnly,omitempty"`
	CLI     string `json:"cli,omitempty"`
	Secret  bool   `json:"secret,omitempty"`
}

// Any reports whether the type accepts every value.
func (t *Type) Any() bool {
	return t == nil || (t.Kinds == AllKinds && len(t.Enum) == 0 && t.Min == nil && t.Max == nil && len(t.Patterns) == 0 && t.Fields == nil && !t.Int)
}

// Field returns the field named key, or nil.
func (t *Type) Field(key string) *Field {
	if t == nil {
		return nil
	}
	return t.Fields[key]
}

// extractor turns CUE values of the dialect into Types.
type extractor struct {
	refs map[string]*Type
}

func (x *extractor) extract(v cuelang.Value) (*Type, error) {
	op, args := v.Expr()
	switch op {
	case cuelang.OrOp:
		t := &Type{}
		for _, a := range args {
			at, err := x.extract(a)
			if err != nil {
				return nil, err
			}
			if err := t.union(at); err != nil {
				return nil, fmt.Errorf("%s: %w", v.Path(), err)
			}
		}
		return t, nil
	case cuelang.AndOp:
		t := &Type{Kinds: AllKinds}
		for _, a := range args {
			at, err := x.extract(a)
			if err != nil {
				return nil, err
			}
			t.intersect(at)
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
		t := &Type{Kinds: kindSet(values.NumberKind)}
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
		return &Type{Kinds: kindSet(values.StringKind), Patterns: []Pattern{{re}}}, nil
	case cuelang.NoOp:
		return x.basic(v)
	}
	return nil, fmt.Errorf("%s: CUE operator %v is outside the schema dialect", v.Path(), op)
}

func (x *extractor) basic(v cuelang.Value) (*Type, error) {
	k := v.IncompleteKind()
	if v.IsConcrete() {
		switch k {
		case cuelang.NullKind:
			return &Type{Kinds: kindSet(values.NullKind)}, nil
		case cuelang.BoolKind:
			b, _ := v.Bool()
			return &Type{Kinds: kindSet(values.BoolKind), Enum: []any{b}}, nil
		case cuelang.StringKind:
			s, _ := v.String()
			return &Type{Kinds: kindSet(values.StringKind), Enum: []any{s}}, nil
		case cuelang.IntKind, cuelang.FloatKind, cuelang.NumberKind:
			f, _ := v.Float64()
			return &Type{Kinds: kindSet(values.NumberKind), Enum: []any{f}}, nil
		}
	}
	switch k {
	case cuelang.NullKind:
		return &Type{Kinds: kindSet(values.NullKind)}, nil
	case cuelang.BoolKind:
		return &Type{Kinds: kindSet(values.BoolKind)}, nil
	case cuelang.IntKind:
		return &Type{Kinds: kindSet(values.NumberKind), Int: true}, nil
	case cuelang.FloatKind, cuelang.NumberKind:
		return &Type{Kinds: kindSet(values.NumberKind)}, nil
	case cuelang.StringKind:
		return &Type{Kinds: kindSet(values.StringKind)}, nil
	case cuelang.TopKind:
		return &Type{Kinds: AllKinds}, nil
	case cuelang.ListKind:
		t := &Type{Kinds: kindSet(values.ListKind)}
		if el := v.LookupPath(cuelang.MakePath(cuelang.AnyIndex)); el.Exists() {
			et, err := x.extract(el)
			if err != nil {
				return nil, err
			}
			if !et.Any() {
				t.Elem = et
			}
		}
		return t, nil
	case cuelang.StructKind:
		t := &Type{Kinds: kindSet(values.MapKind), Fields: map[string]*Field{}}
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
			t.Fields[name] = &Field{Name: name, Type: ft, Meta: meta}
			t.Names = append(t.Names, name)
		}
		sort.Strings(t.Names)
		// In a definition a struct is closed unless it has a pattern
		// constraint or `...`; both show as a pattern for any string.
		if p := v.LookupPath(cuelang.MakePath(cuelang.AnyString)); p.Exists() {
			t.Open = true
			pt, err := x.extract(p)
			if err != nil {
				return nil, err
			}
			if !pt.Any() {
				t.Elem = pt
			}
		}
		return t, nil
	}
	return nil, fmt.Errorf("%s: CUE kind %v is outside the schema dialect", v.Path(), k)
}

func readMeta(v cuelang.Value) (Meta, error) {
	var m Meta
	a := v.Attribute("px")
	if a.Err() != nil {
		return m, nil
	}
	for i := 0; i < a.NumArgs(); i++ {
		k, val := a.Arg(i)
		switch k {
		case "since":
			m.Since = val
		case "until":
			m.Until = val
		case "dead":
			m.Dead = true
		case "cliOnly":
			m.CLIOnly = true
		case "cli":
			m.CLI = val
		case "secret":
			m.Secret = true
		default:
			return m, fmt.Errorf("unknown @px attribute %q", k)
		}
	}
	return m, nil
}

// union widens t to also accept u (a disjunction).
func (t *Type) union(u *Type) error {
	literal := len(u.Enum) > 0
	if literal && (t.Kinds&^kindSet(values.NullKind) == 0 || len(t.Enum) > 0) {
		t.Enum = append(t.Enum, u.Enum...)
	} else if len(u.Enum) == 0 && u.Kinds&^kindSet(values.NullKind) != 0 {
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
func (t *Type) intersect(u *Type) {
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
