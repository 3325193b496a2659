package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	yaml "go.yaml.in/yaml/v3"

	"github.com/pxvalues/pxvalues/cue/facts"
)

// refreshFacts rewrites the facts of factsDir (cue/facts) from the
// reference folder: the catalogue (keys) and the chart values corpus
// (releases). Each rebuilt release is checked against its original.
func refreshFacts(reference, factsDir string) error {
	for file, base := range facts.Catalogues {
		src, err := os.ReadFile(filepath.Join(reference, "catalogue", file))
		if err != nil {
			return fmt.Errorf("reading the catalogue: %w", err)
		}
		out, err := facts.KeysFromCatalogue(src)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := write(filepath.Join(factsDir, "keys"), map[string][]byte{base + ".json": out}); err != nil {
			return err
		}
	}
	originals := map[string][]byte{}
	for _, chart := range []string{"platform", "agent"} {
		dir := filepath.Join(reference, "polyaxon-charts", chart)
		ents, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("reading the chart corpus: %w", err)
		}
		var versions []string
		for _, de := range ents {
			if m := corpusNameRE.FindStringSubmatch(de.Name()); m != nil && !de.IsDir() {
				versions = append(versions, m[1])
			}
		}
		slices.SortFunc(versions, compareSemver)
		srcs := make([][]byte, len(versions))
		for i, v := range versions {
			if srcs[i], err = os.ReadFile(filepath.Join(dir, "v"+v+".yaml")); err != nil {
				return fmt.Errorf("reading the chart corpus: %w", err)
			}
			originals[chart+"/v"+v+".yaml"] = srcs[i]
		}
		out, err := facts.EncodeReleases(chart, versions, srcs)
		if err != nil {
			return err
		}
		if err := write(filepath.Join(factsDir, "releases"), map[string][]byte{chart + ".json": out}); err != nil {
			return err
		}
	}
	rs, err := facts.Releases(factsDir)
	if err != nil {
		return err
	}
	if len(rs) != len(originals) {
		return fmt.Errorf("rebuilt %d releases from the facts, the corpus has %d", len(rs), len(originals))
	}
	for _, r := range rs {
		var a, b any
		if err := yaml.Unmarshal(originals[r.Name()], &a); err != nil {
			return fmt.Errorf("%s: %w", r.Name(), err)
		}
		if err := yaml.Unmarshal(r.YAML, &b); err != nil {
			return fmt.Errorf("%s rebuilt: %w", r.Name(), err)
		}
		if !reflect.DeepEqual(a, b) {
			return fmt.Errorf("%s: the document rebuilt from the facts differs from the original", r.Name())
		}
	}
	return nil
}
