package cue

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestCodecRoundTrip: every compiled schema decodes, re-encodes to the same
// bytes, and every truncation of it is an error, never a panic.
func TestCodecRoundTrip(t *testing.T) {
	for _, chart := range Charts() {
		for _, major := range Majors(chart) {
			b, err := compiledFS.ReadFile("compiled/" + SchemaFile(chart, major))
			if err != nil {
				t.Fatal(err)
			}
			s, defs, err := decodeSchema(b)
			if err != nil {
				t.Fatalf("%s %s: %v", chart, major, err)
			}
			again, err := encodeSchema(s, defs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, b) {
				t.Errorf("%s %s: re-encoding differs", chart, major)
			}
			if !json.Valid(defs) {
				t.Errorf("%s %s: defaults are not JSON", chart, major)
			}
			for _, n := range []int{0, 1, 5, len(b) / 3, len(b) / 2, len(b) - 1} {
				if _, _, err := decodeSchema(b[:n]); err == nil {
					t.Errorf("%s %s: %d of %d bytes decoded without error", chart, major, n, len(b))
				}
			}
		}
	}
}
