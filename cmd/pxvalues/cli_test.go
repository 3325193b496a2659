package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestExitCodesAndFailOn checks the documented exit codes.
func TestExitCodesAndFailOn(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"lint", "testdata/lint/clean-v2.yaml"}, 0},
		{"errors", []string{"lint", "testdata/lint/unknown-keys.yaml"}, 1},
		{"errors, fail-on never", []string{"lint", "--fail-on", "never", "testdata/lint/unknown-keys.yaml"}, 0},
		{"info only, default fail-on", []string{"lint", "testdata/lint/dropped.yaml"}, 0},
		{"info only, fail-on info", []string{"lint", "--fail-on", "info", "testdata/lint/dropped.yaml"}, 1},
		{"warning, fail-on warning", []string{"lint", "--fail-on", "warning", "--disable", "unknown-key,wrong-type", "testdata/lint/yaml11.yaml"}, 1},
		{"parse error wins over findings", []string{"lint", "testdata/lint/unknown-keys.yaml", "testdata/lint/invalid.yaml"}, 2},
		{"missing file", []string{"lint", "testdata/lint/no-such-file.yaml"}, 2},
		{"no input", []string{"lint"}, 2},
		{"bad flag", []string{"lint", "--nope", "x.yaml"}, 2},
		{"bad fail-on", []string{"lint", "--fail-on", "sometimes", "x.yaml"}, 2},
		{"bad major", []string{"lint", "--major", "v3", "x.yaml"}, 2},
		{"agent v0", []string{"lint", "--chart", "agent", "--major", "v0", "x.yaml"}, 2},
		{"unknown rule", []string{"lint", "--disable", "no-such-rule", "testdata/lint/clean-v2.yaml"}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown format", []string{"lint", "--format", "bogus", "testdata/lint/clean-v2.yaml"}, 2},
		{"two formats on stdout", []string{"lint", "--format", "json", "--output", "text", "testdata/lint/clean-v2.yaml"}, 2},
		{"version", []string{"version"}, 0},
		{"rules", []string{"rules"}, 0},
		{"explain", []string{"explain", "unknown-key"}, 0},
		{"explain unknown", []string{"explain", "nope"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errOut)
			}
		})
	}
}

// TestStdinAndJSONShape lints standard input and checks the JSON fields
// CI consumers rely on.
func TestStdinAndJSONShape(t *testing.T) {
	out, _, code := runCLI(t, "gatway:\n  replicas: 1\n", "lint", "--format", "json", "--chart", "platform", "--major", "v2", "-")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Files []struct {
			Path        string   `json:"path"`
			Chart       string   `json:"chart"`
			Major       string   `json:"major"`
			DetectedBy  []string `json:"detectedBy"`
			Diagnostics []struct {
				Rule, Severity, Path, Message, Hint string
				Line, Column                        int
			} `json:"diagnostics"`
		} `json:"files"`
		Summary struct{ Errors, Warnings, Infos int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Files) != 1 || rep.Files[0].Path != "<stdin>" || rep.Files[0].Chart != "platform" || rep.Files[0].Major != "v2" {
		t.Fatalf("unexpected files: %+v", rep.Files)
	}
	d := rep.Files[0].Diagnostics
	if len(d) != 1 || d[0].Rule != "unknown-key" || d[0].Severity != "error" || d[0].Line != 1 || d[0].Column != 1 || d[0].Path != "gatway" || !strings.Contains(d[0].Hint, "`gateway`") {
		t.Fatalf("unexpected diagnostics: %+v", d)
	}
	if rep.Summary.Errors != 1 {
		t.Fatalf("summary %+v", rep.Summary)
	}
}

// TestColor checks --color and NO_COLOR.
func TestColor(t *testing.T) {
	lintText := func(term bool, vars map[string]string, args ...string) string {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, isTerminal: term,
			getenv: func(k string) string { return vars[k] }}
		run(e, append(append([]string{"lint"}, args...), "testdata/lint/unknown-keys.yaml"))
		return out.String()
	}
	const esc = "\x1b["
	if s := lintText(false, nil, "--color", "always"); !strings.Contains(s, esc) {
		t.Error("--color always: no ANSI colour")
	}
	if s := lintText(true, nil, "--color", "never"); strings.Contains(s, esc) {
		t.Error("--color never: ANSI colour")
	}
	if s := lintText(true, nil); !strings.Contains(s, esc) {
		t.Error("--color auto on a terminal: no ANSI colour")
	}
	if s := lintText(false, nil); strings.Contains(s, esc) {
		t.Error("--color auto to a pipe: ANSI colour")
	}
	if s := lintText(true, map[string]string{"NO_COLOR": "1"}); strings.Contains(s, esc) {
		t.Error("NO_COLOR: ANSI colour")
	}
	if s := lintText(true, map[string]string{"TERM": "dumb"}); strings.Contains(s, esc) {
		t.Error("TERM=dumb: ANSI colour")
	}
}
