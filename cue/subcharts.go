package cue

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The sub-charts a Polyaxon release bundles (PostgreSQL, Redis, RabbitMQ,
// rabbitmq-ha, docker-registry) read their own keys under their section of
// Polyaxon's values. What each pinned version declares is derived data,
// generated from ../shared/reference/subcharts by
// `go run ./cue/internal/subcharts` (TestSubchartFactsUpToDate checks it).

//go:embed facts/subcharts/subcharts.json
var subchartFS embed.FS

// SubchartFacts are the generated sub-chart facts.
type SubchartFacts struct {
	// Source names where the facts were derived from.
	Source string `json:"source"`
	// Charts are the sub-chart versions by id ("postgresql-8.2.1").
	Charts map[string]*Subchart `json:"charts"`
	// Releases lists, per Polyaxon chart and release ("1.20.0"), the
	// sub-charts it bundles.
	Releases map[string]map[string][]SubchartDep `json:"releases"`

	// known[id] holds the declared paths of each chart; leaf[id] the
	// declared maps and lists without declared children (user data).
	known map[string]map[string]bool
	open  map[string]map[string]bool
}

// Subchart is one version of a sub-chart and the keys its values.yaml declares.
type Subchart struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Source is the upstream chart (owner/repo@commit:path).
	Source string        `json:"source"`
	Keys   []SubchartKey `json:"keys"`
}

// SubchartKey is a declared key: its dotted path (a `.` inside a key is
// written `\.`), its type and, for scalars, its default.
type SubchartKey struct {
	Path    string `json:"path"`
	Type    string `json:"type"`
	Default any    `json:"default,omitempty"`
}

// SubchartDep is a dependency of a Polyaxon release.
type SubchartDep struct {
	// Chart is the id of the sub-chart version ("postgresql-8.2.1").
	Chart string `json:"chart"`
	// Section is the key of Polyaxon's values the sub-chart reads (its
	// alias, else its name).
	Section   string `json:"section"`
	Condition string `json:"condition,omitempty"`
}

// SubchartFactsFile is the name of the embedded facts file.
const SubchartFactsFile = "facts/subcharts/subcharts.json"

func loadSubchartFacts() (*SubchartFacts, error) {
	b, err := subchartFS.ReadFile(SubchartFactsFile)
	if err != nil {
		return nil, fmt.Errorf("sub-chart facts: %w", err)
	}
	var f SubchartFacts
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("sub-chart facts: %w", err)
	}
	f.index()
	return &f, nil
}

func (f *SubchartFacts) index() {
	f.known = map[string]map[string]bool{}
	f.open = map[string]map[string]bool{}
	for id, c := range f.Charts {
		known, parents := map[string]bool{}, map[string]bool{}
		for _, k := range c.Keys {
			known[k.Path] = true
			if i := lastDot(k.Path); i >= 0 {
				parents[k.Path[:i]] = true
			}
		}
		open := map[string]bool{}
		for _, k := range c.Keys {
			if (k.Type == "map" && !parents[k.Path]) || k.Type == "list" {
				open[k.Path] = true
			}
		}
		f.known[id], f.open[id] = known, open
	}
}

// lastDot returns the index of the last unescaped `.` of a path, or -1.
func lastDot(p string) int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] != '.' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && p[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
	}
	return -1
}

// escapeKey writes a key as a path segment of the facts.
func escapeKey(k string) string {
	return strings.NewReplacer(`\`, `\\`, `.`, `\.`).Replace(k)
}

// SubchartFacts returns the embedded sub-chart facts (decoded once).
func (c *Catalog) SubchartFacts() (*SubchartFacts, error) {
	c.subOnce.Do(func() { c.sub, c.subErr = loadSubchartFacts() })
	return c.sub, c.subErr
}

// Pinned returns the ids of the versions of the sub-chart read under
// section that the given releases of chart bundle, sorted.
func (f *SubchartFacts) Pinned(chart, section string, releases []string) []string {
	seen := map[string]bool{}
	for _, r := range releases {
		for _, d := range f.Releases[chart][r] {
			if d.Section == section {
				seen[d.Chart] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Reads returns the sub-chart versions among ids that declare the key at
// segs (below the sub-chart's section): the key itself, or a map or list
// of user data above it.
func (f *SubchartFacts) Reads(ids []string, segs []string) []string {
	var out []string
	for _, id := range ids {
		path := ""
		for i, s := range segs {
			if i > 0 {
				path += "."
			}
			path += escapeKey(s)
			if f.open[id][path] && i < len(segs)-1 {
				out = append(out, id)
				break
			}
			if i == len(segs)-1 && f.known[id][path] {
				out = append(out, id)
			}
		}
	}
	return out
}
