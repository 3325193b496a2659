package lint

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/cond"
)

// The generic check kinds of cue/rules/checks.cue. A rule's `checks` list is
// decoded into checkSpec values once per Linter; the engine below evaluates
// them on each document.

// forbiddenKey is a key an agent file must not carry, with the Python name
// Polyaxon's message prints.
type forbiddenKey struct {
	Key string `json:"key"`
	Py  string `json:"py"`
}

// checkSpec is a #Check.
type checkSpec struct {
	Kind      string         `json:"kind"`
	Charts    []string       `json:"charts"`
	Majors    []string       `json:"majors"`
	Each      []string       `json:"each"`
	SkipTyped bool           `json:"skipTyped"`
	At        *string        `json:"at"`
	AtValue   bool           `json:"atValue"`
	When      *cond.Cond     `json:"when"`
	Then      *cond.Cond     `json:"then"`
	Related   []string       `json:"related"`
	Paths     []string       `json:"paths"`
	From      string         `json:"from"`
	Keys      []string       `json:"keys"`
	Forbidden []forbiddenKey `json:"forbidden"`
	Step      string         `json:"step"`
	// Entries are an upgrade check's entries, decoded only when a lint
	// looks at the next major (ruleData.upgrade).
	Entries json.RawMessage   `json:"entries"`
	Message string            `json:"message"`
	Hint    string            `json:"hint"`
	Args    map[string]string `json:"args"`

	// check runs a generic check (checkKinds; nil for upgrade and exempt).
	check func(*run, string, *checkSpec)
}

// ruleSpec is what the engine reads of a rule beyond its messages.
type ruleSpec struct {
	ID      string
	Targets []string
	Checks  []*checkSpec
	// exempt are the rule's `exempt` checks (for rules with Go code).
	exempt []*checkSpec
}

// ruleData is the compiled declarative part of the rule table.
type ruleData struct {
	// specs by rule id; ids sorted.
	specs map[string]*ruleSpec
	ids   []string
	// upgrade returns the entries of every upgrade rule by chart and step,
	// decoded on first use: only a lint that looks at the next major
	// (--next, --upgrade-to) reads them.
	upgrade func() (upgradeTable, error)
}

// upgradeTable holds upgrade entries by chart and step.
type upgradeTable map[string]map[string][]*upgradeEntry

// decodeUpgrades decodes and indexes the entries of the upgrade checks.
func decodeUpgrades(checks []*checkSpec, ids []string) (upgradeTable, error) {
	t := upgradeTable{}
	for i, c := range checks {
		var entries []*upgradeEntry
		if err := json.Unmarshal(c.Entries, &entries); err != nil {
			return nil, fmt.Errorf("rule %s %s entries: %w", ids[i], c.Step, err)
		}
		for _, e := range entries {
			if err := e.compile(); err != nil {
				return nil, fmt.Errorf("rule %s %s: %w", ids[i], c.Step, err)
			}
			for _, ch := range c.Charts {
				if t[ch] == nil {
					t[ch] = map[string][]*upgradeEntry{}
				}
				t[ch][c.Step] = append(t[ch][c.Step], e)
			}
		}
	}
	return t, nil
}

// loadRuleData decodes the rules' checks (cue.Rule.Checks, kept generic by
// package cue) into the engine's types.
func loadRuleData(rules *cue.Rules) (*ruleData, error) {
	d := &ruleData{specs: map[string]*ruleSpec{}}
	var upgrades []*checkSpec
	var upgradeIDs []string
	kinds := checkKinds()
	for _, rule := range rules.All() {
		s := &ruleSpec{ID: rule.ID, Targets: rule.Targets}
		if len(rule.Checks) > 0 {
			if err := json.Unmarshal(rule.Checks, &s.Checks); err != nil {
				return nil, fmt.Errorf("rule %s checks: %w", rule.ID, err)
			}
		}
		var plain []*checkSpec
		for i, c := range s.Checks {
			if err := c.compile(kinds); err != nil {
				return nil, fmt.Errorf("rule %s check %d: %w", rule.ID, i, err)
			}
			if c.Kind == "exempt" {
				s.exempt = append(s.exempt, c)
				continue
			}
			if c.Kind != "upgrade" {
				plain = append(plain, c)
				continue
			}
			upgrades, upgradeIDs = append(upgrades, c), append(upgradeIDs, rule.ID)
		}
		s.Checks = plain
		d.specs[rule.ID] = s
		d.ids = append(d.ids, rule.ID)
	}
	sort.Strings(d.ids)
	d.upgrade = sync.OnceValues(func() (upgradeTable, error) { return decodeUpgrades(upgrades, upgradeIDs) })
	return d, nil
}

func (c *checkSpec) compile(kinds map[string]func(*run, string, *checkSpec)) error {
	if c.Kind == "" {
		c.Kind = "when"
	}
	c.check = kinds[c.Kind]
	if c.check == nil && c.Kind != "upgrade" && c.Kind != "exempt" {
		return fmt.Errorf("unknown check kind %q", c.Kind)
	}
	for _, x := range []*cond.Cond{c.When, c.Then} {
		if err := x.Compile(nil); err != nil {
			return err
		}
	}
	return nil
}

// applies reports whether the check runs for the run's chart and major.
func (c *checkSpec) applies(chart, major string) bool {
	return (len(c.Charts) == 0 || slices.Contains(c.Charts, chart)) && (len(c.Majors) == 0 || slices.Contains(c.Majors, major))
}
