package cue

import (
	"bytes"
	"path"
	"testing"
)

// TestCompiledUpToDate fails when cue/compiled no longer matches a fresh
// compile of the embedded CUE: run `go generate ./cue`.
func TestCompiledUpToDate(t *testing.T) {
	files, err := New().Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := compiledFS.ReadFile(path.Join("compiled", name))
		if err != nil {
			t.Errorf("%s: %v (go generate ./cue)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("cue/compiled/%s is stale: run go generate ./cue", name)
		}
	}
}

// TestCompiledMatchesCUE checks that the compiled form of every schema is
// the Type tree a fresh CUE compile gives, and that a stale compiled file
// is never used.
func TestCompiledMatchesCUE(t *testing.T) {
	c := New()
	for _, chart := range Charts() {
		for _, major := range Majors(chart) {
			fast, err := loadCompiledSchema(chart, major)
			if err == errStale {
				t.Errorf("%s %s: compiled form is stale: run go generate ./cue", chart, major)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			slow, _, err := c.CompileSchema(chart, major)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := marshal(fast.Root)
			b, _ := marshal(slow.Root)
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: compiled Type tree differs from the CUE compile", chart, major)
			}
		}
	}
}
