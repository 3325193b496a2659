// Package jsonschema validates Go values (as encoding/json or a YAML decoder
// produce them) with a JSON Schema, draft-04, -06 or -07, the way
// github.com/xeipuuv/gojsonschema v1.2.0 does: the same keywords, the same
// errors at the same instance paths, with the same English descriptions.
// pxvalues checks a chart's values.schema.json with it (lint/chart) without
// linking gojsonschema, which brings net/http, crypto/tls and text/template
// into the binary and costs start-up time. gojsonschema remains the oracle
// of the package's differential tests.
//
// Deliberate differences from gojsonschema:
//   - a $ref that is not in the schema itself (http:, file:, another
//     document) is never fetched: Compile fails;
//   - a schema that can refer to itself without descending into the value
//     ({"$ref": "#"}, {"allOf": [{"$ref": "#"}]}), on which gojsonschema
//     recurses until the stack overflows, does not compile;
//   - "definitions": true, on which gojsonschema panics, does not compile;
//   - a bound or multipleOf with a decimal exponent beyond ±10000 does not
//     compile (exact arithmetic on it takes gojsonschema up to seconds);
//   - a value holding NaN or an infinity is validated (it is a non-integer
//     number beyond every bound) where gojsonschema refuses the whole value;
//   - descriptions never hold a value of the instance: none of
//     gojsonschema's do either (they quote the schema's allowed values,
//     pattern, format or bounds, and the instance's keys).
package jsonschema

import (
	"strings"
)

// Schema is a compiled JSON Schema. It holds no mutable state: one Schema
// may validate many values, from several goroutines.
type Schema struct {
	root *node
}

// Error is one way in which a value fails its schema.
type Error struct {
	// Path holds the keys and list indexes (in decimal) from the root of
	// the value to the part that fails; a key holding dots is one segment.
	// An additional property is reported at the map holding it (Property
	// names it), as gojsonschema does.
	Path []string
	// Kind is gojsonschema's error type: "invalid_type", "required",
	// "additional_property_not_allowed", "enum", "number_gte", ...
	Kind string
	// Property is the key involved for the kinds "required",
	// "additional_property_not_allowed" and "invalid_property_name".
	Property string
	// Description is gojsonschema's English description of the error. It
	// never holds a value of the instance (values may be secrets).
	Description string
}

// Field is the path as gojsonschema shows it in descriptions: the segments
// joined with dots, or "(root)" for the value itself.
func (e Error) Field() string {
	return field(e.Path)
}

// String renders the error as gojsonschema's ResultError.String does:
// "field: description".
func (e Error) String() string {
	return e.Field() + ": " + e.Description
}

func field(path []string) string {
	if len(path) == 0 {
		return "(root)"
	}
	return strings.Join(path, ".")
}

// Compile reads a JSON Schema from its JSON text. The draft is the one its
// $schema names (draft-04, -06 or -07 of json-schema.org); without one, the
// keywords of every draft are read, as gojsonschema does. A schema that is
// not valid JSON, holds a keyword of the wrong type, a pattern Go's regexp
// package cannot compile, a $ref to a document other than the schema
// itself, or a $ref cycle that does not descend into the value fails to
// compile; the error names the keyword and where it is in the schema.
func Compile(data []byte) (*Schema, error) {
	c, err := newCompiler(data)
	if err != nil {
		return nil, err
	}
	root, err := c.sub(c.doc, "#")
	if err != nil {
		return nil, err
	}
	if err := checkCycles(root); err != nil {
		return nil, err
	}
	return &Schema{root: root}, nil
}

// Validate checks v, a value as encoding/json or a YAML decoder builds it
// (map[string]any, []any, string, bool, nil, float64, any integer type,
// json.Number; other types are read through encoding/json), and returns
// the errors found, none when v is valid.
func (s *Schema) Validate(v any) []Error {
	r := &result{}
	validate(s.root, v, r, nil)
	return r.errs
}
