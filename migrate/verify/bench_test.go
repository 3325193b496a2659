package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerify: one verify of a typical file (v1-full.yaml migrated to
// v2) with the real charts and a real helm: six renders in parallel.
func BenchmarkVerify(b *testing.B) {
	charts := realCharts(b)
	helm := helmBinary(b)
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "faults", "v1-full.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	out := migrateFile(b, "v1-full.yaml", "", src)
	opts := Options{Helm: helm,
		Old: Side{Chart: filepath.Join(charts, "platform-1.20.0"), Files: []File{{Name: "v1-full.yaml", Data: src}}},
		New: Side{Chart: filepath.Join(charts, "platform-2.15.1"), Files: []File{{Name: "migrated.yaml", Data: out}}},
	}
	for b.Loop() {
		if _, err := v.Verify(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyTodos: `migrate --verify` of a file whose migration
// hands five settings to a human and drops one for a reason (v1-misc):
// the differences they control are attributed by rendering again.
func BenchmarkVerifyTodos(b *testing.B) {
	charts := realCharts(b)
	helm := helmBinary(b)
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	src, res := migrateRule(b, "v1-misc")
	opts := Options{Helm: helm,
		Old:       Side{Chart: filepath.Join(charts, "platform-1.20.0"), Files: []File{{Name: "v1-misc.yaml", Data: src}}},
		New:       Side{Chart: filepath.Join(charts, "platform-2.15.1"), Files: []File{{Name: "migrated.yaml", Data: res.Output}}},
		Decisions: MigrationDecisions(res, "v1-misc.yaml", "migrated.yaml"),
	}
	for b.Loop() {
		rep, err := v.Verify(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Handed) == 0 {
			b.Fatal("nothing handed to a human")
		}
	}
}

// TestKnowledgeLoads: the embedded knowledge decodes strictly and its
// expressions compile; the object mapping of each step is found.
func TestKnowledgeLoads(t *testing.T) {
	k, err := LoadKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	if p := k.pair("platform", "v1", "v2"); p == nil || p.Objects["Deployment/streams"] != "Deployment/api" {
		t.Errorf("platform v1 -> v2: streams not merged into the gateway: %+v", p)
	}
	if why := k.mustSurvive("Service/gateway", "nodePort[#0]"); why == "" {
		t.Error("a Service's nodePort need not survive")
	}
	if got := k.keys("platform", "v2", "Deployment/api", "nodeSelector"); len(got) == 0 || got[0] != "gateway.nodeSelector" {
		t.Errorf("keys of nodeSelector: %q", got)
	}
}
