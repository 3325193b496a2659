package jsonschema_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/jsonschema"
)

// TestGoValues: the values a YAML decoder or Helm's coalescing build (ints
// of every size, float32, json.Number, typed maps and slices) get the
// verdict gojsonschema gives, which reads them through encoding/json.
func TestGoValues(t *testing.T) {
	schema := []byte(`{"properties":{
		"i":{"type":"integer","maximum":10},
		"n":{"type":"number","multipleOf":0.5},
		"s":{"type":"string"},
		"e":{"enum":[1,2.5,"x"]},
		"u":{"uniqueItems":true},
		"m":{"additionalProperties":{"type":"integer"}}}}`)
	p := compilePair(schema)
	for _, v := range []map[string]any{
		{"i": 3, "n": 1.5, "s": "a", "e": 1},
		{"i": int64(11), "n": float32(0.25), "s": 1, "e": int8(2)},
		{"i": uint64(math.MaxUint64), "n": json.Number("2.5"), "e": json.Number("1.0")},
		{"i": 3.0, "n": int32(7), "e": float32(2.5), "u": []any{1, 1.0}},
		{"i": json.Number("1e1"), "e": uint8(1), "u": []string{"a", "a"}},
		{"m": map[string]string{"a": "b"}, "s": []int{1}},
		{"m": map[string]int{"a": 1}, "i": []map[string]any{{"a": 1}}},
		{"i": 9007199254740993, "e": int64(1)},
		{"i": struct{ A int }{1}},
	} {
		if diff, ok := p.same(v); !ok {
			t.Errorf("gojsonschema gives no verdict on %#v", v)
		} else if diff != "" {
			t.Error(diff)
		}
	}
}

// TestDeliberateDifferences pins where the package does not do what
// gojsonschema does.
func TestDeliberateDifferences(t *testing.T) {
	refused := []struct{ name, schema, want string }{
		// gojsonschema fetches these documents (over HTTP, from files).
		{"http ref", `{"$ref":"http://example.com/schema.json"}`, "refers to another document"},
		{"https ref with pointer", `{"properties":{"a":{"$ref":"https://example.com/s.json#/definitions/a"}}}`, "refers to another document"},
		{"file ref", `{"$ref":"file:///etc/schema.json"}`, "refers to another document"},
		{"relative ref", `{"$ref":"other.json#/a"}`, "refers to another document"},
		{"ref relative to $id", `{"$id":"http://example.com/root.json","$ref":"item.json"}`, "refers to another document"},
		// gojsonschema recurses on these until its stack overflows.
		{"self ref", `{"$ref":"#"}`, "refers to itself"},
		{"ref cycle", `{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"allOf":[{"$ref":"#/definitions/a"}]}},"properties":{"x":{"$ref":"#/definitions/a"}}}`, "refers to itself"},
		{"anyOf cycle", `{"anyOf":[{"type":"string"},{"$ref":"#"}]}`, "refers to itself"},
		{"not a pointer", `{"$ref":"#nowhere"}`, "refers to itself"},
		// gojsonschema panics on this one.
		{"definitions true", `{"definitions":true}`, "definitions"},
		// gojsonschema takes up to seconds on these.
		{"huge exponent", `{"minimum":9e999999}`, "minimum must be of a number"},
		{"tiny multipleOf", `{"multipleOf":1e-99999}`, "multipleOf"},
		// Go's regexp cannot compile these ECMA 262 patterns.
		{"lookahead", `{"properties":{"a":{"pattern":"^(?!x)"}}}`, "#/properties/a/pattern"},
		{"backreference", `{"patternProperties":{"(a)\\1":{}}}`, "#/patternProperties"},
	}
	for _, c := range refused {
		_, err := jsonschema.Compile([]byte(c.schema))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Compile(%s) = %v, want an error with %q", c.name, c.schema, err, c.want)
		}
	}

	// Recursion through a part of the value is fine.
	s, err := jsonschema.Compile([]byte(`{"properties":{"next":{"$ref":"#"},"v":{"type":"integer"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	errs := s.Validate(map[string]any{"next": map[string]any{"next": map[string]any{"v": "x"}}})
	if len(errs) != 1 || strings.Join(errs[0].Path, ".") != "next.next.v" {
		t.Errorf("recursive schema: %v", errs)
	}

	// gojsonschema refuses to validate a value holding NaN or an infinity
	// (encoding/json cannot write it); the package sees a number that is
	// not an integer and beyond every bound on its side.
	s, err = jsonschema.Compile([]byte(`{"properties":{"a":{"type":"integer"},"b":{"maximum":5},"c":{"minimum":0},"d":{"multipleOf":2},"e":{"type":"number"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range s.Validate(map[string]any{"a": math.Inf(1), "b": math.Inf(1), "c": math.NaN(), "d": math.Inf(-1), "e": math.NaN()}) {
		got[strings.Join(e.Path, ".")] = e.Description
	}
	want := map[string]string{
		"a": "Invalid type. Expected: integer, given: number",
		"b": "Must be less than or equal to 5",
		"c": "Must be greater than or equal to 0",
		"d": "Must be a multiple of 2",
	}
	if len(got) != len(want) {
		t.Errorf("non-finite numbers: got %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("non-finite number at %s: %q, want %q", k, got[k], w)
		}
	}
}

// TestNoValueInDescriptions: whatever fails, the description names the
// schema's constraint and the value's keys, never the value (values may
// be secrets).
func TestNoValueInDescriptions(t *testing.T) {
	const secret = "s3cr3t-Passw0rd"
	schema := []byte(`{"type":"object","additionalProperties":false,"properties":{
		"a":{"type":"integer"},
		"b":{"enum":["x","y"]},
		"c":{"const":"x"},
		"d":{"pattern":"^x$","maxLength":3,"format":"email"},
		"e":{"not":{"type":"string"}},
		"f":{"anyOf":[{"type":"integer"},{"format":"uuid"}]},
		"g":{"oneOf":[{"minLength":100},{"const":"z"}]},
		"h":{"items":{"enum":[1]},"uniqueItems":true,"contains":{"type":"integer"}},
		"i":{"propertyNames":{"maxLength":1}},
		"j":{"if":{"type":"string"},"then":{"format":"date-time"}},
		"k":false}}`)
	s, err := jsonschema.Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	v := map[string]any{"a": secret, "b": secret, "c": secret, "d": secret, "e": secret, "f": secret, "g": secret,
		"h": []any{secret, secret}, "i": map[string]any{"k": secret}, "j": secret, "k": secret, "other": secret}
	errs := s.Validate(v)
	if len(errs) < 12 {
		t.Fatalf("only %d errors: %v", len(errs), errs)
	}
	for _, e := range errs {
		if strings.Contains(e.Description, "s3cr3t") || strings.Contains(e.String(), "s3cr3t") {
			t.Errorf("the description holds the value: %s", e)
		}
	}
}

// TestErrorFields: paths keep keys holding dots whole; an additional
// property is reported at its map with Property naming it.
func TestErrorFields(t *testing.T) {
	s, err := jsonschema.Compile([]byte(`{"properties":{"a.b":{"additionalProperties":false,"properties":{"x":{"type":"string"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	errs := s.Validate(map[string]any{"a.b": map[string]any{"x": 1, "y.z": 2}})
	if len(errs) != 2 {
		t.Fatalf("errors: %v", errs)
	}
	for _, e := range errs {
		switch e.Kind {
		case jsonschema.KindAdditionalProperty:
			if len(e.Path) != 1 || e.Path[0] != "a.b" || e.Property != "y.z" || e.Description != "Additional property y.z is not allowed" {
				t.Errorf("additional property: %#v", e)
			}
		case jsonschema.KindInvalidType:
			if len(e.Path) != 2 || e.Path[1] != "x" || e.String() != "a.b.x: Invalid type. Expected: string, given: integer" {
				t.Errorf("type: %#v", e)
			}
		default:
			t.Errorf("unexpected %#v", e)
		}
	}
}

// TestDeepSchemas: deeply nested schemas and values neither panic nor
// fail to compile.
func TestDeepSchemas(t *testing.T) {
	const depth = 5000
	schema := strings.Repeat(`{"items":`, depth) + `{"type":"string"}` + strings.Repeat("}", depth)
	s, err := jsonschema.Compile([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	var v any = 1.0
	for i := 0; i < depth; i++ {
		v = []any{v}
	}
	if errs := s.Validate(v); len(errs) != 1 || len(errs[0].Path) != depth {
		t.Errorf("deep value: %d errors", len(errs))
	}
	if _, err := jsonschema.Compile([]byte(`{"minimum":1e999999999}`)); err == nil {
		t.Error("a bound beyond big.Rat compiles")
	}
	if _, err := jsonschema.Compile([]byte(`{"enum":[1e400]}`)); err == nil {
		t.Error("an enum value beyond float64 compiles (gojsonschema refuses it)")
	}
}
