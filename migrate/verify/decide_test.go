package verify

import (
	"slices"
	"testing"
)

// TestTodoDecisions: a TODO names its key in brackets (a key that is
// gone) or stands above it; CRLF files and nested keys included.
func TestTodoDecisions(t *testing.T) {
	src := "# PXVALUES-TODO: [services.port] `services.port: 8080` was removed\r\n" +
		"# a comment\r\n" +
		"gateway:\r\n" +
		"  # PXVALUES-TODO: check the sizing\r\n" +
		"  # (the proxy's)\r\n" +
		"  replicas: 2\r\n" +
		"# PXVALUES-TODO: [] nothing named\r\n" +
		"cfg: |\r\n" +
		"  # PXVALUES-TODO: [gateway] text of a block scalar, not a comment\r\n" +
		"# PXVALUES-TODO: [connections[0].schema] was removed\r\n" +
		"# PXVALUES-TODO: [ingress.annotations[\"a.b/c\"]]\r\n" +
		"# PXVALUES-TODO: at the end, above no key\r\n"
	got, err := TodoDecisions(File{Name: "v2.yaml", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{Key: "services.port", NewKey: "services.port", Todo: true, Why: "`services.port: 8080` was removed", File: "v2.yaml", Line: 1},
		{Key: "gateway.replicas", NewKey: "gateway.replicas", Todo: true, Why: "check the sizing", File: "v2.yaml", Line: 4},
		{Key: "connections[0].schema", NewKey: "connections[0].schema", Todo: true, Why: "was removed", File: "v2.yaml", Line: 10},
		{Key: `ingress.annotations["a.b/c"]`, NewKey: `ingress.annotations["a.b/c"]`, Todo: true, File: "v2.yaml", Line: 11},
	}
	if !slices.Equal(got, want) {
		t.Errorf("TodoDecisions:\n got %+v\nwant %+v", got, want)
	}
	if _, err := TodoDecisions(File{Name: "bad.yaml", Data: []byte("a: [")}); err == nil {
		t.Error("a file that is not YAML: no error")
	}
}

// TestMigrationDecisions: a migration's report gives its TODOs (at their
// comment in the migrated file) and its reasoned drops and transforms;
// a TODO that a leaf already names is not repeated.
func TestMigrationDecisions(t *testing.T) {
	_, res := migrateRule(t, "v1-misc")
	ds := MigrationDecisions(res, "old.yaml", "new.yaml")
	find := func(key string) *Decision {
		for i := range ds {
			if ds[i].Key == key {
				return &ds[i]
			}
		}
		return nil
	}
	if d := find("services.port"); d == nil || !d.Todo || d.File != "new.yaml" || d.Line != 4 {
		t.Errorf("services.port: %+v, want a TODO at new.yaml:4", d)
	}
	if d := find("agent.compressedLogs"); d == nil || d.Todo || d.File != "old.yaml" || d.Why == "" {
		t.Errorf("agent.compressedLogs: %+v, want a reasoned drop at its old line", d)
	}
	n := 0
	for _, d := range ds {
		if d.Key == "services.port" || d.NewKey == "services.port" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("services.port stated %d times, want once", n)
	}
}

// TestClosestDecision: of several decisions whose keys control one
// difference, the deepest key's wins, then the first stated, whatever
// order they were found in.
func TestClosestDecision(t *testing.T) {
	a := &attributer{ds: []Decision{
		{Key: "gateway", NewKey: "gateway", Todo: true},
		{Key: "streams.replicas", Todo: true},
		{NewKey: "gateway.replicas", Todo: true},
		{Key: "x.y[0].z"},
	}}
	for _, owners := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
		if got := a.closest(owners); got != 1 {
			t.Errorf("closest(%v) = %d, want 1 (deepest, first stated)", owners, got)
		}
	}
	if got := a.closest([]int{0, 3}); got != 3 {
		t.Errorf("closest([0 3]) = %d, want 3 (a list index cut off: x.y)", got)
	}
}

// TestMigrationDecisionsTransform: a transform that writes several keys
// (host:port split) decided each of them, with its message.
func TestMigrationDecisionsTransform(t *testing.T) {
	_, res := migrateRule(t, "i12-host-port")
	var to []string
	for _, d := range MigrationDecisions(res, "old.yaml", "new.yaml") {
		if d.Key == "externalServices.postgresql.host" && !d.Todo && d.Why != "" {
			to = append(to, d.NewKey)
		}
	}
	want := []string{"externalServices.postgresql.host", "externalServices.postgresql.port"}
	if !slices.Equal(to, want) {
		t.Errorf("the host:port split decided %q, want %q", to, want)
	}
}
