package cue

import (
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// KindSet is a set of values.Kind.
type KindSet uint8

// Has reports whether k is in the set.
func (s KindSet) Has(k values.Kind) bool { return s&(1<<k) != 0 }

// KindsOf returns the set of ks.
func KindsOf(ks ...values.Kind) KindSet {
	var s KindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// AllKinds accepts any value.
const AllKinds = KindSet(1<<values.NullKind | 1<<values.BoolKind | 1<<values.NumberKind | 1<<values.StringKind | 1<<values.ListKind | 1<<values.MapKind)

// Type is a compiled schema node: what one value may be. It is decoded once
// per process from cue/compiled (built from the CUE schema by go generate) (see the dialect in cue/README.md) and is
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
	// Fields are the keys Polyaxon defines in a map, sorted by name (nil
	// for a type that is no struct); Names lists their names in the same
	// order. Look a key up with Field: a sorted slice decodes without the
	// hashing a map costs on every run.
	Fields []*Field `json:"fields,omitempty"`
	Names  []string `json:"-"`
	// Open maps accept keys not in Fields; their values must match Elem.
	Open bool `json:"open,omitempty"`
	// Elem is the type of list items, or of the values of an open map's
	// other keys; nil means anything.
	Elem *Type `json:"elem,omitempty"`
	// Ref names the common definition this type came from ("#PullPolicy").
	Ref string `json:"ref,omitempty"`
}

// StructType returns a map type with fields, sorted by name, and their
// Names.
func StructType(fields ...*Field) *Type {
	t := &Type{Kinds: KindsOf(values.MapKind), Fields: slices.Clone(fields), Names: make([]string, 0, len(fields))}
	if t.Fields == nil {
		t.Fields = []*Field{}
	}
	slices.SortFunc(t.Fields, func(a, b *Field) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range t.Fields {
		t.Names = append(t.Names, f.Name)
	}
	return t
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
	if i, ok := slices.BinarySearch(t.Names, key); ok {
		return t.Fields[i]
	}
	return nil
}
