package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzValidate compiles a schema and validates a value with the package and
// with gojsonschema: the package must not panic, and where gojsonschema
// gives a verdict the two must agree on whether the schema compiles and on
// every error (path, kind, description). Skipped: schemas the package
// refuses as cyclic (gojsonschema overflows its stack on them), schemas
// with a $ref beside other keywords (gojsonschema reads those keywords or
// not depending on the order in which Go's map iteration meets the
// references), values that are not JSON.
func FuzzValidate(f *testing.F) {
	for _, c := range cases {
		for _, v := range c.values {
			f.Add([]byte(c.schema), []byte(v))
		}
	}
	f.Fuzz(func(t *testing.T, schema, value []byte) {
		if len(schema) > 4096 || len(value) > 4096 {
			return
		}
		var v any
		if json.Unmarshal(value, &v) != nil {
			return
		}
		p := compilePair(schema) // ours must not panic
		if p.ours != nil {
			p.ours.Validate(v)
		}
		if isCycleError(p.oursErr) || refWithSiblings(schema) || hugeExponent(schema) {
			return
		}
		if diff, ok := p.same(v); ok && diff != "" {
			t.Error(diff)
		}
	})
}

// refWithSiblings reports whether an object of the schema holds "$ref"
// and keywords gojsonschema may or may not read beside it.
func refWithSiblings(schema []byte) bool {
	d := json.NewDecoder(bytes.NewReader(schema))
	d.UseNumber()
	var doc any
	if d.Decode(&doc) != nil {
		return false
	}
	found := false
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if _, ok := x["$ref"]; ok {
				for k := range x {
					switch k {
					case "$ref", "definitions", "title", "description", "$id", "id", "$schema":
					default:
						found = true
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	return found
}

// hugeExponent reports whether the schema may hold a number with an
// exponent the package refuses (and gojsonschema is slow on).
func hugeExponent(schema []byte) bool {
	for i := 0; i < len(schema); i++ {
		if schema[i] == 'e' || schema[i] == 'E' {
			j := i + 1
			if j < len(schema) && (schema[j] == '+' || schema[j] == '-') {
				j++
			}
			k := j
			for k < len(schema) && schema[k] >= '0' && schema[k] <= '9' {
				k++
			}
			if k-j >= 5 {
				return true
			}
		}
	}
	return false
}
