package lint_test

import (
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// exampleOptions turns a rule's exampleFlags into lint options; ok is false
// for flags that need another engine (e.g. --chart-dir).
func exampleOptions(r *cue.Rule) (lint.Options, bool) {
	opts := lint.Options{Chart: r.ExampleChart, Major: r.ExampleMajor}
	fl := r.ExampleFlags
	for i := 0; i < len(fl); i++ {
		arg := func() string {
			i++
			if i < len(fl) {
				return fl[i]
			}
			return ""
		}
		switch fl[i] {
		case "--target":
			opts.Target = arg()
		case "--next":
			opts.UpgradeTo = "next"
		case "--upgrade-to":
			opts.UpgradeTo = arg()
		case "--redundant":
			opts.Redundant = true
		case "--report-unused-ignores":
			opts.Enable = append(opts.Enable, "ignore-unused")
		case "--enable":
			opts.Enable = append(opts.Enable, arg())
		case "--disable":
			opts.Disable = append(opts.Disable, arg())
		default:
			return opts, false
		}
	}
	return opts, true
}

// lintExample lints one example of rule r and returns the rules it triggered.
func lintExample(t *testing.T, l *lint.Linter, r *cue.Rule, name, src string) map[string][]lint.Diagnostic {
	t.Helper()
	opts, _ := exampleOptions(r)
	got := map[string][]lint.Diagnostic{}
	doc, err := values.Load(name, []byte(src), values.DefaultLimits())
	if err != nil {
		for _, d := range l.ParseErrorResult(name, err).Diagnostics {
			got[d.Rule] = append(got[d.Rule], d)
		}
		return got
	}
	// Lint as detected first (mixed-version only fires then); force the
	// example's chart and major when detection disagrees.
	auto := opts
	auto.Chart, auto.Major = "", ""
	res, err := l.Lint(doc, auto)
	if err == nil && (res.Chart != opts.Chart || res.Major != opts.Major) {
		res, err = l.Lint(doc, opts)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, d := range res.Diagnostics {
		got[d.Rule] = append(got[d.Rule], d)
	}
	return got
}

// TestRuleExamples lints every rule's bad example (it must trigger the rule)
// and good example (it must not), as `pxvalues explain` shows them.
func TestRuleExamples(t *testing.T) {
	l := newLinter(t)
	n := 0
	for _, r := range l.Rules().All() {
		t.Run(r.ID, func(t *testing.T) {
			if _, ok := exampleOptions(r); !ok {
				t.Skipf("example flags %v need another engine", r.ExampleFlags)
			}
			if strings.TrimSpace(r.Bad) == "" || strings.TrimSpace(r.Good) == "" {
				t.Fatalf("rule %s has no bad or good example", r.ID)
			}
			if !r.AppliesTo(r.ExampleChart, r.ExampleMajor) {
				t.Fatalf("the example's %s %s is not one the rule applies to", r.ExampleChart, r.ExampleMajor)
			}
			if r.ID == "invalid-value" && !hasBounds(t, r.ExampleChart, r.ExampleMajor) {
				t.Skipf("the %s %s schema bounds no value yet: nothing can trigger %s", r.ExampleChart, r.ExampleMajor, r.ID)
			}
			bad := lintExample(t, l, r, "bad.yaml", r.Bad)
			if len(bad[r.ID]) == 0 {
				t.Errorf("bad example does not trigger %s; got %v", r.ID, bad)
			}
			good := lintExample(t, l, r, "good.yaml", r.Good)
			if len(good[r.ID]) > 0 {
				t.Errorf("good example triggers %s: %v", r.ID, good[r.ID])
			}
			n++
		})
	}
	if n == 0 {
		t.Fatal("no rule example was linted")
	}
}

func newLinter(t testing.TB) *lint.Linter {
	t.Helper()
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// hasBounds reports whether a schema has any range or pattern (what
// invalid-value checks).
func hasBounds(t *testing.T, chart, major string) bool {
	s, err := cue.New().Schema(chart, major)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	seen := map[*cue.Type]bool{}
	var walk func(*cue.Type)
	walk = func(ty *cue.Type) {
		if ty == nil || seen[ty] || found {
			return
		}
		seen[ty] = true
		if ty.Min != nil || ty.Max != nil || len(ty.Patterns) > 0 {
			found = true
			return
		}
		walk(ty.Elem)
		for _, f := range ty.Fields {
			walk(f.Type)
		}
	}
	walk(s.Root)
	return found
}
