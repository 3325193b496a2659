package cue_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/internal/gen/compile"
)

// TestCompiledUpToDate fails when cue/compiled no longer matches a fresh
// compile of the CUE sources, or cue/ruleid no longer names the rules of
// cue/rules: run `go generate ./cue`.
func TestCompiledUpToDate(t *testing.T) {
	files, err := compile.New(os.DirFS(".")).Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("compiled", name))
		if err != nil {
			t.Errorf("%s: %v (go generate ./cue)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("cue/compiled/%s is stale: run go generate ./cue", name)
		}
	}
	ids, err := compile.New(os.DirFS(".")).RuleIDs()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join("ruleid", "ruleid_gen.go")); err != nil || !bytes.Equal(got, ids) {
		t.Errorf("cue/ruleid/ruleid_gen.go is stale or missing (%v): run go generate ./cue", err)
	}
	on, _ := filepath.Glob(filepath.Join("compiled", "*"))
	for _, f := range on {
		if _, ok := files[filepath.Base(f)]; !ok {
			t.Errorf("%s: not generated any more: delete it", f)
		}
	}
}

// TestCompiledMatchesCUE checks that the schemas the runtime decodes are the
// Type trees, releases and defaults a fresh CUE compile gives.
func TestCompiledMatchesCUE(t *testing.T) {
	cat := cue.New()
	c := compile.New(os.DirFS("."))
	for _, chart := range cue.Charts() {
		for _, major := range cue.Majors(chart) {
			fast, err := cat.Schema(chart, major)
			if err != nil {
				t.Fatal(err)
			}
			slow, _, err := c.Schema(chart, major)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(fast)
			b, _ := json.Marshal(slow)
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: compiled schema differs from the CUE compile", chart, major)
			}
		}
	}
}

// TestKnowledgeCodec: the knowledge the runtime decodes from
// cue/compiled/knowledge.bin marshals to the same JSON as a fresh compile
// of the CUE sources (a field the codec forgot would differ).
func TestKnowledgeCodec(t *testing.T) {
	fresh, err := compile.New(os.DirFS(".")).Knowledge()
	if err != nil {
		t.Fatal(err)
	}
	got, err := cue.DecodedKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	a, err := json.Marshal(fresh)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("decoded knowledge differs from the CUE compile:\n%s\n%s", a, b)
	}
}

// TestMigrationsCodec: the migration steps and tables the runtime decodes
// from cue/compiled/migrate.bin marshal to the same JSON as a fresh compile
// of the CUE sources.
func TestMigrationsCodec(t *testing.T) {
	fresh, err := compile.New(os.DirFS(".")).Knowledge()
	if err != nil {
		t.Fatal(err)
	}
	steps, tables, err := cue.DecodedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]any{{fresh.Migrations, steps}, {fresh.Tables, *tables}} {
		a, err := json.Marshal(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("decoded migrations differ from the CUE compile:\n%.2000s\n%.2000s", a, b)
		}
	}
}
