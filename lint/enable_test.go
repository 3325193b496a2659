package lint_test

import (
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/values"
)

// TestEnableByID checks what `pxvalues explain` says of every opt-in rule:
// --enable RULE alone (without --next or --redundant) makes its bad example
// report it, and --disable RULE silences it again for every rule.
func TestEnableByID(t *testing.T) {
	l := newLinter(t)
	for _, r := range l.Rules().All() {
		opts, ok := exampleOptions(r)
		if !ok {
			continue
		}
		opts.UpgradeTo, opts.Redundant, opts.Enable, opts.Disable = "", false, nil, nil
		doc, err := values.Load("bad.yaml", []byte(r.Bad), values.DefaultLimits())
		if err != nil {
			continue // parse-error and friends: no option needed
		}
		count := func(o func()) int {
			o()
			res, err := l.Lint(doc, opts)
			if err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
			n := 0
			for _, d := range res.Diagnostics {
				if d.Rule == r.ID {
					n++
				}
			}
			return n
		}
		if !r.Enabled {
			if n := count(func() {}); n != 0 {
				t.Errorf("%s is off by default but reports %d findings", r.ID, n)
			}
			if n := count(func() { opts.Enable = []string{r.ID} }); n == 0 && r.ID != "invalid-value" {
				t.Errorf("--enable %s alone does not report its bad example", r.ID)
			}
		}
		if n := count(func() { opts.Enable, opts.Disable = []string{r.ID}, []string{r.ID} }); n != 0 {
			t.Errorf("--disable %s still reports %d findings", r.ID, n)
		}
	}
}

// TestSuppressEveryRule checks what `pxvalues explain` says of every rule
// but parse-error and the ignore-* rules: `# pxvalues:ignore-file RULE
// reason` above its bad example silences it, and `# pxvalues:ignore RULE
// reason` on each finding's line does too.
func TestSuppressEveryRule(t *testing.T) {
	l := newLinter(t)
	for _, r := range l.Rules().All() {
		opts, ok := exampleOptions(r)
		if !ok || r.ID == "parse-error" || strings.HasPrefix(r.ID, "ignore-") {
			continue
		}
		if r.ID == "invalid-value" {
			continue // no schema bounds a value yet (TestRuleExamples)
		}
		count := func(src string) (int, []int) {
			doc, err := values.Load("bad.yaml", []byte(src), values.DefaultLimits())
			if err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
			res, err := l.Lint(doc, opts)
			if err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
			n, lines := 0, []int{}
			for _, d := range res.Diagnostics {
				if d.Rule == r.ID {
					n++
					lines = append(lines, d.Line)
				}
				if d.Rule == "ignore-invalid" {
					t.Errorf("%s: %s", r.ID, d)
				}
			}
			return n, lines
		}
		n, lines := count(r.Bad)
		if n == 0 {
			continue // detected otherwise (TestRuleExamples forces chart and major)
		}
		if m, _ := count("# pxvalues:ignore-file " + r.ID + " the example is bad on purpose\n" + r.Bad); m != 0 {
			t.Errorf("ignore-file leaves %d %s findings", m, r.ID)
		}
		src := strings.Split(r.Bad, "\n")
		for _, ln := range lines {
			if ln >= 1 && ln <= len(src) && !strings.Contains(src[ln-1], "#") {
				src[ln-1] += " # pxvalues:ignore " + r.ID + " the example is bad on purpose"
			}
		}
		if m, _ := count(strings.Join(src, "\n")); m != 0 && !strings.Contains(r.Bad, "#") {
			t.Errorf("ignore on the finding's line leaves %d %s findings", m, r.ID)
		}
	}
}
