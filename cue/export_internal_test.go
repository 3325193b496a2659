package cue

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/pxvalues/pxvalues/values"
)

// TestExportScalars covers what no embedded schema uses yet (bounds,
// patterns, literal unions of several kinds): each value is accepted or
// refused as lint's checkScalar does (null always passes, bounds only
// constrain numbers and patterns only strings).
func TestExportScalars(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	port := &Type{Kinds: KindsOf(values.NumberKind), Int: true, Min: f(1), Max: f(65535)}
	quantity := &Type{Kinds: KindsOf(values.StringKind, values.NumberKind), Patterns: []Pattern{
		{regexp.MustCompile(`^[0-9.]+[a-zA-Z]*$`)}, {regexp.MustCompile(`^.{1,8}$`)},
	}}
	mixed := &Type{Kinds: KindsOf(values.StringKind, values.BoolKind), Enum: []any{"auto", false}}
	ratio := &Type{Kinds: KindsOf(values.NumberKind), Min: f(0), Max: f(1)}
	root := StructType(
		&Field{Name: "port", Type: port},
		&Field{Name: "quantity", Type: quantity},
		&Field{Name: "mixed", Type: mixed},
		&Field{Name: "ratio", Type: ratio},
	)
	js, err := (&Schema{Chart: "platform", Major: "v2", Root: root}).JSONSchema(ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(js))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc  string
		want string // the flagged key, or ""
	}{
		{`{"port": 80}`, ""},
		{`{"port": 80.0}`, ""},
		{`{"port": 0}`, "port"},
		{`{"port": 65536}`, "port"},
		{`{"port": 80.5}`, "port"},
		{`{"port": "80"}`, "port"},
		{`{"port": null}`, ""},
		{`{"quantity": "100m"}`, ""},
		{`{"quantity": "1.5Gi"}`, ""},
		{`{"quantity": "lots"}`, "quantity"},
		{`{"quantity": "123456789Gi"}`, "quantity"},
		{`{"quantity": 2}`, ""},
		{`{"quantity": true}`, "quantity"},
		{`{"mixed": "auto"}`, ""},
		{`{"mixed": false}`, ""},
		{`{"mixed": true}`, "mixed"},
		{`{"mixed": "manual"}`, "mixed"},
		{`{"mixed": null}`, ""},
		{`{"ratio": 0.5}`, ""},
		{`{"ratio": 1.5}`, "ratio"},
		{`{"ratio": -0.1}`, "ratio"},
		{`{"other": 1}`, "other"},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.doc), &v); err != nil {
			t.Fatal(err)
		}
		res, err := schema.Validate(gojsonschema.NewGoLoader(v))
		if err != nil {
			t.Fatal(err)
		}
		var flagged []string
		for _, e := range res.Errors() {
			field := e.Field()
			if e.Type() == "additional_property_not_allowed" {
				field = e.Details()["property"].(string)
			}
			flagged = append(flagged, field)
		}
		got := ""
		if len(flagged) > 0 {
			got = flagged[0]
		}
		if got != tc.want || (len(flagged) > 0 && strings.Count(strings.Join(flagged, " "), got) != len(flagged)) {
			t.Errorf("%s: flagged %v, want %q", tc.doc, flagged, tc.want)
		}
	}
}

// TestExportRejectsOutsideDialect: a type the export cannot write
// faithfully is an error, not a schema that silently differs.
func TestExportRejectsOutsideDialect(t *testing.T) {
	bad := StructType(&Field{Name: "x", Type: &Type{Kinds: KindsOf(values.StringKind, values.MapKind), Enum: []any{"a"}, Fields: []*Field{}}})
	if _, err := (&Schema{Chart: "platform", Major: "v2", Root: bad}).JSONSchema(ExportOptions{}); err == nil {
		t.Error("an enum beside a map type was exported")
	}
	if _, err := (&Schema{Chart: "platform", Major: "v2", Root: bad}).JSONSchema(ExportOptions{Target: "kubectl"}); err == nil {
		t.Error("an unknown target was accepted")
	}
}
