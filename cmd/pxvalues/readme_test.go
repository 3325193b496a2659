package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/golden"
)

// TestReadmeRules keeps the README's rule list in sync with cue/rules: each
// rule has an anchor (#rule-ID) that SARIF help URIs point to.
func TestReadmeRules(t *testing.T) {
	rules, err := cue.New().Rules()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<!-- rules:begin -->\n")
	b.WriteString("Generated from `cue/rules/*.cue` (`go test ./cmd/pxvalues -run TestReadmeRules -update`). `pxvalues explain RULE` prints the full page with examples.\n\n")
	b.WriteString("| rule | severity | applies to | what it finds |\n|---|---|---|---|\n")
	for _, r := range rules.All() {
		sev := r.Severity
		if !r.Enabled {
			sev += " (opt-in)"
		}
		fmt.Fprintf(&b, "| <a id=\"rule-%s\"></a>`%s` | %s | %s %s | %s |\n", r.ID, r.ID, sev,
			strings.Join(r.Charts, ", "), strings.Join(r.Majors, ", "), strings.ReplaceAll(r.Summary, "|", "\\|"))
	}
	b.WriteString("<!-- rules:end -->")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i, j := strings.Index(s, "<!-- rules:begin -->"), strings.Index(s, "<!-- rules:end -->")
	if i < 0 || j < i {
		t.Fatal("README.md has no rules:begin/rules:end markers")
	}
	got := s[:i] + b.String() + s[j+len("<!-- rules:end -->"):]
	if got == s {
		return
	}
	if golden.Update() {
		if err := os.WriteFile("../../README.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md rule list is out of date with cue/rules (go test ./cmd/pxvalues -run TestReadmeRules -update)")
}
