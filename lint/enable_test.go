package lint_test

import (
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
