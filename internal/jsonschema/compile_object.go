package jsonschema

import (
	"maps"
	"regexp"
	"slices"
)

func (c *compiler) compileObject(n *node, m map[string]any, loc string) error {
	if p, ok := m["properties"]; ok {
		pm, ok := p.(map[string]any)
		if !ok {
			return kwErr(loc, "properties", "properties must be of type object")
		}
		n.propIndex = make(map[string]bool, len(pm))
		for _, k := range slices.Sorted(maps.Keys(pm)) {
			s, err := c.sub(pm[k], loc+"/properties/"+escapeToken(k))
			if err != nil {
				return err
			}
			n.props = append(n.props, property{name: k, schema: s})
			n.propIndex[k] = true
		}
	}
	if ap, ok := m["additionalProperties"]; ok {
		var err error
		if n.addPropsSet, n.addPropsBool, n.addProps, err = c.boolOrSchema(ap, "additionalProperties", loc); err != nil {
			return err
		}
	}
	if pp, ok := m["patternProperties"]; ok {
		pm, ok := pp.(map[string]any)
		if !ok {
			return kwErr(loc, "patternProperties", "Invalid type. Expected: valid schema, given: patternProperties")
		}
		for _, k := range slices.Sorted(maps.Keys(pm)) {
			re, err := regexp.Compile(k)
			if err != nil {
				return kwErr(loc, "patternProperties", "Invalid regex pattern '%s' (Go's regexp cannot compile it: %v)", k, err)
			}
			s, err := c.sub(pm[k], loc+"/patternProperties/"+escapeToken(k))
			if err != nil {
				return err
			}
			n.patternProps = append(n.patternProps, patternProperty{re: re, schema: s})
		}
	}
	if c.draft >= draft6 {
		s, err := c.optSub(m, "propertyNames", loc)
		if err != nil {
			return err
		}
		n.propertyNames = s
	}
	if err := c.compileDependencies(n, m, loc); err != nil {
		return err
	}
	var err error
	if n.minProps, n.maxProps, err = bounds(m, "minProperties", "maxProperties", loc, true); err != nil {
		return err
	}
	if r, ok := m["required"]; ok {
		arr, ok := r.([]any)
		if !ok {
			return kwErr(loc, "required", "required must be of an array")
		}
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				return kwErr(loc, "required", "required items must be string")
			}
			if slices.Contains(n.required, s) {
				return kwErr(loc, "required", "required items must be unique")
			}
			n.required = append(n.required, s)
		}
	}
	return nil
}

func (c *compiler) compileDependencies(n *node, m map[string]any, loc string) error {
	d, ok := m["dependencies"]
	if !ok {
		return nil
	}
	dm, ok := d.(map[string]any)
	if !ok {
		return kwErr(loc, "dependencies", "dependencies must be of type object")
	}
	for _, k := range slices.Sorted(maps.Keys(dm)) {
		switch x := dm[k].(type) {
		case []any:
			var keys []string
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return kwErr(loc, "dependencies", "dependency must be of type schema or array of strings")
				}
				keys = append(keys, s)
			}
			if len(keys) > 0 {
				n.deps = append(n.deps, dependency{key: k, keys: keys})
			}
		case map[string]any, bool:
			s, err := c.sub(x, loc+"/dependencies/"+escapeToken(k))
			if err != nil {
				return err
			}
			n.deps = append(n.deps, dependency{key: k, schema: s})
		default:
			return kwErr(loc, "dependencies", "dependency must be of type schema or array of strings")
		}
	}
	return nil
}
