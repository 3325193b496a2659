package jsonschema

import (
	"math/big"
	"regexp"
)

// Drafts a schema can name in $schema. hybrid, a schema naming none of
// them, reads the keywords of every draft (gojsonschema's Hybrid).
const (
	draft4 = 4
	draft6 = 6
	draft7 = 7
	hybrid = 1 << 30
)

// node is one compiled (sub)schema.
type node struct {
	// pass is set for a boolean schema (draft-06 on): true accepts
	// everything, false nothing.
	pass *bool
	// ref is the schema a $ref points to; the other keywords of a node
	// with a $ref are not read (draft-04 to -07).
	ref *node

	types []string

	props        []property
	propIndex    map[string]bool
	patternProps []patternProperty
	// additionalProperties: addPropsSet with addPropsBool, or addProps.
	addPropsSet   bool
	addPropsBool  bool
	addProps      *node
	propertyNames *node
	required      []string
	deps          []dependency
	minProps      *int
	maxProps      *int

	items       []*node
	itemsSingle bool
	// additionalItems: addItemsSet with addItemsBool, or addItems.
	addItemsSet  bool
	addItemsBool bool
	addItems     *node
	contains     *node
	minItems     *int
	maxItems     *int
	uniqueItems  bool

	minLength *int
	maxLength *int
	pattern   *regexp.Regexp
	format    string

	multipleOf *big.Rat
	minimum    *big.Rat
	maximum    *big.Rat
	exclMin    *big.Rat
	exclMax    *big.Rat

	constVal *string
	enum     []string

	allOf []*node
	anyOf []*node
	oneOf []*node
	not   *node
	ifS   *node
	thenS *node
	elseS *node
}

type property struct {
	name   string
	schema *node
}

type patternProperty struct {
	re     *regexp.Regexp
	schema *node
}

// dependency is one entry of "dependencies": the keys the key requires,
// or a schema the whole map must then pass.
type dependency struct {
	key    string
	keys   []string
	schema *node
}

// children calls fn for every subschema of n with whether it validates the
// same value as n (true: $ref, allOf, anyOf, oneOf, not, if/then/else,
// dependencies) or a part of it.
func (n *node) children(fn func(c *node, same bool)) {
	if n.ref != nil {
		fn(n.ref, true)
	}
	for _, group := range [][]*node{n.allOf, n.anyOf, n.oneOf} {
		for _, c := range group {
			fn(c, true)
		}
	}
	for _, c := range []*node{n.not, n.ifS, n.thenS, n.elseS} {
		if c != nil {
			fn(c, true)
		}
	}
	for _, d := range n.deps {
		if d.schema != nil {
			fn(d.schema, true)
		}
	}
	for _, p := range n.props {
		fn(p.schema, false)
	}
	for _, p := range n.patternProps {
		fn(p.schema, false)
	}
	for _, c := range n.items {
		fn(c, false)
	}
	for _, c := range []*node{n.addProps, n.propertyNames, n.addItems, n.contains} {
		if c != nil {
			fn(c, false)
		}
	}
}
