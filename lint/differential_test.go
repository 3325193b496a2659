package lint_test

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	cuelang "cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// schemaRules are the findings that mean "CUE would reject this value".
var schemaRules = map[string]bool{"unknown-key": true, "wrong-type": true, "enum-value": true, "invalid-value": true, "number-as-string": true}

// cueValue turns Helm's reading into a CUE value: integral numbers become
// CUE ints, as CUE's YAML decoder would read them.
func cueValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cueValue(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cueValue(e)
		}
		return l
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	}
	return v
}

// compileSchema compiles the CUE definition of chart and major from the
// self-contained CUE export (the CUE sources' definition, printed by go
// generate with its shared definitions).
func compileSchema(ctx *cuelang.Context, cat *cue.Catalog, chart, major string) (cuelang.Value, error) {
	src, err := cat.ExportCUE(chart, major, cue.ExportOptions{})
	if err != nil {
		return cuelang.Value{}, err
	}
	v := ctx.CompileBytes(src, cuelang.Filename(chart+"_"+major+".cue"))
	if err := v.Err(); err != nil {
		return v, fmt.Errorf("compiling the CUE export of %s %s: %w", chart, major, err)
	}
	return v.LookupPath(cuelang.ParsePath(cue.DefName(chart, major))), nil
}

// TestDifferentialCUE checks that walking the compiled Type tree (what lint
// does) agrees with CUE's own unification of the same schema: a file is
// schema-valid for pxvalues exactly when CUE accepts it, on the corpus, the
// invalid fixtures and mutations of real files.
func TestDifferentialCUE(t *testing.T) {
	cat := cue.New()
	l, err := lint.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	type input struct {
		name         string
		doc          *values.Document
		chart, major string
	}
	var inputs []input
	add := func(name string, src []byte, chart, major string) {
		doc, err := values.Load(name, src, values.DefaultLimits())
		if err != nil {
			return
		}
		inputs = append(inputs, input{name, doc, chart, major})
	}
	fixtures, _ := filepath.Glob("../cmd/pxvalues/testdata/lint/*.yaml")
	for _, f := range fixtures {
		doc, err := values.ReadFile(f, values.DefaultLimits())
		if err != nil {
			continue
		}
		for _, m := range cue.Majors("platform") {
			inputs = append(inputs, input{f + "@" + m, doc, "platform", m})
		}
	}
	for _, src := range mutations() {
		add(src.name, []byte(src.text), "platform", "v2")
		add(src.name+"@v1", []byte(src.text), "platform", "v1")
		add(src.name+"@agent", []byte(src.text), "agent", "v2")
	}
	for _, r := range corpus(t) {
		switch r.Name() {
		case "platform/v0.6.1.yaml", "platform/v1.20.0.yaml", "platform/v2.15.1.yaml", "agent/v1.20.0.yaml", "agent/v2.15.1.yaml":
			for _, m := range cue.Majors(r.Chart) {
				add(r.Name()+"@"+m, r.YAML, r.Chart, m)
			}
		}
	}
	defs := map[string]cuelang.Value{}
	ctx := cuecontext.New()
	agree, invalid := 0, 0
	for _, in := range inputs {
		key := in.chart + in.major
		def, ok := defs[key]
		if !ok {
			def, err = compileSchema(ctx, cat, in.chart, in.major)
			if err != nil {
				t.Fatal(err)
			}
			defs[key] = def
		}
		res, err := l.Lint(in.doc, lint.Options{Chart: in.chart, Major: in.major})
		if err != nil {
			t.Fatal(err)
		}
		var flagged []string
		for _, d := range res.Diagnostics {
			if schemaRules[d.Rule] {
				flagged = append(flagged, d.Path)
			}
		}
		v := ctx.Encode(cueValue(in.doc.Root.Interface()))
		cerr := def.Unify(v).Validate(cuelang.Concrete(true))
		if (cerr == nil) != (len(flagged) == 0) {
			t.Errorf("%s as %s %s: pxvalues flags %v, CUE says %v", in.name, in.chart, in.major, flagged, cerr)
			continue
		}
		// Every path CUE rejects lies at or below a path pxvalues flags.
		for _, e := range cueerrors.Errors(cerr) {
			segs := e.Path()[1:]
			for i, sg := range segs {
				segs[i] = strings.Trim(sg, `"`)
			}
			p := strings.Join(segs, ".")
			if !covered(p, flagged) {
				t.Errorf("%s as %s %s: CUE rejects %s (%v) which pxvalues does not flag (flags %v)", in.name, in.chart, in.major, p, e, flagged)
			}
		}
		if cerr != nil {
			invalid++
		}
		agree++
	}
	t.Logf("%d inputs agree with CUE (%d invalid)", agree, invalid)
}

func covered(p string, flagged []string) bool {
	if p == "" {
		return len(flagged) > 0
	}
	for _, f := range flagged {
		f = strings.NewReplacer("[", ".", "]", "").Replace(f)
		if p == f || strings.HasPrefix(p, f+".") || strings.HasPrefix(f, p+".") {
			return true
		}
	}
	return false
}

type mutation struct{ name, text string }

// mutations are small files that break one schema rule each, at several
// depths, plus valid controls.
func mutations() []mutation {
	var out []mutation
	bad := map[string]string{
		"unknown-top":      "gatway:\n  replicas: 1\n",
		"unknown-nested":   "gateway:\n  replics: 1\n",
		"unknown-deep":     "gateway:\n  service:\n    porrt: 80\n",
		"type-and-unknown": "gateway:\n  replicas: two\n  replics: 3\n",
		"wrong-type-map":   "gateway: 3\n",
		"wrong-type-int":   "gateway:\n  replicas: 1.5\n",
		"wrong-type-bool":  "rbac:\n  enabled: maybe\n",
		"enum":             "gateway:\n  service:\n    type: Nodeport\n",
		"enum-broker":      "broker: kafka\n",
		"list-item":        "connections:\n  - name: a\n    kind: nfs\n  - name: b\n    kindd: s3\n",
		"number-as-string": "gateway:\n  imageTag: 2.10\n",
		"subchart-open":    "postgresql:\n  primary:\n    anything: [1, 2]\n",
		"valid":            "gateway:\n  replicas: 2\n  service:\n    type: NodePort\n",
		"valid-nulls":      "gateway:\n  replicas:\n  service: null\n",
		"labels-open":      "labels:\n  any.key/x: y\n",
		"null-list-item":   "connections:\n  - null\n",
		"top-type-map":     "ldap:\n  enabled: true\n  serverUri: x\n",
	}
	var names []string
	for n := range bad {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, mutation{fmt.Sprintf("mutation-%s", n), bad[n]})
	}
	return out
}
