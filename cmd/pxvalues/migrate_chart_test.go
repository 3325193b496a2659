package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateCheckAmbiguousChart: a file nothing tells platform from agent
// by is named so (migrate guessed platform without a word); --check fails
// on it; --chart or the configuration's chart settles it.
func TestMigrateCheckAmbiguousChart(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(f, []byte("nodeSelector:\n  a: b\nstreams:\n  replicas: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", f)
	if code != exitFindings || !strings.Contains(errOut, "pass --chart") || !strings.Contains(errOut, "pass --chart") {
		t.Errorf("--check: exit %d\n%s", code, errOut)
	}
	if _, errOut, _ := runCLI(t, "", "migrate", "--to", "v2", "--chart", "agent", "--check", f); strings.Contains(errOut, "pass --chart") {
		t.Errorf("--chart agent: %s", errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".pxvalues.yaml"), []byte("chart: agent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, _ := runCLI(t, "", "migrate", "--to", "v2", "--check", f); strings.Contains(errOut, "pass --chart") || !strings.Contains(errOut, "agent v1 -> v2") {
		t.Errorf("chart pinned by the configuration: %s", errOut)
	}
}
