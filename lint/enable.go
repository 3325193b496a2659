package lint

import (
	"slices"

	"github.com/pxvalues/pxvalues/cue/ruleid"
)

// switches is the one place that decides which rules are on: the rule
// table's default (for rules that apply to chart and major), then --enable
// and --disable, then what the options ask beyond them: rules restricted to
// another --target are off, the opt-in redundant-value rule (--redundant)
// and the upgrade rules (--next, --upgrade-to) are on. An explicit
// --disable still wins. An empty chart means any chart and major (the
// chart-dir check, whose chart may not be Polyaxon's).
func (l *Linter) switches(opts Options, chart, major string) map[string]bool {
	applies := func(id string) bool {
		rule := l.rules.Get(id)
		return rule != nil && (chart == "" || rule.AppliesTo(chart, major))
	}
	on := map[string]bool{}
	for _, rule := range l.rules.All() {
		on[rule.ID] = rule.Enabled && applies(rule.ID)
	}
	for _, id := range opts.Enable {
		on[id] = true
	}
	for _, id := range opts.Disable {
		on[id] = false
	}
	target := opts.Target
	if target == "" {
		target = "helm"
	}
	for _, id := range l.data.ids {
		if t := l.data.specs[id].Targets; len(t) > 0 && !slices.Contains(t, target) {
			on[id] = false
		}
	}
	turnOn := func(id string) {
		if !slices.Contains(opts.Disable, id) && applies(id) {
			on[id] = true
		}
	}
	if opts.Redundant {
		turnOn(ruleid.RedundantValue)
	}
	if opts.UpgradeTo != "" {
		for _, rule := range l.rules.All() {
			if rule.Category == "upgrade" {
				turnOn(rule.ID)
			}
		}
	}
	return on
}

// Enabled returns whether each rule id is on for opts on any chart and
// major (the checks of lint/chart ask it); an id the table does not declare
// is on.
func (l *Linter) Enabled(opts Options) func(id string) bool {
	on := l.switches(opts, "", "")
	return func(id string) bool {
		v, declared := on[id]
		return v || !declared
	}
}
