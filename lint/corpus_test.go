package lint_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// corpus rebuilds every released chart's defaults from cue/facts (the
// repository's derived facts: it runs in any clone).
func corpus(t testing.TB) []facts.Release {
	t.Helper()
	dir, err := facts.Dir()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := facts.Releases(dir)
	if err != nil {
		t.Fatal(err)
	}
	return rs
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

// TestCorpus lints every released chart's own defaults (rebuilt from
// cue/facts) under its detected chart and major: zero errors and zero
// warnings.
func TestCorpus(t *testing.T) {
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	infos := 0
	for _, r := range corpus(t) {
		chart, f := r.Chart, r.Name()
		doc, err := values.Load(f, r.YAML, values.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		res, err := l.Lint(doc, lint.Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		release := "v" + r.Version
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
