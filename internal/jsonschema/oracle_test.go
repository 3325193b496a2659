package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/internal/jsonschema"
	"github.com/xeipuuv/gojsonschema"
)

// verdict is what a validator says of one schema and one value: whether
// the schema compiles, and the errors as "path | kind | description",
// sorted (gojsonschema's order follows Go's map order).
type verdict struct {
	compiles bool
	errs     []string
}

func (v verdict) String() string {
	if !v.compiles {
		return "(schema does not compile)"
	}
	if len(v.errs) == 0 {
		return "(valid)"
	}
	return strings.Join(v.errs, "\n")
}

func errLine(path []string, kind, desc string) string {
	return strings.Join(path, "/") + " | " + kind + " | " + desc
}

// ours validates v with the package.
func ours(schema []byte, v any) (verdict, error) {
	s, err := jsonschema.Compile(schema)
	if err != nil {
		return verdict{}, err
	}
	out := verdict{compiles: true}
	for _, e := range s.Validate(v) {
		out.errs = append(out.errs, errLine(e.Path, e.Kind, e.Description))
	}
	sort.Strings(out.errs)
	return out, nil
}

// oracle validates v with gojsonschema. ok is false when gojsonschema
// panics or refuses the value itself (NaN, infinities): no verdict.
func oracle(schema []byte, v any) (out verdict, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(schema))
	if err != nil {
		return verdict{}, true
	}
	res, err := s.Validate(gojsonschema.NewGoLoader(v))
	if err != nil {
		return verdict{}, false
	}
	out.compiles = true
	for _, e := range res.Errors() {
		segs := strings.Split(e.Context().String("\x00"), "\x00")[1:]
		out.errs = append(out.errs, errLine(segs, e.Type(), e.Description()))
	}
	sort.Strings(out.errs)
	return out, true
}

// same reports how our verdict differs from gojsonschema's ("" if not).
func same(schema []byte, v any) (string, bool) {
	want, ok := oracle(schema, v)
	if !ok {
		return "", false
	}
	got, err := ours(schema, v)
	if got.String() == want.String() {
		return "", true
	}
	return fmt.Sprintf("schema %s\nvalue %#v\ngojsonschema:\n%s\njsonschema (compile error %v):\n%s", abbreviate(schema), v, want, err, got), true
}

func abbreviate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

// safeForOracle reports whether gojsonschema can be given the schema: it
// must not fetch a document (no $ref but "#..." fragments, no id that
// would rebase one), and it must not recurse forever (a schema our
// Compile refuses as cyclic).
func safeForOracle(schema []byte) bool {
	var doc any
	if json.NewDecoder(bytes.NewReader(schema)).Decode(&doc) != nil {
		return true // neither compiles
	}
	if _, err := jsonschema.Compile(schema); isCycleError(err) {
		return false
	}
	safe := true
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && (k == "$ref" && !strings.HasPrefix(s, "#") || k == "$id" || k == "id") {
					safe = false
				}
				walk(e)
			}
		}
	}
	walk(doc)
	return safe
}

// cyclic compiles nowhere: gojsonschema overflows its stack on them.
func isCycleError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "refers to itself")
}
