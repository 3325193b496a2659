package main

import (
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// TestExplainEveryRule checks each rule's page says how to switch it and
// suppress it (lint's TestEnableByID, TestSuppressEveryRule and
// TestRuleExamples check that what it says works), and that `rules` and
// `explain` agree on which rules fix.
func TestExplainEveryRule(t *testing.T) {
	rules, err := cue.New().Rules()
	if err != nil {
		t.Fatal(err)
	}
	table, _, code := runCLI(t, "", "rules")
	if code != exitOK {
		t.Fatalf("rules: exit %d", code)
	}
	for _, r := range rules.All() {
		out, errOut, code := runCLI(t, "", "explain", r.ID)
		if code != exitOK || errOut != "" {
			t.Fatalf("explain %s: exit %d, %s", r.ID, code, errOut)
		}
		for _, want := range []string{r.Summary, "Bad (", "Good:", "On/off: ", "Suppress: "} {
			if !strings.Contains(out, want) {
				t.Errorf("explain %s lacks %q", r.ID, want)
			}
		}
		if strings.Contains(out, "Fix: ") != r.Fixable {
			t.Errorf("explain %s: Fix section %v, fixable %v", r.ID, strings.Contains(out, "Fix: "), r.Fixable)
		}
		if !r.Enabled && !strings.Contains(out, "--enable "+r.ID) {
			t.Errorf("explain %s: an opt-in rule's page does not say how to turn it on", r.ID)
		}
		for _, line := range strings.Split(table, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == r.ID && strings.Contains(line, " fix ") != r.Fixable {
				t.Errorf("rules: %s fix column wrong: %q", r.ID, line)
			}
		}
	}
}
