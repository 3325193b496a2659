package lint_test

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/format"
	"github.com/pxvalues/pxvalues/values"
)

// sentinel is planted in every secret value; no output may contain it.
const sentinel = "PXSENTINEL7f3a"

// sentinelValues are the texts planted, chosen to make value rules fire and
// quote them: placeholders, a host with a port, a bucket without scheme, a
// quantity, an image tag of another major.
var sentinelValues = []string{
	sentinel,
	sentinel + "<changeme>",
	sentinel + ".internal:5432",
	"${" + sentinel + "}",
	"1.20." + sentinel,
	"..." + sentinel,
}

// secretDoc builds a values file of chart and major with a sentinel in
// every secret key the schema or the secret patterns know, plus secret keys
// of sub-charts and open maps the schema does not detail.
func secretDoc(t *testing.T, cat *cue.Catalog, chart, major string) []byte {
	t.Helper()
	s, err := cat.Schema(chart, major)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := cat.Secrets()
	if err != nil {
		t.Fatal(err)
	}
	root := map[string]any{}
	n := 0
	next := func() string { n++; return sentinelValues[n%len(sentinelValues)] }
	var walk func(ty *cue.Type, segs []string, into map[string]any, depth int)
	walk = func(ty *cue.Type, segs []string, into map[string]any, depth int) {
		if ty == nil || depth > 8 {
			return
		}
		for i, name := range ty.Names {
			f := ty.Fields[i]
			path := append(append([]string(nil), segs...), name)
			ft := f.Type
			switch {
			case f.Meta.Secret || sec.IsSecret(path):
				switch {
				case ft == nil || ft.Kinds.Has(values.StringKind):
					into[name] = next()
				case ft.Kinds.Has(values.MapKind):
					into[name] = map[string]any{"clientSecret": next(), "token": next(), "url": next(), "password": next(), "postgresPassword": next(), "host": next()}
				case ft.Kinds.Has(values.NumberKind):
					into[name] = 7357735773.0
				}
			case ft != nil && len(ft.Fields) > 0 && ft.Kinds.Has(values.MapKind):
				m := map[string]any{}
				walk(ft, path, m, depth+1)
				if len(m) > 0 {
					into[name] = m
				}
			case ft != nil && ft.Kinds.Has(values.ListKind) && ft.Elem != nil && len(ft.Elem.Fields) > 0:
				m := map[string]any{}
				walk(ft.Elem, append(path, "0"), m, depth+1)
				if len(m) > 0 {
					into[name] = []any{m}
				}
			}
		}
	}
	walk(s.Root, nil, root, 0)
	// sub-chart and open-map secrets the schema leaves open
	extra := map[string]any{
		"postgresql": map[string]any{"auth": map[string]any{"password": next(), "postgresPassword": next()}, "postgresqlPassword": next()},
		"redis":      map[string]any{"auth": map[string]any{"password": next()}, "password": next()},
	}
	for k, v := range extra {
		if m, ok := root[k].(map[string]any); ok {
			for kk, vv := range v.(map[string]any) {
				if _, taken := m[kk]; !taken {
					m[kk] = vv
				}
			}
		} else if _, taken := root[k]; !taken {
			root[k] = v
		}
	}
	if n < 5 {
		t.Fatalf("%s %s: only %d secret values planted", chart, major, n)
	}
	var b strings.Builder
	emitYAML(&b, root, 0)
	// a duplicated secret key and a secret written as a plain number
	b.WriteString("encryptionSecret: " + sentinel + "dup\nencryptionSecret: 7357735773\n")
	return []byte(b.String())
}

func emitYAML(b *strings.Builder, m map[string]any, indent int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pad := strings.Repeat(" ", indent)
	for _, k := range keys {
		switch v := m[k].(type) {
		case map[string]any:
			fmt.Fprintf(b, "%s%s:\n", pad, strconv.Quote(k))
			emitYAML(b, v, indent+2)
		case []any:
			fmt.Fprintf(b, "%s%s:\n", pad, strconv.Quote(k))
			for _, it := range v {
				fmt.Fprintf(b, "%s  -\n", pad)
				emitYAML(b, it.(map[string]any), indent+4)
			}
		case float64:
			fmt.Fprintf(b, "%s%s: %s\n", pad, strconv.Quote(k), strconv.FormatFloat(v, 'f', -1, 64))
		case string:
			// plain when safe, so YAML-reading rules see Helm's text
			fmt.Fprintf(b, "%s%s: %s\n", pad, strconv.Quote(k), strconv.Quote(v))
		}
	}
}

// TestSecretsNeverShown plants sentinels in every secret key of a v0, a v1
// and a v2 file (and the agent files), runs every rule under both targets
// with --next and --redundant, and writes every output format: no output
// may contain a sentinel.
func TestSecretsNeverShown(t *testing.T) {
	cat := cue.New()
	l, err := lint.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range l.Rules().All() {
		all = append(all, r.ID)
	}
	targets := []struct{ chart, major string }{{"platform", "v0"}, {"platform", "v1"}, {"platform", "v2"}, {"agent", "v1"}, {"agent", "v2"}}
	for _, tg := range targets {
		src := secretDoc(t, cat, tg.chart, tg.major)
		doc, err := values.Load(tg.chart+"-"+tg.major+".yaml", src, values.DefaultLimits())
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", tg.chart, tg.major, err, src)
		}
		for _, target := range []string{"helm", "polyaxon-cli"} {
			res, err := l.Lint(doc, lint.Options{Chart: tg.chart, Major: tg.major, Target: target, Enable: all, Redundant: true, UpgradeTo: "next"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Diagnostics) < 5 {
				t.Errorf("%s %s: only %d findings: the sentinel file exercises too little", tg.chart, tg.major, len(res.Diagnostics))
			}
			rep := &format.Report{Files: []*lint.Result{res}, Rules: l.RuleDocs(), Tool: "test"}
			for _, name := range format.Names() {
				f, err := format.New(name, format.Options{Verbose: true})
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := f.Format(&out, rep); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, bad := range []string{sentinel, "7357735773"} {
					if i := bytes.Index(out.Bytes(), []byte(bad)); i >= 0 {
						lo, hi := max(0, i-200), min(out.Len(), i+100)
						t.Errorf("%s %s --target %s --format %s shows a secret:\n%s", tg.chart, tg.major, target, name, out.Bytes()[lo:hi])
					}
				}
			}
		}
	}
}
