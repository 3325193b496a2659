package jsonschema

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// register walks the schema document as gojsonschema's schema pool does:
// it records every (sub)schema with an id ($id, or id) under its absolute
// URI and makes every $ref absolute, resolved against the id in scope.
// const and enum values are data, and the keys of properties,
// patternProperties and dependencies are names, not schemas.
func (c *compiler) register(v any, base *url.URL) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			c.register(e, base)
		}
	case map[string]any:
		idKey := "$id"
		if _, ok := x["id"]; ok {
			idKey = "id"
		}
		if id, ok := x[idKey].(string); ok {
			if u, err := url.Parse(id); err == nil {
				base = base.ResolveReference(u)
				if _, dup := c.resources[base.String()]; !dup {
					c.resources[base.String()] = x
				}
			}
		}
		if ref, ok := x["$ref"].(string); ok {
			if u, err := url.Parse(ref); err == nil {
				x["$ref"] = base.ResolveReference(u).String()
			}
		}
		for k, e := range x {
			switch k {
			case "const", "enum":
			case "properties", "patternProperties", "dependencies":
				if m, ok := e.(map[string]any); ok {
					for _, s := range m {
						c.register(s, base)
					}
				}
			default:
				c.register(e, base)
			}
		}
	}
}

// resolve compiles the schema an absolute $ref points to. Each reference
// is compiled once: a reference met again while its schema is being
// compiled gets the same node, so recursive schemas compile.
func (c *compiler) resolve(ref, loc string) (*node, error) {
	if n, ok := c.refs[ref]; ok {
		return n, nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("%s: $ref %q: %v", loc, ref, err)
	}
	target, ok := c.resources[ref]
	if !ok {
		doc := *u
		doc.Fragment, doc.RawFragment = "", ""
		root, found := c.resources[doc.String()]
		if !found {
			if doc.String() != "" {
				return nil, fmt.Errorf("%s: $ref %q refers to another document: pxvalues does not fetch schemas, only references inside the schema itself are followed", loc, ref)
			}
			return nil, fmt.Errorf("%s: $ref %q: no such schema", loc, ref)
		}
		target, err = pointer(root, u.Fragment)
		if err != nil {
			return nil, fmt.Errorf("%s: $ref %q: %v", loc, ref, err)
		}
	}
	switch target.(type) {
	case map[string]any, bool:
	default:
		return nil, fmt.Errorf("%s: $ref %q: valid schema must be of type object", loc, ref)
	}
	n := &node{}
	c.refs[ref] = n
	where := "#" + u.Fragment
	if err := c.compileInto(n, target, where); err != nil {
		return nil, err
	}
	return n, nil
}

// pointer follows a JSON pointer (RFC 6901, already %-unescaped) from v.
// A fragment that is not a JSON pointer ("#name" with no such $id) stands
// for the whole document, as with gojsonschema.
func pointer(v any, ptr string) (any, error) {
	if !strings.HasPrefix(ptr, "/") {
		return v, nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		switch x := v.(type) {
		case map[string]any:
			e, ok := x[strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")]
			if !ok {
				return nil, fmt.Errorf("object has no key %q", tok)
			}
			v = e
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no item %q in the array", tok)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("cannot follow %q into a value that is not an object or array", tok)
		}
	}
	return v, nil
}

// checkCycles refuses a schema in which a subschema reachable from the
// root can reach itself through keywords that validate the same value
// ($ref, allOf, anyOf, oneOf, not, if/then/else, dependencies): validating
// a value against it would never end (gojsonschema overflows its stack).
func checkCycles(root *node) error {
	const (
		unseen = iota
		active
		done
	)
	reach := map[*node]bool{}
	var all []*node
	var walk func(n *node)
	walk = func(n *node) {
		if reach[n] {
			return
		}
		reach[n] = true
		all = append(all, n)
		n.children(func(c *node, _ bool) { walk(c) })
	}
	walk(root)
	state := map[*node]int{}
	var cyclic bool
	var visit func(n *node)
	visit = func(n *node) {
		state[n] = active
		n.children(func(c *node, same bool) {
			if !same || cyclic {
				return
			}
			switch state[c] {
			case active:
				cyclic = true
			case unseen:
				visit(c)
			}
		})
		state[n] = done
	}
	for _, n := range all {
		if state[n] == unseen {
			visit(n)
		}
		if cyclic {
			return fmt.Errorf("the schema refers to itself ($ref) without descending into the value: validating would never end")
		}
	}
	return nil
}
