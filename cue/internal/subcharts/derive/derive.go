// Package derive turns the reference sub-chart data into the facts pxvalues
// embeds (see cue/subcharts.go).
package derive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
)

// FileName is the name of the generated file.
const FileName = "subcharts.json"

type refDep struct {
	Name      string  `json:"name"`
	Version   string  `json:"version"`
	Condition *string `json:"condition"`
	Alias     *string `json:"alias"`
	Values    string  `json:"values"`
}

type refValues struct {
	Chart   string `json:"chart"`
	Version string `json:"version"`
	Source  string `json:"source"`
	Keys    []struct {
		Path    string `json:"path"`
		Type    string `json:"type"`
		Default any    `json:"default"`
	} `json:"keys"`
}

// Facts reads dir (../shared/reference/subcharts) and returns the content
// of subcharts.json.
func Facts(dir string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, "releases.json"))
	if err != nil {
		return nil, fmt.Errorf("reading the dependency lists: %w", err)
	}
	var rels map[string]map[string][]refDep
	if err := json.Unmarshal(b, &rels); err != nil {
		return nil, fmt.Errorf("releases.json: %w", err)
	}
	out := cue.SubchartData{
		Source:   "../shared/reference/subcharts (releases.json, values/*.json)",
		Charts:   map[string]*cue.Subchart{},
		Releases: map[string]map[string][]cue.SubchartDep{},
	}
	for chart, byRelease := range rels {
		out.Releases[chart] = map[string][]cue.SubchartDep{}
		for rel, deps := range byRelease {
			list := []cue.SubchartDep{}
			for _, d := range deps {
				id := d.Name + "-" + d.Version
				section := d.Name
				if d.Alias != nil && *d.Alias != "" {
					section = *d.Alias
				}
				dep := cue.SubchartDep{Chart: id, Section: section}
				if d.Condition != nil {
					dep.Condition = *d.Condition
				}
				list = append(list, dep)
				if _, done := out.Charts[id]; done {
					continue
				}
				if d.Values == "" || d.Values == "not found" {
					return nil, fmt.Errorf("%s %s: no values for %s", chart, rel, id)
				}
				sc, err := readValues(filepath.Join(dir, "values", d.Values))
				if err != nil {
					return nil, err
				}
				out.Charts[id] = sc
			}
			out.Releases[chart][strings.TrimPrefix(rel, "v")] = list
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readValues(path string) (*cue.Subchart, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading sub-chart values: %w", err)
	}
	var v refValues
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sc := &cue.Subchart{Name: v.Chart, Version: v.Version, Source: v.Source}
	for _, k := range v.Keys {
		key := cue.SubchartKey{Path: k.Path, Type: k.Type}
		switch k.Type {
		case "string", "number", "bool":
			key.Default = k.Default
		}
		sc.Keys = append(sc.Keys, key)
	}
	sort.SliceStable(sc.Keys, func(i, j int) bool { return sc.Keys[i].Path < sc.Keys[j].Path })
	return sc, nil
}
