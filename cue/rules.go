package cue

import (
	"fmt"
	"sort"
	"strings"

	cuelang "cuelang.org/go/cue"
)

// Rule is the data of one check (cue/rules/*.cue): id, severity, message
// template and documentation. The engine in package lint looks rules up by id.
type Rule struct {
	ID           string   `json:"id"`
	Severity     string   `json:"severity"`
	Category     string   `json:"category"`
	Charts       []string `json:"charts"`
	Majors       []string `json:"majors"`
	Enabled      bool     `json:"enabled"`
	Summary      string   `json:"summary"`
	Message      string   `json:"message"`
	Hint         string   `json:"hint,omitempty"`
	Doc          string   `json:"doc"`
	Polyaxon     string   `json:"polyaxon,omitempty"`
	Bad          string   `json:"bad"`
	Good         string   `json:"good"`
	ExampleChart string   `json:"exampleChart"`
	ExampleMajor string   `json:"exampleMajor"`
	ExampleFlags []string `json:"exampleFlags"`
}

// AppliesTo reports whether the rule runs for chart and major.
func (r *Rule) AppliesTo(chart, major string) bool {
	return contains(r.Charts, chart) && contains(r.Majors, major)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Rules is the rule table, by id.
type Rules struct {
	byID map[string]*Rule
	ids  []string
}

// Get returns the rule with id, or nil.
func (r *Rules) Get(id string) *Rule { return r.byID[id] }

// All returns every rule sorted by category then id.
func (r *Rules) All() []*Rule {
	out := make([]*Rule, 0, len(r.ids))
	for _, id := range r.ids {
		out = append(out, r.byID[id])
	}
	return out
}

// Rules compiles (once) and returns the rule table of cue/rules/*.cue.
func (c *Catalog) Rules() (*Rules, error) {
	c.rulesOnce.Do(func() { c.rules, c.rulesErr = c.compileRules() })
	return c.rules, c.rulesErr
}

func (c *Catalog) compileRules() (*Rules, error) {
	v, err := c.instance(func(name string) bool { return strings.HasPrefix(name, "rules/") })
	if err != nil {
		return nil, err
	}
	var m map[string]*Rule
	if err := v.LookupPath(cuelang.ParsePath("rules")).Decode(&m); err != nil {
		return nil, fmt.Errorf("cue/rules: %w", err)
	}
	r := &Rules{byID: m}
	for id := range m {
		r.ids = append(r.ids, id)
	}
	order := map[string]int{"input": 0, "yaml": 1, "schema": 2, "polyaxon": 3, "beyond": 4, "upgrade": 5}
	sort.Slice(r.ids, func(i, j int) bool {
		a, b := m[r.ids[i]], m[r.ids[j]]
		if order[a.Category] != order[b.Category] {
			return order[a.Category] < order[b.Category]
		}
		return a.ID < b.ID
	})
	return r, nil
}
