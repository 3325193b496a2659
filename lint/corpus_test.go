package lint_test

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// corpusDir returns ../shared/reference/polyaxon-charts relative to the
// repository root, or skips the test when it is absent (a user's clone).
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := corpusDirNoSkip()
	if dir == "" {
		t.Skip("corpus ../shared/reference/polyaxon-charts not present: skipping")
	}
	return dir
}

// corpusDirNoSkip returns the corpus folder, or "" when it is absent.
func corpusDirNoSkip() string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "reference", "polyaxon-charts")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// wantMajor is the major a chart release belongs to: 1.22.0 (never
// published) is already v2-shaped.
func wantMajor(release string) string {
	switch {
	case strings.HasPrefix(release, "v0."):
		return "v0"
	case strings.HasPrefix(release, "v1.22.") || strings.HasPrefix(release, "v1.21."):
		return "v2"
	case strings.HasPrefix(release, "v1."):
		return "v1"
	}
	return "v2"
}

// TestCorpus lints every released chart's own defaults under its detected
// chart and major: zero errors and zero warnings.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	infos := 0
	for _, chart := range []string{"platform", "agent"} {
		files, _ := filepath.Glob(filepath.Join(dir, chart, "*.yaml"))
		sort.Strings(files)
		for _, f := range files {
			doc, err := values.ReadFile(f, values.DefaultLimits())
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			res, err := l.Lint(doc, lint.Options{})
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			release := strings.TrimSuffix(filepath.Base(f), ".yaml")
			if res.Chart != chart || res.Major != wantMajor(release) {
				t.Errorf("%s: detected %s %s, want %s %s (by %v)", f, res.Chart, res.Major, chart, wantMajor(release), res.DetectedBy)
			}
			for _, d := range res.Diagnostics {
				if d.Severity >= lint.Warning {
					t.Errorf("%s", d)
				} else {
					infos++
				}
			}
			counts[chart+" "+res.Major]++
		}
	}
	total := 0
	var keys []string
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%s: %d files", k, counts[k])
	}
	t.Logf("corpus: %d files linted, %d infos", total, infos)
	if total == 0 {
		t.Fatal("no corpus file found")
	}
}
