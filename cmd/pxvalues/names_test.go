//go:build linux || darwin

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileNamesMigrate: a file name holding an ANSI escape, a newline and
// a byte that is not UTF-8 neither forges a line nor reaches the terminal
// raw in any migrate mode or report, and --report json carries it
// losslessly (pathURI).
func TestHostileNamesMigrate(t *testing.T) {
	dir := t.TempDir()
	base := "a\x1b[31mb\nc.yaml:1:1: error: forged\xff.yaml"
	p := filepath.Join(dir, base)
	if err := os.WriteFile(p, []byte("api:\n  replicas: 2\nstreams:\n  replicas: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone\x1b[2J\n.yaml")
	for _, args := range [][]string{
		{"-l", p}, {"-d", p}, {"--check", p}, {"--report", "text", "-d", p}, {p}, {"-d", missing},
		{"-d", "-f", p, "-f", p}, {"-l", "-f", missing},
	} {
		all := append([]string{"migrate", "--to", "v2", "--from", "v1"}, args...)
		stdout, stderr, _ := runCLI(t, "", all...)
		if args[0] == p {
			stdout = "" // the migrated file itself
		}
		for which, s := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if strings.Contains(s, "\x1b") || strings.Contains(s, "\xff") {
				t.Errorf("%q: raw ESC or invalid byte on %s:\n%q", args, which, s)
			}
			for _, l := range strings.Split(s, "\n") {
				if strings.HasPrefix(l, "c.yaml") || strings.HasPrefix(l, ".yaml") {
					t.Errorf("%q: the name's newline starts a line on %s:\n%s", args, which, s)
				}
			}
		}
	}
	_, stderr, _ := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "--report", "json", "-d", p)
	var rep struct {
		Files []struct{ Path, PathURI string }
	}
	if err := json.Unmarshal([]byte(stderr), &rep); err != nil || len(rep.Files) != 1 {
		t.Fatalf("--report json: %v\n%s", err, stderr)
	}
	if !strings.Contains(rep.Files[0].PathURI, "%FF.yaml") || !strings.Contains(rep.Files[0].PathURI, "%1B") {
		t.Errorf("--report json: no lossless pathURI: %+v", rep.Files[0])
	}
}
