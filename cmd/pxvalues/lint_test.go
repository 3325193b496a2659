package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// runCLI runs pxvalues in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(e, args)
	return out.String(), errb.String(), code
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestLintGolden lints every fixture of testdata/lint (with the flags of
// its .args file, one per line) in text and JSON and compares the output and
// exit code with the golden files.
func TestLintGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/lint/*.yaml")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixture: %v", err)
	}
	for _, f := range fixtures {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			var extra []string
			if b, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".args"); err == nil {
				extra = strings.Fields(string(b))
			}
			for _, fm := range []string{"text", "json"} {
				args := append([]string{"lint", "--format", fm, "-v"}, extra...)
				args = append(args, f)
				out, errOut, code := runCLI(t, "", args...)
				got := out + errOut + "exit: " + strconv.Itoa(code) + "\n"
				golden(t, filepath.Join("lint", name+"."+fm+".golden"), got)
			}
		})
	}
}
