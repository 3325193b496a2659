package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/golden"
)

// runCLI runs pxvalues in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(e, args)
	return out.String(), errb.String(), code
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
				golden.Check(t, filepath.Join("testdata", "lint", name+"."+fm+".golden"), []byte(got))
			}
		})
	}
}
