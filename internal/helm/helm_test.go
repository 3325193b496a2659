package helm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "helm")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"HELM_BIN wins", map[string]string{"HELM_BIN": "/x/helm", "PATH": dir}, "/x/helm"},
		{"PATH", map[string]string{"PATH": string(filepath.ListSeparator) + dir}, bin},
		{"none", map[string]string{"PATH": t.TempDir()}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Find(func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("Find = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	got := Template{Chart: "c", Namespace: "ns", Values: []string{"a.yaml", "b.yaml"}, Sets: []string{"x=1"}}.Args()
	want := []string{"template", "pxvalues", "c", "--namespace", "ns", "--values", "a.yaml", "--values", "b.yaml", "--set", "x=1"}
	if !slices.Equal(got, want) {
		t.Errorf("Args = %q, want %q", got, want)
	}
}

// TestRun runs a stand-in for Helm: its output on success, a *Failure with
// its stderr on a non-zero exit, an error when it cannot start.
func TestRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script stand-in")
	}
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok")
	bad := filepath.Join(dir, "bad")
	os.WriteFile(ok, []byte("#!/bin/sh\necho \"kind: $1 $2\"\n"), 0o755)
	os.WriteFile(bad, []byte("#!/bin/sh\necho 'Error: boom' >&2\nexit 1\n"), 0o755)
	out, err := Template{Helm: ok, Chart: "c"}.Run(context.Background())
	if err != nil || strings.TrimSpace(string(out)) != "kind: template pxvalues" {
		t.Errorf("ok: %q, %v", out, err)
	}
	_, err = Template{Helm: bad, Chart: "c"}.Run(context.Background())
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Stderr, "boom") {
		t.Errorf("bad: %v", err)
	}
	_, err = Template{Helm: filepath.Join(dir, "missing"), Chart: "c"}.Run(context.Background())
	if err == nil || errors.As(err, &f) {
		t.Errorf("missing: %v", err)
	}
}
