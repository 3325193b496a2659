package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestKnowledgeUpToDate: migrate/verify/knowledge.json is a fresh compile
// of cue/verify (run `go generate ./migrate/verify` after editing the CUE).
func TestKnowledgeUpToDate(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	want, err := Compile(filepath.Join(root, "cue", "verify"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "migrate", "verify", "knowledge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("migrate/verify/knowledge.json is stale: run go generate ./migrate/verify")
	}
}

// TestCompileRefusesBadData: data outside the schema is refused.
func TestCompileRefusesBadData(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.cue"), []byte("package verify\n#Knowledge: {kinds: [...string]}\nknowledge: #Knowledge & {kinds: [1]}\n"), 0o644)
	if _, err := Compile(dir); err == nil {
		t.Error("accepted kinds: [1]")
	}
}
