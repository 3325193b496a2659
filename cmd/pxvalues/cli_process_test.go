package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// runProcess runs the built binary with args in dir and returns stdout,
// stderr and the exit code.
func runProcess(t *testing.T, bin, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// TestCLIHelpAndErrors runs pxvalues as a process: -h and --help of every
// command print its usage with examples on stdout and exit 0; every class
// of usage error prints one line naming the problem (with a did-you-mean
// where one is near) and a pointer to --help on stderr, nothing on stdout,
// and exits 2.
func TestCLIHelpAndErrors(t *testing.T) {
	bin := buildPxvalues(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte("gateway:\n  replicas: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		for _, h := range []string{"-h", "--help"} {
			args := []string{c, h}
			want := "Usage: pxvalues " + c
			if c == "help" {
				want = "pxvalues: lint and migrate Polyaxon Helm values files"
			}
			out, errOut, code := runProcess(t, bin, dir, "", args...)
			if code != exitOK || errOut != "" || !strings.HasPrefix(out, want) || !strings.Contains(out, "Examples:") {
				t.Errorf("pxvalues %s: exit %d, stderr %q, stdout:\n%s", strings.Join(args, " "), code, errOut, out)
			}
		}
	}
	for _, args := range [][]string{{"help", "lint"}, {"--help"}, {"-h"}, {"help"}} {
		out, errOut, code := runProcess(t, bin, dir, "", args...)
		if code != exitOK || errOut != "" || !strings.Contains(out, "Usage") {
			t.Errorf("pxvalues %v: exit %d, stderr %q", args, code, errOut)
		}
	}
	for _, tc := range []struct {
		class string
		args  []string
		want  string // the whole stderr line
	}{
		{"no command", nil, ""},
		{"unknown command", []string{"lnt", "values.yaml"}, `pxvalues: unknown command "lnt"; did you mean "lint"? (see pxvalues --help)`},
		{"unknown command, nothing near", []string{"frobnicate"}, `pxvalues: unknown command "frobnicate" (see pxvalues --help)`},
		{"flag before the command", []string{"--bogus"}, `pxvalues: unknown flag --bogus: flags go after the command (pxvalues lint --bogus ...) (see pxvalues --help)`},
		{"unknown flag", []string{"lint", "--formt", "json", "values.yaml"}, `pxvalues lint: unknown flag --formt; did you mean --format? (see pxvalues lint --help)`},
		{"unknown flag, nothing near", []string{"lint", "--bogus", "values.yaml"}, `pxvalues lint: unknown flag --bogus (see pxvalues lint --help)`},
		{"unknown shorthand", []string{"lint", "-x", "values.yaml"}, `pxvalues lint: unknown flag -x (see pxvalues lint --help)`},
		{"flag without its value", []string{"lint", "--set"}, `pxvalues lint: flag --set needs a value (see pxvalues lint --help)`},
		{"bad flag value type", []string{"lint", "--jobs", "two", "values.yaml"}, `pxvalues lint: --jobs "two": must be an integer (see pxvalues lint --help)`},
		{"bad flag value", []string{"lint", "--format", "xml", "values.yaml"}, ""},
		{"bad severity", []string{"lint", "--min-severity", "loud", "values.yaml"}, ""},
		{"unknown rule", []string{"lint", "--enable", "enum-valu", "values.yaml"}, `pxvalues lint: unknown rule "enum-valu"; did you mean "enum-value"? (see pxvalues lint --help)`},
		{"exclusive flags", []string{"lint", "--diff", "values.yaml"}, `pxvalues lint: --diff previews --fix: use --fix --diff (see pxvalues lint --help)`},
		{"no input", []string{"lint"}, `pxvalues lint: no input: give files, directories or - for stdin (see pxvalues lint --help)`},
		{"fix on stdin", []string{"lint", "--fix", "-"}, `pxvalues lint: --fix rewrites files; for standard input use --fix --diff (see pxvalues lint --help)`},
		{"bad exclude", []string{"lint", "--exclude", "[x", "values.yaml"}, ""},
		{"migrate unknown flag", []string{"migrate", "--bogus", "values.yaml"}, `pxvalues migrate: unknown flag --bogus (see pxvalues migrate --help)`},
		{"migrate misspelt flag", []string{"migrate", "--too", "v2", "values.yaml"}, `pxvalues migrate: unknown flag --too; did you mean --to? (see pxvalues migrate --help)`},
		{"migrate missing target", []string{"migrate", "values.yaml"}, ""},
		{"rules argument", []string{"rules", "unknown-key"}, `pxvalues rules: takes no argument, got "unknown-key" (for one rule: pxvalues explain unknown-key) (see pxvalues rules --help)`},
		{"explain no rule", []string{"explain"}, `pxvalues explain: name one rule id (see pxvalues rules) (see pxvalues explain --help)`},
		{"explain unknown rule", []string{"explain", "unknwn-key"}, `pxvalues explain: unknown rule "unknwn-key"; did you mean "unknown-key"? (see pxvalues explain --help)`},
		{"schema without chart", []string{"schema"}, `pxvalues schema: --chart is required: platform or agent (see pxvalues schema --help)`},
		{"schema bad major", []string{"schema", "--chart", "agent", "--major", "v0"}, `pxvalues schema: --major "v0": the agent chart has v1, v2 (see pxvalues schema --help)`},
		{"completion no shell", []string{"completion"}, `pxvalues completion: name one shell: bash, zsh, fish, powershell (see pxvalues completion --help)`},
		{"completion unknown shell", []string{"completion", "tcsh"}, `pxvalues completion: unknown shell "tcsh" (want bash, zsh, fish, powershell) (see pxvalues completion --help)`},
		{"version argument", []string{"version", "now"}, `pxvalues version: takes no argument, got "now" (see pxvalues version --help)`},
		{"version format", []string{"version", "--format", "yaml"}, `pxvalues version: --format "yaml": want text or json (see pxvalues version --help)`},
	} {
		t.Run(tc.class, func(t *testing.T) {
			out, errOut, code := runProcess(t, bin, dir, "", tc.args...)
			if code != exitUsage || out != "" {
				t.Errorf("exit %d, stdout %q", code, out)
			}
			if tc.args == nil {
				if !strings.Contains(errOut, "Usage:") {
					t.Errorf("no command: stderr %q", errOut)
				}
				return
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasSuffix(errOut, "--help)\n") {
				t.Errorf("not one line ending with a pointer to --help: %q", errOut)
			}
			if tc.want != "" && errOut != tc.want+"\n" {
				t.Errorf("stderr %q\nwant   %q", errOut, tc.want+"\n")
			}
		})
	}
}

// TestFixEveryFixableRule runs `pxvalues lint --fix` as a process on the
// bad example of every fixable rule: the fix applies, linting again finds
// none of the rule's fixable findings, and a second --fix changes nothing.
// --fix --diff previews the same change and writes nothing.
func TestFixEveryFixableRule(t *testing.T) {
	bin := buildPxvalues(t)
	rules, err := cue.New().Rules()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rules.All() {
		if !r.Fixable {
			continue
		}
		n++
		t.Run(r.ID, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "values.yaml")
			if err := os.WriteFile(file, []byte(r.Bad), 0o644); err != nil {
				t.Fatal(err)
			}
			flags := append([]string{"--chart", r.ExampleChart, "--major", r.ExampleMajor}, r.ExampleFlags...)
			lintArgs := func(extra ...string) []string {
				return append(append(append([]string{"lint"}, flags...), extra...), "values.yaml")
			}
			diff, errOut, code := runProcess(t, bin, dir, "", lintArgs("--fix", "--diff")...)
			if code != exitFindings || !strings.HasPrefix(diff, "--- values.yaml\n+++ values.yaml\n") || !strings.Contains(errOut, "would fix") {
				t.Fatalf("--fix --diff: exit %d\n%s\n%s", code, diff, errOut)
			}
			if b, _ := os.ReadFile(file); string(b) != r.Bad {
				t.Fatalf("--fix --diff wrote the file")
			}
			if _, errOut, code := runProcess(t, bin, dir, "", lintArgs("--fix")...); code == exitUsage || !strings.Contains(errOut, "pxvalues: fixed ") || strings.Contains(errOut, "fixed 0 ") {
				t.Fatalf("--fix: exit %d: %s", code, errOut)
			}
			fixed, _ := os.ReadFile(file)
			out, _, _ := runProcess(t, bin, dir, "", lintArgs("--format", "json")...)
			var rep struct {
				Files []struct {
					Diagnostics []struct {
						Rule string
						Fix  *json.RawMessage
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, d := range rep.Files[0].Diagnostics {
				if d.Rule == r.ID && d.Fix != nil {
					t.Errorf("a fixable %s finding remains after --fix:\n%s", r.ID, fixed)
				}
			}
			if _, errOut, _ := runProcess(t, bin, dir, "", lintArgs("--fix")...); !strings.Contains(errOut, "pxvalues: fixed 0 findings in 0 files") {
				t.Errorf("a second --fix: %s", errOut)
			}
			if again, _ := os.ReadFile(file); !bytes.Equal(again, fixed) {
				t.Errorf("a second --fix changed the file:\n%s\n---\n%s", fixed, again)
			}
		})
	}
	if n < 4 {
		t.Fatalf("only %d fixable rules", n)
	}
}
