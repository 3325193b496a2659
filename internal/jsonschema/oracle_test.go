package jsonschema_test

import (
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

// pair is a schema compiled by both validators.
type pair struct {
	schema  []byte
	ours    *jsonschema.Schema
	oursErr error
	theirs  *gojsonschema.Schema
	// panicked: gojsonschema panics on the schema, and gives no verdict.
	panicked bool
}

func compilePair(schema []byte) (p pair) {
	p.schema = schema
	p.ours, p.oursErr = jsonschema.Compile(schema)
	defer func() {
		if recover() != nil {
			p.panicked = true
		}
	}()
	p.theirs, _ = gojsonschema.NewSchema(offline{gojsonschema.NewBytesLoader(schema)})
	return p
}

// ourVerdict validates v with the package.
func (p pair) ourVerdict(v any) verdict {
	if p.ours == nil {
		return verdict{}
	}
	out := verdict{compiles: true}
	for _, e := range p.ours.Validate(v) {
		out.errs = append(out.errs, errLine(e.Path, e.Kind, e.Description))
	}
	sort.Strings(out.errs)
	return out
}

// oracle validates v with gojsonschema. ok is false when gojsonschema
// panics or refuses the value itself (NaN, infinities): no verdict.
func (p pair) oracle(v any) (out verdict, ok bool) {
	if p.panicked {
		return verdict{}, false
	}
	if p.theirs == nil {
		return verdict{}, true
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	res, err := p.theirs.Validate(gojsonschema.NewGoLoader(v))
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

// same reports how our verdict on v differs from gojsonschema's ("" if
// not); ok is false when gojsonschema gives no verdict.
func (p pair) same(v any) (diff string, ok bool) {
	want, ok := p.oracle(v)
	if !ok {
		return "", false
	}
	got := p.ourVerdict(v)
	if got.String() == want.String() {
		return "", true
	}
	return fmt.Sprintf("schema %s\nvalue %#v\ngojsonschema:\n%s\njsonschema (compile error %v):\n%s", abbreviate(p.schema), v, want, p.oursErr, got), true
}

// same compiles schema with both validators and compares their verdicts
// on v.
func same(schema []byte, v any) (string, bool) {
	return compilePair(schema).same(v)
}

func abbreviate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

// safeForOracle reports whether gojsonschema can be given the schema: not
// one our Compile refuses as cyclic, on which gojsonschema recurses until
// its stack overflows, a fatal error.
func safeForOracle(schema []byte) bool {
	_, err := jsonschema.Compile(schema)
	return !isCycleError(err)
}

// offline loads a schema for gojsonschema, which then fetches no other
// document (the tests have no network, and must not try): a $ref to one
// fails to compile, as it does with the package.
type offline struct{ gojsonschema.JSONLoader }

func (offline) LoaderFactory() gojsonschema.JSONLoaderFactory { return noFetch{} }

type noFetch struct{}

func (noFetch) New(source string) gojsonschema.JSONLoader { return refused{source: source} }

type refused struct {
	gojsonschema.JSONLoader
	source string
}

func (r refused) LoadJSON() (any, error) {
	return nil, fmt.Errorf("%s is not fetched in tests", r.source)
}

// cyclic compiles nowhere: gojsonschema overflows its stack on them.
func isCycleError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "refers to itself")
}
