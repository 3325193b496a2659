package cue

import (
	"bytes"
	"testing"
)

// TestCodecRoundTrip: the compiled schemas decode, re-encode to the same
// bytes, share their common subtrees, and every truncation of them is an
// error, never a panic.
func TestCodecRoundTrip(t *testing.T) {
	pool, err := decodeSchemas(schemasBin, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ss []*Schema
	for _, chart := range Charts() {
		for _, major := range Majors(chart) {
			cs, ok := pool[chart+"/"+major]
			if !ok {
				t.Fatalf("%s %s: no compiled schema", chart, major)
			}
			s := *cs.s
			if s.Defaults, err = decodeDefaults(cs.defs); err != nil {
				t.Fatalf("%s %s defaults: %v", chart, major, err)
			}
			if len(s.Defaults) == 0 {
				t.Errorf("%s %s: no defaults", chart, major)
			}
			for _, n := range []int{0, 1, len(cs.defs) / 2, len(cs.defs) - 1} {
				if _, err := decodeDefaults(cs.defs[:n]); err == nil {
					t.Errorf("%s %s: %d of %d bytes of defaults decoded without error", chart, major, n, len(cs.defs))
				}
			}
			ss = append(ss, &s)
		}
	}
	again, err := encodeSchemas(ss)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, []byte(schemasBin)) {
		t.Errorf("re-encoding differs")
	}
	// the same section of two majors is one Type
	v1, v2 := pool["platform/v1"].s.Root, pool["platform/v2"].s.Root
	if a, b := v1.Field("affinity"), v2.Field("affinity"); a == nil || b == nil || a.Type != b.Type {
		t.Errorf("platform v1 and v2 do not share the type of affinity")
	}
	checkTruncations(t, schemasBin, func(s string) error { _, err := decodeSchemas(s, nil); return err })
}

// TestSubchartCodec: the compiled sub-chart facts index, every key block
// decodes, and every truncation is an error, never a panic.
func TestSubchartCodec(t *testing.T) {
	idx, err := decodeSubcharts(subchartsBin)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.charts) == 0 || len(idx.releases) == 0 {
		t.Fatalf("empty facts: %d charts, %d Polyaxon charts", len(idx.charts), len(idx.releases))
	}
	f := &SubchartFacts{src: subchartsBin}
	for id, k := range idx.charts {
		keys, err := decodeSubchartKeys(k.raw)
		if err != nil {
			t.Errorf("%s: %v", id, err)
		}
		if len(keys) == 0 || len(f.keysOf(id)) != len(keys) {
			t.Errorf("%s declares %d keys, %d through the facts", id, len(keys), len(f.keysOf(id)))
		}
	}
	checkTruncations(t, subchartsBin, func(s string) error { _, err := decodeSubcharts(s); return err })
}

// TestKnowledgeRoundTrip: the compiled knowledge decodes, re-encodes to the
// same bytes, and every truncation of it is an error, never a panic.
func TestKnowledgeRoundTrip(t *testing.T) {
	k, err := decodeKnowledge(knowledgeBin)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Rules) == 0 || len(k.Detect.Chart.Signals) == 0 || len(k.Secrets.Names) == 0 {
		t.Fatalf("knowledge decoded empty: %d rules", len(k.Rules))
	}
	again, err := encodeKnowledge(k)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, []byte(knowledgeBin)) {
		t.Error("re-encoding differs")
	}
	checkTruncations(t, knowledgeBin, func(s string) error { _, err := decodeKnowledge(s); return err })
}

// TestMigrationsRoundTrip: the compiled migration steps and tables decode,
// re-encode to the same bytes, and every truncation is an error, never a
// panic.
func TestMigrationsRoundTrip(t *testing.T) {
	m, err := decodeMigrations(migrateBin)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Migrations) == 0 || len(m.Tables.ReleaseDefaultsJSON) == 0 || len(m.Tables.Persistence.StoreKinds) == 0 {
		t.Fatalf("migrations decoded empty: %d steps", len(m.Migrations))
	}
	again, err := encodeMigrations(m.Migrations, &m.Tables)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, []byte(migrateBin)) {
		t.Error("re-encoding differs")
	}
	checkTruncations(t, migrateBin, func(s string) error { _, err := decodeMigrations(s); return err })
}

// checkTruncations: every cut of a compiled file's bytes is an error from
// decode, never a panic nor a success.
func checkTruncations(t *testing.T, b string, decode func(string) error) {
	t.Helper()
	for _, n := range []int{0, 1, 5, len(b) / 3, len(b) / 2, len(b) - 1} {
		if err := decode(b[:n]); err == nil {
			t.Errorf("%d of %d bytes decoded without error", n, len(b))
		}
	}
}
