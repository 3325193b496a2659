package cue_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/internal/subcharts/derive"
)

// TestSubchartFactsUpToDate: the embedded facts are what the generator
// derives from the reference data now (`go run ./cue/internal/subcharts`).
func TestSubchartFactsUpToDate(t *testing.T) {
	ref := filepath.Join("..", "..", "shared", "reference", "subcharts")
	if _, err := os.Stat(ref); err != nil {
		t.Skip("reference " + ref + " not present: skipping")
	}
	want, err := derive.Facts(ref)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(cue.SubchartFactsFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go run ./cue/internal/subcharts", cue.SubchartFactsFile)
	}
}

// TestSubchartFactsCoverReleases: every release of every schema has its
// dependency list, and every platform release bundles its sub-charts.
func TestSubchartFactsCoverReleases(t *testing.T) {
	cat := cue.New()
	f, err := cat.SubchartFacts()
	if err != nil {
		t.Fatal(err)
	}
	for _, chart := range cue.Charts() {
		for _, major := range cue.Majors(chart) {
			s, err := cat.Schema(chart, major)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range s.Releases {
				deps, ok := f.Deps(chart, r)
				if !ok {
					// 1.21.0 and 1.22.0 were tagged, never published
					t.Logf("%s %s: no dependency list", chart, r)
					continue
				}
				if chart == "platform" && len(deps) == 0 {
					t.Errorf("platform %s bundles no sub-chart", r)
				}
				for _, d := range deps {
					if !f.Has(d.Chart) {
						t.Errorf("%s %s: sub-chart %s has no facts", chart, r, d.Chart)
					}
				}
			}
		}
	}
}

// TestSubchartRenames checks cue/rules/subcharts.cue against the facts:
// an old spelling is read by no v2 sub-chart version nor by a v2 template,
// and its new spelling is declared by every sub-chart version v2 bundles.
func TestSubchartRenames(t *testing.T) {
	cat := cue.New()
	f, err := cat.SubchartFacts()
	if err != nil {
		t.Fatal(err)
	}
	rules, err := cat.Rules()
	if err != nil {
		t.Fatal(err)
	}
	v2, err := cat.Schema("platform", "v2")
	if err != nil {
		t.Fatal(err)
	}
	checks := rules.Get("subchart-old-key").Checks
	if len(checks) == 0 {
		t.Fatal("no renames")
	}
	for _, c := range checks {
		if c.When == nil || len(c.When.All) == 0 || c.When.All[0].Path == "" {
			t.Fatalf("check %+v: want when.all[0].path", c)
		}
		path := c.When.All[0].Path
		from, to := strings.Split(path, "."), strings.Split(c.Args["to"], ".")
		ids := f.Pinned("platform", from[0], v2.Releases)
		if len(ids) == 0 {
			t.Errorf("%s: v2 bundles no %s sub-chart", path, from[0])
			continue
		}
		if got := f.Reads(ids, from[1:]); len(got) > 0 {
			t.Errorf("%s is read by %v, which v2 bundles", path, got)
		}
		if fd := fieldAt(v2.Root, from); fd != nil && !fd.Meta.Dead && !fd.Meta.CLIOnly {
			t.Errorf("%s is read by a v2 template", path)
		}
		for _, id := range ids {
			if len(f.Reads([]string{id}, to[1:])) == 0 {
				t.Errorf("%s: %s does not declare %s", path, id, c.Args["to"])
			}
		}
	}
}

func fieldAt(t *cue.Type, segs []string) *cue.Field {
	var f *cue.Field
	for _, s := range segs {
		if f = t.Field(s); f == nil {
			return nil
		}
		t = f.Type
	}
	return f
}
