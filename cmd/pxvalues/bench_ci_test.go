package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// Benchmarks of the CI gate (go test -bench 'CI' -count 10 ./cmd/pxvalues):
//
//   - BenchmarkCIManyFiles: one `pxvalues lint DIR` call on 1,000 generated
//     files (the whole command in-process: catalog, parallel lint on every
//     core, text output). Target: under 2 s on 2 cores.
//   - BenchmarkCILintSingle and BenchmarkCILintLayered3: one realistic file
//     (testdata/bench/base.yaml) against the same file with a production
//     override and two --set flags (load every layer, merge like Helm, lint
//     once), with a linter built once as a long-running process would.
//     Target: the layered lint within 1.5x of the single one.

// benchTemplate makes the i-th generated values file: the same realistic
// shape with values that vary, and a finding in one file out of ten.
func benchTemplate(base string, i int) string {
	s := strings.Replace(base, "replicas: 2", fmt.Sprintf("replicas: %d", i%5+1), 1)
	s = strings.Replace(s, "polyaxon.example.com", fmt.Sprintf("env-%04d.example.com", i), -1)
	if i%10 == 0 {
		s += "gatway:\n  replicas: 1\n"
	}
	return s
}

func BenchmarkCIManyFiles(b *testing.B) {
	base, err := os.ReadFile("testdata/bench/base.yaml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for i := 0; i < 1000; i++ {
		p := filepath.Join(dir, fmt.Sprintf("team-%02d", i/50), fmt.Sprintf("values-%04d.yaml", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(benchTemplate(string(base), i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	b.ResetTimer()
	for b.Loop() {
		if code := run(e, []string{"lint", "--fail-on", "never", dir}); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(1000, "files/op")
}

// benchLinter loads the bench layers and a linter.
func benchLinter(b *testing.B) (*lint.Linter, []byte, []byte) {
	b.Helper()
	l, err := lint.New(cue.New())
	if err != nil {
		b.Fatal(err)
	}
	base, err := os.ReadFile("testdata/bench/base.yaml")
	if err != nil {
		b.Fatal(err)
	}
	prod, err := os.ReadFile("testdata/bench/prod.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return l, base, prod
}

func BenchmarkCILintSingle(b *testing.B) {
	l, base, _ := benchLinter(b)
	lim := values.DefaultLimits()
	for b.Loop() {
		doc, err := values.Load("base.yaml", base, lim)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Lint(doc, lint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCILintLayered3(b *testing.B) {
	l, base, prod := benchLinter(b)
	lim := values.DefaultLimits()
	sets := []values.Set{{Kind: values.SetValue, Expr: "scheduler.replicas=2,worker.replicas=8"}, {Kind: values.SetString, Expr: "gateway.imageTag=2.15.1"}}
	for b.Loop() {
		d1, err := values.Load("base.yaml", base, lim)
		if err != nil {
			b.Fatal(err)
		}
		d2, err := values.Load("prod.yaml", prod, lim)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := values.Merge(values.Layers{Files: []*values.Document{d1, d2}, Sets: sets})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Lint(doc, lint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
