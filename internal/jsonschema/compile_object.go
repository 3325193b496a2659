package jsonschema

import (
	"maps"
	"regexp"
	"slices"
)

func (c *compiler) compileObject(n *node, m map[string]any, loc string) error {
	pm, found, err := keyword[map[string]any](m, "properties", loc, "properties must be of type object")
	if err != nil {
		return err
	}
	if found {
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
		if n.addPropsSet, n.addPropsBool, n.addProps, err = c.boolOrSchema(ap, "additionalProperties", loc); err != nil {
			return err
		}
	}
	ppm, _, err := keyword[map[string]any](m, "patternProperties", loc, "Invalid type. Expected: valid schema, given: patternProperties")
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(ppm)) {
		re, err := regexp.Compile(k)
		if err != nil {
			return kwErr(loc, "patternProperties", "Invalid regex pattern '%s' (Go's regexp cannot compile it: %v)", k, err)
		}
		s, err := c.sub(ppm[k], loc+"/patternProperties/"+escapeToken(k))
		if err != nil {
			return err
		}
		n.patternProps = append(n.patternProps, patternProperty{re: re, schema: s})
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
	if n.minProps, n.maxProps, err = bounds(m, "minProperties", "maxProperties", loc, true); err != nil {
		return err
	}
	required, _, err := keyword[[]any](m, "required", loc, "required must be of an array")
	if err != nil {
		return err
	}
	for _, e := range required {
		s, ok := e.(string)
		if !ok {
			return kwErr(loc, "required", "required items must be string")
		}
		if slices.Contains(n.required, s) {
			return kwErr(loc, "required", "required items must be unique")
		}
		n.required = append(n.required, s)
	}
	return nil
}

func (c *compiler) compileDependencies(n *node, m map[string]any, loc string) error {
	dm, _, err := keyword[map[string]any](m, "dependencies", loc, "dependencies must be of type object")
	if err != nil {
		return err
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
