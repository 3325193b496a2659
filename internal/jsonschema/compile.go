package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// compiler reads one schema document.
type compiler struct {
	doc   any
	draft int
	// resources maps the absolute URI of the document ("") and of every
	// subschema with an id to its JSON.
	resources map[string]any
	// refs maps each absolute $ref compiled so far to its node.
	refs map[string]*node
}

func newCompiler(data []byte) (*compiler, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	c := &compiler{doc: doc, draft: hybrid, resources: map[string]any{"": doc}, refs: map[string]*node{}}
	if m, ok := doc.(map[string]any); ok {
		if s, ok := m["$schema"]; ok {
			str, ok := s.(string)
			if !ok {
				return nil, errors.New("#: $schema must be of type string")
			}
			u, err := url.Parse(str)
			if err != nil {
				return nil, fmt.Errorf("#: $schema: %v", err)
			}
			switch u.String() {
			case "http://json-schema.org/draft-04/schema":
				c.draft = draft4
			case "http://json-schema.org/draft-06/schema":
				c.draft = draft6
			case "http://json-schema.org/draft-07/schema":
				c.draft = draft7
			}
		}
	} else if _, ok := doc.(bool); !ok {
		return nil, errors.New("schema is invalid")
	}
	c.register(doc, &url.URL{})
	return c, nil
}

// sub compiles the subschema v found at loc.
func (c *compiler) sub(v any, loc string) (*node, error) {
	n := &node{}
	if err := c.compileInto(n, v, loc); err != nil {
		return nil, err
	}
	return n, nil
}

// subs compiles an array of subschemas (allOf, anyOf, oneOf).
func (c *compiler) subs(m map[string]any, key, loc string) ([]*node, error) {
	arr, found, err := keyword[[]any](m, key, loc, key+" must be of an array")
	if !found || err != nil {
		return nil, err
	}
	out := make([]*node, 0, len(arr))
	for i, e := range arr {
		n, err := c.sub(e, fmt.Sprintf("%s/%s/%d", loc, key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// optSub compiles the subschema under key (an object, or a boolean from
// draft-06 on), if there is one.
func (c *compiler) optSub(m map[string]any, key, loc string) (*node, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil
	}
	switch v.(type) {
	case map[string]any, bool:
	default:
		return nil, kwErr(loc, key, "%s must be of an object", key)
	}
	return c.sub(v, loc+"/"+escapeToken(key))
}

// keyword returns keyword key of the schema m (at loc) as a T; found is
// false when m has no such keyword. A value of another type is an error
// saying msg.
func keyword[T any](m map[string]any, key, loc, msg string) (v T, found bool, err error) {
	raw, found := m[key]
	if !found {
		return v, false, nil
	}
	v, ok := raw.(T)
	if !ok {
		return v, true, kwErr(loc, key, "%s", msg)
	}
	return v, true, nil
}

// kwErr is a schema error at loc about keyword key.
func kwErr(loc, key, format string, args ...any) error {
	return fmt.Errorf("%s: %s", loc+"/"+escapeToken(key), fmt.Sprintf(format, args...))
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// compileInto reads the schema v (found at loc, a JSON pointer in the
// document, for errors) into n, checking its keywords as gojsonschema
// does.
func (c *compiler) compileInto(n *node, v any, loc string) error {
	if b, ok := v.(bool); ok && c.draft >= draft6 {
		n.pass = &b
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: Expected: valid schema, given: Invalid JSON", loc)
	}
	idKey := "$id"
	if c.draft == draft4 {
		idKey = "id"
	} else if _, ok := m["id"]; ok && c.draft == hybrid {
		idKey = "id"
	}
	if _, _, err := keyword[string](m, idKey, loc, "Invalid type. Expected: string, given: "+idKey); err != nil {
		return err
	}
	const defsMsg = "Invalid type. Expected: array of schemas, given: definitions"
	dm, _, err := keyword[map[string]any](m, "definitions", loc, defsMsg)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(dm)) {
		switch dm[k].(type) {
		case map[string]any, bool:
		default:
			return kwErr(loc, "definitions", defsMsg)
		}
		if _, err := c.sub(dm[k], loc+"/definitions/"+escapeToken(k)); err != nil {
			return err
		}
	}
	for _, key := range []string{"title", "description"} {
		if _, _, err := keyword[string](m, key, loc, "Invalid type. Expected: string, given: "+key); err != nil {
			return err
		}
	}
	ref, isRef, err := keyword[string](m, "$ref", loc, "Invalid type. Expected: string, given: $ref")
	if err != nil {
		return err
	}
	if isRef {
		target, err := c.resolve(ref, loc+"/$ref")
		if err != nil {
			return err
		}
		n.ref = target
		return nil
	}
	if err := c.compileTypes(n, m, loc); err != nil {
		return err
	}
	if err := c.compileObject(n, m, loc); err != nil {
		return err
	}
	if err := c.compileArray(n, m, loc); err != nil {
		return err
	}
	if err := c.compileNumber(n, m, loc); err != nil {
		return err
	}
	if err := c.compileString(n, m, loc); err != nil {
		return err
	}
	return c.compileCombinators(n, m, loc)
}

func (c *compiler) compileTypes(n *node, m map[string]any, loc string) error {
	t, ok := m["type"]
	if !ok {
		return nil
	}
	var names []any
	switch x := t.(type) {
	case string:
		names = []any{x}
	case []any:
		names = x
	default:
		return kwErr(loc, "type", "Invalid type. Expected: string/array of strings, given: type")
	}
	for _, e := range names {
		name, ok := e.(string)
		if !ok {
			return kwErr(loc, "type", "Invalid type. Expected: string/array of strings, given: type")
		}
		switch name {
		case "array", "boolean", "integer", "number", "null", "object", "string":
		default:
			return kwErr(loc, "type", "has a primitive type that is NOT VALID -- given: /%s/ Expected valid values are:[array boolean integer number null object string]", name)
		}
		for _, have := range n.types {
			if have == name {
				return kwErr(loc, "type", "%s type is duplicated", name)
			}
		}
		n.types = append(n.types, name)
	}
	return nil
}

func (c *compiler) compileArray(n *node, m map[string]any, loc string) error {
	if it, ok := m["items"]; ok {
		switch x := it.(type) {
		case []any:
			for i, e := range x {
				switch e.(type) {
				case map[string]any, bool:
				default:
					return kwErr(loc, "items", "Invalid type. Expected: valid schema/array of schemas, given: items")
				}
				s, err := c.sub(e, fmt.Sprintf("%s/items/%d", loc, i))
				if err != nil {
					return err
				}
				n.items = append(n.items, s)
			}
		case map[string]any, bool:
			s, err := c.sub(x, loc+"/items")
			if err != nil {
				return err
			}
			n.items, n.itemsSingle = []*node{s}, true
		default:
			return kwErr(loc, "items", "Invalid type. Expected: valid schema/array of schemas, given: items")
		}
	}
	if ai, ok := m["additionalItems"]; ok {
		var err error
		if n.addItemsSet, n.addItemsBool, n.addItems, err = c.boolOrSchema(ai, "additionalItems", loc); err != nil {
			return err
		}
	}
	var err error
	if n.minItems, n.maxItems, err = bounds(m, "minItems", "maxItems", loc, false); err != nil {
		return err
	}
	if n.uniqueItems, _, err = keyword[bool](m, "uniqueItems", loc, "uniqueItems must be of a boolean"); err != nil {
		return err
	}
	if c.draft >= draft6 {
		if v, ok := m["contains"]; ok {
			if n.contains, err = c.sub(v, loc+"/contains"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *compiler) compileString(n *node, m map[string]any, loc string) error {
	var err error
	if n.minLength, n.maxLength, err = bounds(m, "minLength", "maxLength", loc, true); err != nil {
		return err
	}
	s, found, err := keyword[string](m, "pattern", loc, "pattern must be of a string")
	if err != nil {
		return err
	}
	if found {
		re, err := regexp.Compile(s)
		if err != nil {
			return kwErr(loc, "pattern", "pattern must be a valid regex (Go's regexp cannot compile '%s': %v)", s, err)
		}
		n.pattern = re
	}
	n.format, _, err = keyword[string](m, "format", loc, "format must be of type string")
	return err
}

func (c *compiler) compileCombinators(n *node, m map[string]any, loc string) error {
	if c.draft >= draft6 {
		if v, ok := m["const"]; ok {
			s, ok := canonical(v)
			if !ok {
				return kwErr(loc, "const", "const cannot be read as JSON")
			}
			n.constVal = &s
		}
	}
	enum, _, err := keyword[[]any](m, "enum", loc, "enum must be of an array")
	if err != nil {
		return err
	}
	for _, v := range enum {
		s, ok := canonical(v)
		if !ok {
			return kwErr(loc, "enum", "enum holds a value that cannot be read as JSON")
		}
		if slices.Contains(n.enum, s) {
			return kwErr(loc, "enum", "enum items must be unique")
		}
		n.enum = append(n.enum, s)
	}
	for _, k := range []struct {
		dst *[]*node
		kw  string
	}{{&n.oneOf, "oneOf"}, {&n.anyOf, "anyOf"}, {&n.allOf, "allOf"}} {
		if *k.dst, err = c.subs(m, k.kw, loc); err != nil {
			return err
		}
	}
	opt := map[string]**node{"not": &n.not}
	if c.draft >= draft7 {
		opt["if"], opt["then"], opt["else"] = &n.ifS, &n.thenS, &n.elseS
	}
	for _, kw := range []string{"not", "if", "then", "else"} {
		if dst := opt[kw]; dst != nil {
			if *dst, err = c.optSub(m, kw, loc); err != nil {
				return err
			}
		}
	}
	return nil
}

// boolOrSchema reads keyword kw whose value v is a boolean (isBool, b) or
// a schema (s).
func (c *compiler) boolOrSchema(v any, kw, loc string) (isBool, b bool, s *node, err error) {
	switch x := v.(type) {
	case bool:
		return true, x, nil, nil
	case map[string]any:
		s, err := c.sub(x, loc+"/"+kw)
		return false, false, s, err
	}
	return false, false, nil, kwErr(loc, kw, "Invalid type. Expected: boolean/valid schema, given: %s", kw)
}
