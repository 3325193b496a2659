package chart

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	helmchart "helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// writeChart writes files (path: content) under dir.
func writeChart(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// describeHelm and describeOurs render what a check reads of a chart
// (name, version, values, schema, subcharts by name) in one form.
func describeHelm(c *helmchart.Chart) string {
	var b strings.Builder
	vals := c.Values
	if vals == nil {
		vals = map[string]any{}
	}
	fmt.Fprintf(&b, "%s %s %#v %q [", c.Metadata.Name, c.Metadata.Version, vals, c.Schema)
	deps := append([]*helmchart.Chart{}, c.Dependencies()...)
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name() < deps[j].Name() })
	for _, d := range deps {
		b.WriteString(describeHelm(d) + ";")
	}
	return b.String() + "]"
}

func describeOurs(c *helmChart) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %#v %q [", c.name, c.version, c.values, c.schema)
	for _, d := range c.deps {
		b.WriteString(describeOurs(d) + ";")
	}
	return b.String() + "]"
}

// TestLoadMatchesHelm: loadChart reads what Helm's own loader reads, from
// directories (subcharts as folders and as archives, .helmignore, a byte
// order mark, a null values.yaml) and from packaged charts.
func TestLoadMatchesHelm(t *testing.T) {
	base := t.TempDir()
	sub := filepath.Join(base, "packsub")
	writeChart(t, sub, map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: packed\nversion: 0.2.0\n",
		"values.yaml": "packed: {n: 1.5, list: [a, 2]}\n",
	})
	hsub, err := loader.Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	tgzSub, err := chartutil.Save(hsub, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tgzData, err := os.ReadFile(tgzSub)
	if err != nil {
		t.Fatal(err)
	}
	parent := filepath.Join(base, "parent")
	writeChart(t, parent, map[string]string{
		"Chart.yaml":                         "apiVersion: v2\nname: parent\nversion: 1.0.0\n",
		"values.yaml":                        "\ufeffa: 1\nb: {c: [1, x, true], d: null}\nbig: 12345678901\n",
		"values.schema.json":                 `{"type": "object"}`,
		".helmignore":                        "ignored/\ncharts/skipped/\n",
		"ignored/values.yaml":                "not: read\n",
		"templates/cm.yaml":                  "kind: ConfigMap\n",
		"charts/sub/Chart.yaml":              "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
		"charts/sub/values.yaml":             "own: 1\nglobal: {x: y}\n",
		"charts/sub/charts/deep/Chart.yaml":  "apiVersion: v1\nname: deep\nversion: 3.0.0\n",
		"charts/sub/charts/deep/values.yaml": "null\n",
		"charts/skipped/Chart.yaml":          "not: a chart\n",
		"charts/_hidden/Chart.yaml":          "not: a chart\n",
		"charts/sub/values.schema.json":      `{"required": ["own"]}`,
	})
	writeChart(t, parent, map[string]string{"charts/packed-0.2.0.tgz": string(tgzData)})
	hp, err := loader.Load(parent)
	if err != nil {
		t.Fatal(err)
	}
	tgz, err := chartutil.Save(hp, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		filepath.Join("testdata", "pxtest"),
		filepath.Join("testdata", "polyaxon"),
		parent,
		tgz,
		tgzSub,
	} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			h, err := loader.Load(p)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := loadChart(p)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := describeOurs(ours), describeHelm(h); got != want {
				t.Errorf("read\n%s\nHelm reads\n%s", got, want)
			}
			if len(h.Dependencies()) == 0 && p == parent {
				t.Error("the test chart lost its subcharts")
			}
		})
	}
}

// TestLoadRefuses: what Helm's loader refuses, loadChart refuses too.
func TestLoadRefuses(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"no Chart.yaml":     {"values.yaml": "a: 1\n"},
		"no name":           {"Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n"},
		"no version":        {"Chart.yaml": "apiVersion: v2\nname: x\n"},
		"bad values.yaml":   {"Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.0.0\n", "values.yaml": "a: [\n"},
		"stray file charts": {"Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.0.0\n", "charts/README.md": "hi\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeChart(t, dir, files)
			if _, err := loader.Load(dir); err == nil {
				t.Fatal("Helm reads it: the case is wrong")
			}
			if c, err := loadChart(dir); err == nil {
				t.Errorf("read %s", describeOurs(c))
			}
		})
	}
	if _, err := loadChart(filepath.Join("testdata", "pxtest", "values.yaml")); err == nil {
		t.Error("read a YAML file as a chart archive")
	}
}
