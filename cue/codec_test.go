package cue

import (
	"bytes"
	"testing"
)

// TestCodecRoundTrip: every compiled schema decodes, re-encodes to the same
// bytes, and every truncation of it is an error, never a panic.
func TestCodecRoundTrip(t *testing.T) {
	for _, chart := range Charts() {
		for _, major := range Majors(chart) {
			b, ok := compiledSchema(chart, major)
			if !ok {
				t.Fatalf("%s %s: no compiled schema", chart, major)
			}
			s, defs, err := decodeSchema(b, nil)
			if err != nil {
				t.Fatalf("%s %s: %v", chart, major, err)
			}
			if s.Defaults, err = decodeDefaults(defs); err != nil {
				t.Fatalf("%s %s defaults: %v", chart, major, err)
			}
			if len(s.Defaults) == 0 {
				t.Errorf("%s %s: no defaults", chart, major)
			}
			again, err := encodeSchema(s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, []byte(b)) {
				t.Errorf("%s %s: re-encoding differs", chart, major)
			}
			for _, n := range []int{0, 1, 5, len(b) / 3, len(b) / 2, len(b) - 1} {
				if _, _, err := decodeSchema(b[:n], nil); err == nil {
					t.Errorf("%s %s: %d of %d bytes decoded without error", chart, major, n, len(b))
				}
			}
			for _, n := range []int{0, 1, len(defs) / 2, len(defs) - 1} {
				if _, err := decodeDefaults(defs[:n]); err == nil {
					t.Errorf("%s %s: %d of %d bytes of defaults decoded without error", chart, major, n, len(defs))
				}
			}
		}
	}
}

// TestSubchartCodec: the compiled sub-chart facts index, every key block
// decodes, and every truncation is an error, never a panic.
func TestSubchartCodec(t *testing.T) {
	f, err := decodeSubcharts(subchartsBin)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.charts) == 0 || len(f.releases) == 0 {
		t.Fatalf("empty facts: %d charts, %d Polyaxon charts", len(f.charts), len(f.releases))
	}
	for id := range f.charts {
		if len(f.keysOf(id)) == 0 {
			t.Errorf("%s declares no key", id)
		}
	}
	b := subchartsBin
	for _, n := range []int{0, 1, 5, len(b) / 3, len(b) / 2, len(b) - 1} {
		if _, err := decodeSubcharts(b[:n]); err == nil {
			t.Errorf("%d of %d bytes decoded without error", n, len(b))
		}
	}
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
	b := knowledgeBin
	for _, n := range []int{0, 1, 5, len(b) / 3, len(b) / 2, len(b) - 1} {
		if _, err := decodeKnowledge(b[:n]); err == nil {
			t.Errorf("%d of %d bytes decoded without error", n, len(b))
		}
	}
}
