package cue_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// TestKeyDocsExist checks every path of cue/keydocs.cue names a key of
// some major of its chart (a misspelt path would describe nothing).
func TestKeyDocsExist(t *testing.T) {
	cat := cue.New()
	for _, chart := range cue.Charts() {
		docs, err := cat.KeyDocs(chart)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) < 10 {
			t.Fatalf("%s: only %d key descriptions", chart, len(docs))
		}
		for path := range docs {
			found := false
			for _, major := range cue.Majors(chart) {
				s, err := cat.Schema(chart, major)
				if err != nil {
					t.Fatal(err)
				}
				found = found || hasPath(s.Root, strings.Split(path, "."))
			}
			if !found {
				t.Errorf("%s: keydocs.cue describes %q, a key no major has", chart, path)
			}
		}
	}
}

// hasPath reports whether the type has the dotted path, `*` matching any key.
func hasPath(ty *cue.Type, segs []string) bool {
	if len(segs) == 0 {
		return true
	}
	if ty == nil {
		return false
	}
	if segs[0] == "*" {
		for _, f := range ty.Fields {
			if hasPath(f.Type, segs[1:]) {
				return true
			}
		}
		return false
	}
	f := ty.Field(segs[0])
	return f != nil && hasPath(f.Type, segs[1:])
}

// TestJSONSchemaDocsAndDefaults checks the exported JSON Schemas describe
// the keys operators set most in words, give every key its release range,
// carry the chart's defaults (as default and examples) inside their own
// enum, and never a secret's default.
func TestJSONSchemaDocsAndDefaults(t *testing.T) {
	cat := cue.New()
	for _, chart := range cue.Charts() {
		for _, major := range cue.Majors(chart) {
			b, err := cat.JSONSchema(chart, major, cue.ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var root map[string]any
			if err := json.Unmarshal(b, &root); err != nil {
				t.Fatal(err)
			}
			defaults, described := 0, 0
			var walk func(path string, js map[string]any)
			walk = func(path string, js map[string]any) {
				desc, _ := js["description"].(string)
				if path != "" {
					if !strings.Contains(desc, "elease") {
						t.Errorf("%s %s %s: no release range in %q", chart, major, path, desc)
					}
					if strings.HasPrefix(desc, "Since release") {
						t.Errorf("%s %s %s: %q", chart, major, path, desc)
					}
				}
				if !strings.HasPrefix(desc, "Release") && path != "" {
					described++
				}
				if d, ok := js["default"]; ok {
					defaults++
					if js["writeOnly"] == true {
						t.Errorf("%s %s %s: a secret with a default", chart, major, path)
					}
					if enum, ok := js["enum"].([]any); ok {
						in := false
						for _, e := range enum {
							in = in || e == d
						}
						if !in {
							t.Errorf("%s %s %s: default %v outside its enum %v", chart, major, path, d, enum)
						}
					}
				}
				if _, ok := js["examples"]; ok && js["writeOnly"] == true {
					t.Errorf("%s %s %s: a secret with examples", chart, major, path)
				}
				props, _ := js["properties"].(map[string]any)
				for k, v := range props {
					p := k
					if path != "" {
						p = path + "." + k
					}
					walk(p, v.(map[string]any))
				}
			}
			walk("", root)
			if defaults < 50 || described < 10 {
				t.Errorf("%s %s: %d defaults, %d keys described in words", chart, major, defaults, described)
			}
		}
	}
}
