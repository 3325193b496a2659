package lint

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/pxvalues/pxvalues/cue"
)

// The generic check kinds of cue/rules/checks.cue. A rule's `checks` list
// (cue.Check, decoded and compiled by the catalog) is indexed once per
// Linter; the engine below evaluates them on each document.

// checkSpec is a cue.Check with the engine's function for its kind.
type checkSpec struct {
	*cue.Check
	// kind is Check.Kind, "when" when empty.
	kind string
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

// loadRuleData indexes the rules' checks (cue.Rule.Checks) by rule and
// gives each its engine function.
func loadRuleData(rules *cue.Rules) (*ruleData, error) {
	d := &ruleData{specs: map[string]*ruleSpec{}}
	var upgrades []*checkSpec
	var upgradeIDs []string
	kinds := checkKinds()
	for _, rule := range rules.All() {
		s := &ruleSpec{ID: rule.ID, Targets: rule.Targets}
		for i, x := range rule.Checks {
			c := &checkSpec{Check: x, kind: cmp.Or(x.Kind, "when")}
			c.check = kinds[c.kind]
			switch {
			case c.kind == "exempt":
				s.exempt = append(s.exempt, c)
			case c.kind == "upgrade":
				upgrades, upgradeIDs = append(upgrades, c), append(upgradeIDs, rule.ID)
			case c.check == nil:
				return nil, fmt.Errorf("rule %s check %d: unknown check kind %q", rule.ID, i, c.kind)
			default:
				s.Checks = append(s.Checks, c)
			}
		}
		d.specs[rule.ID] = s
		d.ids = append(d.ids, rule.ID)
	}
	sort.Strings(d.ids)
	d.upgrade = sync.OnceValues(func() (upgradeTable, error) { return decodeUpgrades(upgrades, upgradeIDs) })
	return d, nil
}

// applies reports whether the check runs for the run's chart and major.
func (c *checkSpec) applies(chart, major string) bool {
	return (len(c.Charts) == 0 || slices.Contains(c.Charts, chart)) && (len(c.Majors) == 0 || slices.Contains(c.Majors, major))
}
