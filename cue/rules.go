package cue

import "slices"

// Rule is the data of one check (cue/rules/*.cue): id, severity, message
// template and documentation. The engine in package lint looks rules up by id.
type Rule struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Category string   `json:"category"`
	Charts   []string `json:"charts"`
	Majors   []string `json:"majors"`
	Enabled  bool     `json:"enabled"`
	// Fixable says the rule's findings carry a fix where one is safe.
	Fixable      bool     `json:"fixable,omitempty"`
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
	// Targets, when not empty, restricts the rule to these lint targets.
	Targets []string `json:"targets,omitempty"`
	// Checks are the parameters of the lint engine's generic checks.
	Checks []*Check `json:"checks,omitempty"`
}

// AppliesTo reports whether the rule runs for chart and major.
func (r *Rule) AppliesTo(chart, major string) bool {
	return slices.Contains(r.Charts, chart) && slices.Contains(r.Majors, major)
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

// Rules returns the rule table of cue/rules/*.cue.
func (c *Catalog) Rules() (*Rules, error) {
	k, err := c.knowledge()
	if err != nil {
		return nil, err
	}
	return k.rules, nil
}
