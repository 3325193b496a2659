package jsonschema_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/pxvalues/pxvalues/cue"
)

// TestRealSchemas compares the package with gojsonschema on real schemas
// and values, and on variants of the values with one part made wrong (a
// leaf of another type, an unknown key): the schemas pxvalues exports for
// each chart and major (large draft-07 schemas with enums, patterns,
// bounds, required keys, closed maps), the values.schema.json of the
// test chart, and, when PXVALUES_CHARTS names a folder of charts (such as
// shared/reference/charts), each chart's values.schema.json and
// values.yaml.
func TestRealSchemas(t *testing.T) {
	var docs []any
	for _, pattern := range []string{"../../testdata/examples/*.yaml", "../../lint/chart/testdata/values/*.yaml"} {
		docs = append(docs, readYAMLs(t, pattern)...)
	}
	charts := os.Getenv("PXVALUES_CHARTS")
	if charts != "" {
		docs = append(docs, readYAMLs(t, filepath.Join(charts, "*", "values.yaml"))...)
	}

	schemas := map[string][]byte{}
	cat := cue.New()
	for _, chart := range []string{"platform", "agent"} {
		for _, major := range []string{"v1", "v2"} {
			s, err := cat.Schema(chart, major)
			if err != nil {
				continue
			}
			js, err := s.JSONSchema(cue.ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			schemas["exported "+chart+" "+major] = js
		}
	}
	if len(schemas) == 0 {
		t.Fatal("no exported schema")
	}
	addFiles := func(pattern string) {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			schemas[f] = b
		}
	}
	addFiles("../../lint/chart/testdata/*/values.schema.json")
	addFiles("../../lint/format/testdata/*.json")
	if charts != "" {
		addFiles(filepath.Join(charts, "*", "values.schema.json"))
	}

	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		schema := schemas[name]
		t.Run(name, func(t *testing.T) {
			if !safeForOracle(schema) {
				t.Skip("the schema refers to itself without descending: gojsonschema would overflow its stack")
			}
			p := compilePair(schema)
			checked, failures := 0, 0
			for _, doc := range docs {
				for _, v := range variants(doc, 150) {
					diff, ok := p.same(v)
					if !ok {
						continue
					}
					checked++
					if diff != "" {
						failures++
						if failures <= 3 {
							t.Error(diff)
						}
					}
				}
			}
			if failures > 0 {
				t.Errorf("%d of %d values differ", failures, checked)
			}
			t.Logf("%d values checked", checked)
		})
	}
}

func readYAMLs(t *testing.T, pattern string) []any {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := yaml.Unmarshal(b, &v); err != nil {
			continue // a fixture that is meant not to parse
		}
		out = append(out, v)
	}
	return out
}

// variants returns doc and up to max copies with one change each: a leaf
// replaced by a value of another type, an unknown key added to a map.
func variants(doc any, max int) []any {
	out := []any{doc}
	var paths [][]string
	var walk func(v any, p []string)
	walk = func(v any, p []string) {
		paths = append(paths, append([]string(nil), p...))
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k], append(p, k))
			}
		case []any:
			for i, e := range x {
				walk(e, append(p, fmt.Sprint(i)))
			}
		}
	}
	walk(doc, nil)
	step := 1
	if len(paths)*2 > max {
		step = len(paths) * 2 / max
	}
	for i := 0; i < len(paths); i += step {
		p := paths[i]
		if len(p) > 0 {
			out = append(out, replaced(doc, p, other(get(doc, p))))
		}
		if m, ok := get(doc, p).(map[string]any); ok {
			out = append(out, replaced(doc, p, withKey(m, "unknownKey", "x")))
		}
	}
	return out
}

func other(v any) any {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return 12
		}
		return 12.5
	case float64, int, int64:
		return "12"
	case bool:
		return "yes"
	case nil:
		return map[string]any{"a": 1.0}
	case map[string]any:
		return []any{"a"}
	case []any:
		return map[string]any{}
	}
	return nil
}

func get(v any, p []string) any {
	for _, k := range p {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			v = x[i]
		}
	}
	return v
}

// replaced copies doc along p with the value at p replaced by nv.
func replaced(doc any, p []string, nv any) any {
	if len(p) == 0 {
		return nv
	}
	switch x := doc.(type) {
	case map[string]any:
		return withKey(x, p[0], replaced(x[p[0]], p[1:], nv))
	case []any:
		var i int
		fmt.Sscan(p[0], &i)
		c := append([]any(nil), x...)
		c[i] = replaced(x[i], p[1:], nv)
		return c
	}
	return doc
}

func withKey(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for key, e := range m {
		c[key] = e
	}
	c[k] = v
	return c
}
