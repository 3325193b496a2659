package lint_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// TestFixable checks the rule table's `fixable` against the engine: a
// fixable rule's bad example gets a fix, a rule not marked fixable never
// offers one on its example.
func TestFixable(t *testing.T) {
	l := newLinter(t)
	fixable := 0
	for _, r := range l.Rules().All() {
		if _, ok := exampleOptions(r); !ok {
			continue
		}
		got := lintExample(t, l, r, "bad.yaml", r.Bad)
		hasFix := false
		for _, d := range got[r.ID] {
			hasFix = hasFix || d.Fix != nil
		}
		if r.Fixable != hasFix {
			t.Errorf("%s: fixable %v, but its bad example has a fix: %v", r.ID, r.Fixable, hasFix)
		}
		if r.Fixable {
			fixable++
		}
	}
	if fixable < 4 {
		t.Errorf("only %d fixable rules", fixable)
	}
}

// TestFixIdempotent applies the fixes of every fixable rule's bad example
// and of the fixtures under testdata/fix: the fixed file no longer has the
// finding, the result is the golden file, and fixing it again changes
// nothing.
func TestFixIdempotent(t *testing.T) {
	l := newLinter(t)
	type tc struct {
		name, rule string
		src        []byte
		opts       lint.Options
	}
	var cases []tc
	for _, r := range l.Rules().All() {
		if !r.Fixable {
			continue
		}
		opts, _ := exampleOptions(r)
		cases = append(cases, tc{"example-" + r.ID, r.ID, []byte(r.Bad), opts})
	}
	fixtures, err := filepath.Glob("testdata/fix/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		if strings.HasSuffix(f, ".fixed.yaml") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// the first line names the rule the fixture is about: # rule: ID
		first, _, _ := bytes.Cut(src, []byte("\n"))
		rule := strings.TrimSpace(strings.TrimPrefix(string(first), "# rule:"))
		cases = append(cases, tc{strings.TrimSuffix(filepath.Base(f), ".yaml"), rule, src, lint.Options{Chart: "platform", Major: "v2"}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, err := l.Fix("values.yaml", c.src, c.opts, values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if before.Applied == 0 {
				t.Fatalf("no fix applied to:\n%s", c.src)
			}
			for _, d := range before.Result.Diagnostics {
				if d.Rule == c.rule && d.Fix != nil {
					t.Errorf("a fixable %s finding remains: %s", c.rule, d)
				}
			}
			if !strings.HasPrefix(c.name, "example-") {
				golden.Check(t, filepath.Join("testdata", "fix", c.name+".fixed.yaml"), before.Source)
			}
			again, err := l.Fix("values.yaml", before.Source, c.opts, values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if again.Applied != 0 || !bytes.Equal(again.Source, before.Source) {
				t.Errorf("a second fix changed the file:\n%s\n---\n%s", before.Source, again.Source)
			}
		})
	}
}

// TestFixRefuses checks fixes that would not be safe are not offered: an
// a rename onto a key the map already has, a key another major knows
// (migrate moves it, a rename would be wrong).
func TestFixRefuses(t *testing.T) {
	l := newLinter(t)
	for name, src := range map[string]string{
		"rename onto an existing key": "gatway:\n  replicas: 2\ngateway:\n  replicas: 3\n",
		"a key of another major":      "api:\n  replicas: 2\n",
	} {
		doc, err := values.Load("values.yaml", []byte(src), values.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Lint(doc, lint.Options{Chart: "platform", Major: "v2"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Diagnostics {
			if d.Fix != nil && d.Rule == "unknown-key" {
				t.Errorf("%s: %s has a fix %+v", name, d, d.Fix)
			}
		}
	}
}
