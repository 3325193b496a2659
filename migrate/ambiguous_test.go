package migrate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/migrate"
)

// TestAmbiguousFile: issue 11's 1.x file that sets only
// gateway.service.type used to be "v2 -> v2, unchanged". It fits v1 and v2
// equally: the result says so and what migrating it as v1 would change
// (the gateway NodePort default, 31833 in 1.x, 31811 in 2.x); with --from
// there is no ambiguity.
func TestAmbiguousFile(t *testing.T) {
	m, err := migrate.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("gateway:\n  service:\n    type: NodePort\n")
	res, err := m.Migrate("g.yaml", src, migrate.Options{To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Ambiguous, []string{"v2", "v1"}) || len(res.Alternatives) != 1 || res.Alternatives[0].From != "v1" {
		t.Fatalf("ambiguous %v, alternatives %+v; want v2, v1 and the v1 alternative", res.Ambiguous, res.Alternatives)
	}
	if a := res.Alternatives[0]; a.Changes == 0 || !strings.Contains(strings.Join(a.Sample, "\n"), "31833") {
		t.Errorf("the v1 alternative does not name the NodePort pin: %+v", a)
	}
	var b strings.Builder
	if err := (&migrate.Report{Files: []*migrate.FileReport{{Result: res}}}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "ambiguous: the file fits v2 and v1 equally well") {
		t.Errorf("the report does not name the ambiguity:\n%s", b.String())
	}
	pinned, err := m.Migrate("g.yaml", src, migrate.Options{From: "v2", To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	if pinned.Ambiguous != nil || pinned.Alternatives != nil {
		t.Errorf("--from v2: ambiguous %v, alternatives %v", pinned.Ambiguous, pinned.Alternatives)
	}
}

// TestAmbiguousLayers: the layers of a release whose merged values fit v1
// and v2 equally were migrated as v2, "unchanged", without a word: each
// layer's result now names the ambiguity and what migrating the release
// as v1 would change.
func TestAmbiguousLayers(t *testing.T) {
	m, err := migrate.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	layers := []migrate.Layer{
		{Name: "base.yaml", Src: []byte("gateway:\n  service:\n    type: NodePort\n")},
		{Name: "prod.yaml", Src: []byte("# production\ngateway:\n  replicas: 2\n")},
	}
	rs, err := m.MigrateLayers(layers, nil, migrate.Options{To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !slices.Equal(r.Ambiguous, []string{"v2", "v1"}) || len(r.Alternatives) != 1 {
			t.Fatalf("%s: ambiguous %v, alternatives %+v; want v2, v1 and the v1 alternative", r.Path, r.Ambiguous, r.Alternatives)
		}
		if a := r.Alternatives[0]; a.Changes == 0 || !strings.Contains(strings.Join(a.Sample, "\n"), "31833") {
			t.Errorf("%s: the v1 alternative does not name the NodePort pin: %+v", r.Path, a)
		}
	}
	pinned, err := m.MigrateLayers(layers, nil, migrate.Options{From: "v2", To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pinned {
		if r.Ambiguous != nil || r.Alternatives != nil {
			t.Errorf("--from v2: %s: ambiguous %v, alternatives %v", r.Path, r.Ambiguous, r.Alternatives)
		}
	}
}

// TestAmbiguousChart: a file nothing tells platform from agent by was
// migrated as platform without a word (its `streams` dropped, where the
// agent would move it to `gateway`): the result names the charts; a file
// both charts migrate alike, or --chart, is no ambiguity.
func TestAmbiguousChart(t *testing.T) {
	m, err := migrate.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		src   string
		chart string
		want  []string
	}{
		{"nodeSelector:\n  a: b\nstreams:\n  replicas: 2\n", "", []string{"platform", "agent"}},
		{"nodeSelector:\n  a: b\nstreams:\n  replicas: 2\n", "platform", nil},
		{"gateway:\n  perCore: true\nmountConnections: []\n", "", nil},
	}
	for _, c := range cases {
		res, err := m.Migrate("t.yaml", []byte(c.src), migrate.Options{Chart: c.chart, To: "v2"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.AmbiguousCharts, c.want) {
			t.Errorf("%q --chart %q: ambiguous charts %v, want %v", c.src, c.chart, res.AmbiguousCharts, c.want)
		}
	}
}
