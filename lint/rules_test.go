package lint_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// fixtureOptions reads the `# lint: chart=agent major=v2 target=polyaxon-cli
// next upgrade-to=v2 redundant` header of a fixture.
func fixtureOptions(t *testing.T, src []byte) lint.Options {
	t.Helper()
	first, _, _ := strings.Cut(string(src), "\n")
	head, ok := strings.CutPrefix(first, "# lint:")
	if !ok {
		t.Fatalf("fixture has no `# lint:` header")
	}
	opts := lint.Options{Chart: "platform"}
	for _, f := range strings.Fields(head) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "chart":
			opts.Chart = v
		case "major":
			opts.Major = v
		case "target":
			opts.Target = v
		case "next":
			opts.UpgradeTo = "next"
		case "upgrade-to":
			opts.UpgradeTo = v
		case "redundant":
			opts.Redundant = true
		case "enable":
			opts.Enable = append(opts.Enable, v)
		default:
			t.Fatalf("unknown header option %q", f)
		}
	}
	return opts
}

// formatFinding renders a diagnostic with everything a golden file pins:
// position, severity, rule, path, message, hint and related positions.
func formatFinding(d lint.Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d %s %s path=%s\n  %s\n", d.Line, d.Column, d.Severity, d.Rule, d.Path, d.Message)
	if d.Hint != "" {
		fmt.Fprintf(&b, "  hint: %s\n", d.Hint)
	}
	for _, r := range d.Related {
		fmt.Fprintf(&b, "  related %d:%d %s: %s\n", r.Line, r.Column, r.Path, r.Message)
	}
	return b.String()
}

// TestRuleFixtures lints lint/testdata/rules/RULE/*.yaml and compares the
// findings of RULE with RULE/*.golden. A case named bad* must trigger the
// rule, good* must not.
func TestRuleFixtures(t *testing.T) {
	l := newLinter(t)
	dirs, err := filepath.Glob(filepath.Join("testdata", "rules", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixture: %v", err)
	}
	for _, dir := range dirs {
		rule := filepath.Base(dir)
		if l.Rules().Get(rule) == nil {
			t.Errorf("%s: no rule %s", dir, rule)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		var bad, good int
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".yaml")
			t.Run(rule+"/"+name, func(t *testing.T) {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := values.Load(filepath.ToSlash(f), src, values.DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				res, err := l.Lint(doc, fixtureOptions(t, src))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				n := 0
				for _, d := range res.Diagnostics {
					if d.Rule == rule {
						got.WriteString(formatFinding(d))
						n++
					}
				}
				switch {
				case strings.HasPrefix(name, "bad") && n == 0:
					t.Errorf("%s does not trigger %s", f, rule)
				case strings.HasPrefix(name, "good") && n > 0:
					t.Errorf("%s triggers %s:\n%s", f, rule, got.String())
				}
				golden.Check(t, strings.TrimSuffix(f, ".yaml")+".golden", got.Bytes())
			})
			if strings.HasPrefix(name, "bad") {
				bad++
			}
			if strings.HasPrefix(name, "good") {
				good++
			}
		}
		if bad == 0 || good == 0 {
			t.Errorf("%s: want at least one bad and one good fixture, have %d and %d", dir, bad, good)
		}
	}
}

// TestEveryRuleHasFixtures: every rule with checks of its own (category
// polyaxon, beyond, upgrade) has a fixture directory.
func TestEveryRuleHasFixtures(t *testing.T) {
	l := newLinter(t)
	var missing []string
	for _, r := range l.Rules().All() {
		switch r.Category {
		case "polyaxon", "beyond", "upgrade":
		default:
			continue
		}
		if strings.HasPrefix(r.ID, "chart-") {
			continue // lint/chart's rules, tested there
		}
		if _, err := os.Stat(filepath.Join("testdata", "rules", r.ID)); err != nil {
			missing = append(missing, r.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without fixtures in testdata/rules: %v", missing)
	}
}
