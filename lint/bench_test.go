package lint_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// benchValues returns the v2.15.1 platform defaults from the chart corpus
// when present, else the repository's own v2 fixture.
func benchValues(b *testing.B) (string, []byte) {
	b.Helper()
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "shared", "reference", "polyaxon-charts", "platform", "v2.15.1.yaml")
	for _, p := range []string{corpus, filepath.Join("testdata", "bench", "platform-v2.yaml")} {
		if src, err := os.ReadFile(p); err == nil {
			return p, src
		}
	}
	b.Fatal("no benchmark input: testdata/bench/platform-v2.yaml is missing")
	return "", nil
}

// BenchmarkLintOne loads and lints one platform v2 file (the linter and
// its compiled schema are shared, as in one `pxvalues lint` process after
// the first file).
func BenchmarkLintOne(b *testing.B) {
	name, src := benchValues(b)
	l, err := lint.New(cue.New())
	if err != nil {
		b.Fatal(err)
	}
	lim := values.DefaultLimits()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := values.Load(name, src, lim)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Lint(doc, lint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintOneCold includes what a fresh process pays: a new catalog,
// the rules and the schema compiled for the first file.
func BenchmarkLintOneCold(b *testing.B) {
	name, src := benchValues(b)
	lim := values.DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		l, err := lint.New(cue.New())
		if err != nil {
			b.Fatal(err)
		}
		doc, err := values.Load(name, src, lim)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Lint(doc, lint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLint1000 reads and lints 1,000 files from disk with as many
// workers as `pxvalues lint` uses (GOMAXPROCS), a fresh catalog per
// iteration: the work of one `pxvalues lint DIR` call minus process start.
func BenchmarkLint1000(b *testing.B) {
	_, src := benchValues(b)
	dir := b.TempDir()
	files := make([]string, 1000)
	for i := range files {
		// Vary the files a little: replicas, and an unknown key in some.
		v := bytes.Replace(src, []byte("replicas: 2"), fmt.Appendf(nil, "replicas: %d", 1+i%5), 1)
		if i%10 == 0 {
			v = append(v, fmt.Appendf(nil, "\nunknownKey%d: true\n", i)...)
		}
		files[i] = filepath.Join(dir, fmt.Sprintf("values-%04d.yaml", i))
		if err := os.WriteFile(files[i], v, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	lim := values.DefaultLimits()
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	for b.Loop() {
		l, err := lint.New(cue.New())
		if err != nil {
			b.Fatal(err)
		}
		next := make(chan string)
		errs := make(chan error, workers)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range next {
					doc, err := values.ReadFile(f, lim)
					if err == nil {
						_, err = l.Lint(doc, lint.Options{})
					}
					if err != nil {
						select {
						case errs <- fmt.Errorf("%s: %w", f, err):
						default:
						}
					}
				}
			}()
		}
		for _, f := range files {
			next <- f
		}
		close(next)
		wg.Wait()
		select {
		case err := <-errs:
			b.Fatal(err)
		default:
		}
	}
}

// BenchmarkLintWideMap lints a hostile but legal file: 49,000 unknown
// top-level keys (just under the default --max-nodes), each one a finding
// with a "did you mean" search.
func BenchmarkLintWideMap(b *testing.B) {
	var src bytes.Buffer
	for i := 0; i < 49_000; i++ {
		fmt.Fprintf(&src, "k%d: %d\n", i, i)
	}
	l, err := lint.New(cue.New())
	if err != nil {
		b.Fatal(err)
	}
	lim := values.DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		doc, err := values.Load("wide.yaml", src.Bytes(), lim)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Lint(doc, lint.Options{Chart: "platform", Major: "v2"}); err != nil {
			b.Fatal(err)
		}
	}
}
