package chart_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/chart"
	"github.com/pxvalues/pxvalues/values"
)

// env is what every test needs: one catalog and linter.
type env struct {
	cat *cue.Catalog
	l   *lint.Linter
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cat := cue.New()
	l, err := lint.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	return &env{cat: cat, l: l}
}

func (e *env) options(t *testing.T, ch *chart.Chart, helm string) chart.Options {
	t.Helper()
	secrets, err := e.cat.Secrets()
	if err != nil {
		t.Fatal(err)
	}
	opts := chart.Options{Rules: e.l.Rules(), IsSecret: secrets.IsSecret, Helm: helm, Lint: e.l}
	opts.LintOptions.Chart, opts.LintOptions.Major = ch.Polyaxon(e.cat)
	return opts
}

func readValues(t *testing.T, name string) *values.Document {
	t.Helper()
	doc, err := values.ReadFile(filepath.Join("testdata", "values", name), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// show renders diagnostics one per line (with hints and related
// positions), with dir written as CHART.
func show(diags []lint.Diagnostic, dir string) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintln(&b, d.String())
		if d.Hint != "" {
			fmt.Fprintf(&b, "    hint: %s\n", d.Hint)
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "    %s: %s\n", r.Pos, r.Message)
		}
	}
	out := b.String()
	if dir != "" {
		out = strings.ReplaceAll(out, dir, "CHART")
	}
	if out == "" {
		out = "(no finding)\n"
	}
	return out
}

// TestCheckSchema checks values files against testdata/pxtest, which ships
// a values.schema.json, without rendering: every refusal is reported once,
// at the line of the user's file that set the value (or the chart's
// values.yaml when the value is a default).
func TestCheckSchema(t *testing.T) {
	e := newEnv(t)
	ch, err := chart.Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"good.yaml", "schema-bad.yaml", "service-null.yaml", "tag-null.yaml"} {
		t.Run(name, func(t *testing.T) {
			diags, err := ch.Check(context.Background(), readValues(t, name), e.options(t, ch, ""))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", "schema-"+strings.TrimSuffix(name, ".yaml")+".txt"), []byte(show(diags, "")))
		})
	}
}

// TestCheckLayers: with two -f layers, each finding points into the layer
// that set the value, and a null in the top layer deletes the lower
// layer's value before the chart's schema sees it.
func TestCheckLayers(t *testing.T) {
	e := newEnv(t)
	ch, err := chart.Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := values.Load("base.yaml", []byte("gateway:\n  replicas: -3\n  servce: {type: NodePort}\n  image: 7\n"), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	top, err := values.Load("prod.yaml", []byte("gateway:\n  image: null\n  imageTag: 1.0\n"), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	merged, err := values.Merge(values.Layers{Files: []*values.Document{base, top}})
	if err != nil {
		t.Fatal(err)
	}
	diags, err := ch.Check(context.Background(), merged, e.options(t, ch, ""))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "layers.txt"), []byte(show(diags, "")))
}

// TestCoalesceMatchesHelm: the values the chart's schema is checked
// against are exactly chartutil.CoalesceValues' (Helm's own code, imported
// by this test only), subcharts and globals included.
func TestCoalesceMatchesHelm(t *testing.T) {
	// chartutil logs its coalesce warnings with the standard logger.
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("parent/Chart.yaml", "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 1.0.0\n")
	write("parent/values.yaml", `a: 1
b: {c: 2, d: {e: 3}, f: [1, 2]}
n: {keep: 1}
s: scalar
t: {x: 1}
global: {region: eu, tags: {team: ml}}
sub: {fromParent: 1, nested: {p: 1}}
`)
	write("parent/templates/.keep", "")
	write("parent/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n")
	write("parent/charts/sub/values.yaml", "own: 1\nnested: {q: 2, r: 3}\nglobal: {tags: {env: dev}, region: us}\n")
	ch, err := loader.Load(filepath.Join(dir, "parent"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := chart.Load(filepath.Join(dir, "parent"))
	if err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{
		"{}",
		"a: null",
		"b: null",
		"b: {c: null, d: {e: null, g: 4}, f: [3]}",
		"b: {d: 7}",
		"s: {now: map}",
		"t: scalar",
		"unknown: null",
		"b: {unknown: null}",
		"global: {region: null, extra: 1}",
		"sub: {own: null, nested: {q: null, z: 1}}",
		"sub: null",
		"n: {keep: null, other: null}",
	} {
		doc, err := values.Load("user.yaml", []byte(user), values.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		vals, _ := doc.Root.Interface().(map[string]any)
		want, err := chartutil.CoalesceValues(ch, vals)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		got := chart.CoalesceForTest(ours, vals)
		if fmt.Sprint(got) != fmt.Sprint(map[string]any(want)) {
			t.Errorf("%s:\n got  %v\n want %v", user, got, want)
		}
	}
}

// copyChart copies testdata/<name> to a temporary directory.
func hasRule(diags []lint.Diagnostic, rule string) bool { return count(diags, rule) > 0 }

func count(diags []lint.Diagnostic, rule string) int {
	n := 0
	for _, d := range diags {
		if d.Rule == rule {
			n++
		}
	}
	return n
}

// TestCheckMergedLint: linting the user's values merged over the chart's
// defaults finds what neither shows alone (here: the chart keeps Redis on as
// a broker while the user turns RabbitMQ on), and nothing the plain lint of
// the user's file already reports.
func TestCheckMergedLint(t *testing.T) {
	e := newEnv(t)
	ch, err := chart.Load(filepath.Join("testdata", "polyaxon"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"polyaxon-good.yaml", "polyaxon-rabbitmq.yaml"} {
		doc := readValues(t, name)
		diags, err := ch.Check(context.Background(), doc, e.options(t, ch, ""))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := e.l.Lint(doc, e.options(t, ch, "").LintOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diags {
			for _, p := range plain.Diagnostics {
				if d.Rule == p.Rule && d.Path == p.Path {
					t.Errorf("%s: %s is reported twice", name, d)
				}
			}
		}
		golden.Check(t, filepath.Join("testdata", "golden", "merged-"+strings.TrimSuffix(name, ".yaml")+".txt"), []byte(show(diags, "")))
	}
}

// TestCheckPackagedChart: a chart packaged as .tgz (Helm's own packaging,
// chartutil.Save) is read and checked the same way as its directory.
func TestCheckPackagedChart(t *testing.T) {
	e := newEnv(t)
	hc, err := loader.Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	tgz, err := chartutil.Save(hc, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := chart.Load(tgz)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Name != "pxtest" || ch.Version != "0.1.0" || ch.Defaults == nil {
		t.Fatalf("read %q %q (defaults %v)", ch.Name, ch.Version, ch.Defaults != nil)
	}
	diags, err := ch.Check(context.Background(), readValues(t, "schema-bad.yaml"), e.options(t, ch, ""))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := chart.Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := dir.Check(context.Background(), readValues(t, "schema-bad.yaml"), e.options(t, dir, ""))
	if err != nil {
		t.Fatal(err)
	}
	if show(diags, "") != show(want, "") {
		t.Errorf("the .tgz gives\n%s\nthe directory gives\n%s", show(diags, ""), show(want, ""))
	}
	user, err := values.Load("user.yaml", []byte("gateway:\n  image: {name: x}\n"), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	diags, err = ch.Check(context.Background(), user, e.options(t, ch, ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := show(diags, tgz); !strings.Contains(got, "user.yaml:2:10: error: the chart's values.schema.json refuses `gateway.image`") {
		t.Errorf("got\n%s", got)
	}
}
