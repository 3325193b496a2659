package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionBash loads `pxvalues completion bash` (and the zsh script,
// which is the bash one behind bashcompinit) in bash: it parses (`bash
// -n`), registers a completion for pxvalues (`complete -p`), and completes
// commands, flags, flag values and rule ids.
func TestCompletionBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	for _, shell := range completionShells {
		out, errOut, code := runCLI(t, "", "completion", shell)
		if code != exitOK || errOut != "" || !strings.Contains(out, "pxvalues") {
			t.Fatalf("completion %s: exit %d %s", shell, code, errOut)
		}
		if err := os.WriteFile(filepath.Join(dir, shell), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "bash")
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	complete := func(words ...string) string {
		t.Helper()
		prog := `source "$1"; shift; complete -p pxvalues >/dev/null || exit 3
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _pxvalues; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command("bash", append([]string{"--noprofile", "--norc", "-c", prog, "bash", script}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("completing %v: %v\n%s", words, err, out)
		}
		return string(out)
	}
	if out, err := exec.Command("bash", "--noprofile", "--norc", "-c", `source "$1"; complete -p pxvalues`, "bash", script).CombinedOutput(); err != nil || !strings.Contains(string(out), "-F _pxvalues pxvalues") {
		t.Fatalf("complete -p: %v %s", err, out)
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"pxvalues", "li"}, "lint\n"},
		{[]string{"pxvalues", "lint", "--for"}, "--format\n"},
		{[]string{"pxvalues", "lint", "--format", "gi"}, "github\ngitlab\n"},
		{[]string{"pxvalues", "lint", "--min-sev"}, "--min-severity\n"},
		{[]string{"pxvalues", "lint", "--enable", "enum-"}, "enum-value\n"},
		{[]string{"pxvalues", "explain", "unknown-"}, "unknown-key\n"},
		{[]string{"pxvalues", "migrate", "--to", ""}, "v1\nv2\n"},
		{[]string{"pxvalues", "completion", "fi"}, "fish\n"},
		{[]string{"pxvalues", "version", "--format", "j"}, "json\n"},
	} {
		if got := complete(tc.words...); got != tc.want {
			t.Errorf("completing %v: %q, want %q", tc.words, got, tc.want)
		}
	}
	if zsh, err := exec.LookPath("zsh"); err == nil {
		if out, err := exec.Command(zsh, "-n", filepath.Join(dir, "zsh")).CombinedOutput(); err != nil {
			t.Errorf("zsh -n: %v\n%s", err, out)
		}
	}
	if fish, err := exec.LookPath("fish"); err == nil {
		if out, err := exec.Command(fish, "--no-execute", filepath.Join(dir, "fish")).CombinedOutput(); err != nil {
			t.Errorf("fish --no-execute: %v\n%s", err, out)
		}
	}
}

// TestVersionFromBuildInfo builds pxvalues from a clone of this repository
// (Go stamps VCS information only in a plain checkout, not a worktree) and
// checks `version` reports the module, the commit and the Go version, in
// text and JSON. Slow (a full build): PXVALUES_SLOW_TESTS=1 only.
func TestVersionFromBuildInfo(t *testing.T) {
	if testing.Short() || os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("slow: set PXVALUES_SLOW_TESTS=1 to build pxvalues from a clone with VCS stamping")
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	clone := filepath.Join(t.TempDir(), "pxvalues")
	if out, err := exec.Command("git", "clone", "-q", "--no-hardlinks", repoRoot, clone).CombinedOutput(); err != nil {
		t.Skipf("git clone: %v\n%s", err, out)
	}
	bin := filepath.Join(t.TempDir(), "pxvalues")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/pxvalues")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, errOut, code := runProcess(t, bin, ".", "", "version", "--format", "json")
	var info struct{ Module, Version, Revision, Time, GoVersion, Platform string }
	if code != exitOK || errOut != "" || json.Unmarshal([]byte(out), &info) != nil {
		t.Fatalf("version --format json: exit %d %s\n%s", code, errOut, out)
	}
	if info.Module != "github.com/pxvalues/pxvalues" || info.Revision != strings.TrimSpace(string(rev)) || info.Time == "" || !strings.HasPrefix(info.GoVersion, "go1.") || info.Version == "" {
		t.Fatalf("version: %+v, want revision %s", info, rev)
	}
	text, _, _ := runProcess(t, bin, ".", "", "version")
	if !strings.HasPrefix(text, "pxvalues "+info.Version+" (commit "+info.Revision[:12]) {
		t.Errorf("version: %q", text)
	}
}
