package lint

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

// upgradeEntry is one #Upgrade of cue/rules/upgrade_map.cue: what a step
// between majors does to a key.
type upgradeEntry struct {
	From   string     `json:"from"`
	Action string     `json:"action"`
	To     string     `json:"to"`
	Note   string     `json:"note"`
	When   *cond.Cond `json:"when"`
	Unset  bool       `json:"unset"`
	Rule   string     `json:"rule"`

	alts []upgradePattern
}

// upgradePattern is one alternative of an entry's `from`.
type upgradePattern struct {
	segs    []string
	subtree bool
	literal int
}

func (e *upgradeEntry) compile() error {
	if e.Rule == "" {
		return fmt.Errorf("%s: no rule for action %s", e.From, e.Action)
	}
	for _, alt := range strings.Split(e.From, "|") {
		p := upgradePattern{segs: cond.Split(alt)}
		if n := len(p.segs); n > 1 && p.segs[n-1] == "*" {
			p.subtree = true
			p.segs = p.segs[:n-1]
		}
		for _, s := range p.segs {
			if s != "*" {
				p.literal++
			}
		}
		e.alts = append(e.alts, p)
	}
	return e.When.Compile(nil)
}

// score returns how specifically the entry matches segs (0: no match).
func (e *upgradeEntry) score(segs []string) int {
	best := 0
	for _, p := range e.alts {
		if (!p.subtree && len(segs) != len(p.segs)) || !matchesPrefix(p.segs, segs) {
			continue
		}
		sc := 2 * p.literal
		if len(segs) == len(p.segs) {
			sc++
		}
		best = max(best, sc+1)
	}
	return best
}

// leaf reports whether a non-subtree alternative matches segs exactly: the
// entry then covers everything below the key (renaming `api.resources`
// moves its children too).
func (e *upgradeEntry) leaf(segs []string) bool {
	for _, p := range e.alts {
		if !p.subtree && len(p.segs) == len(segs) && matchesPrefix(p.segs, segs) {
			return true
		}
	}
	return false
}

// matchesPrefix reports whether segs starts with the keys of pat, a `*`
// matching any one key.
func matchesPrefix(pat, segs []string) bool {
	if len(pat) > len(segs) {
		return false
	}
	for i, s := range pat {
		if s != "*" && s != segs[i] {
			return false
		}
	}
	return true
}

// upgradeSteps returns the steps from the file's major to the one asked
// for ("next" or "vN"), or nil.
func (r *run) upgradeSteps() []string {
	to := r.opts.UpgradeTo
	ms := cue.Majors(r.det.Chart)
	from := -1
	for i, m := range ms {
		if m == r.det.Major {
			from = i
		}
	}
	if from < 0 || to == "" {
		return nil
	}
	target := from + 1
	if to != "next" {
		target = -1
		for i, m := range ms {
			if m == to {
				target = i
			}
		}
	}
	if target <= from || target >= len(ms) {
		return nil
	}
	var steps []string
	for i := from; i < target; i++ {
		steps = append(steps, ms[i]+"->"+ms[i+1])
	}
	return steps
}

// checkUpgrade reports what the next major (or the one asked for) does to
// each key of the file. A key the first step handles is reported for that
// step only; later steps see the keys earlier steps left alone.
func (r *run) checkUpgrade() {
	steps := r.upgradeSteps()
	if len(steps) == 0 {
		return
	}
	handled := map[*values.Node]bool{}
	for _, step := range steps {
		next := step[strings.Index(step, ">")+1:]
		entries := r.upgrade[r.det.Chart][step]
		best := map[*values.Node]*upgradeEntry{}
		removed := map[*values.Node]bool{}
		r.doc.Root.Walk(func(n *values.Node) bool {
			if n.Parent == nil {
				return true
			}
			if handled[n] {
				return false
			}
			segs := n.Segments()
			var pick *upgradeEntry
			top := 0
			for _, e := range entries {
				if e.Unset {
					continue
				}
				sc := e.score(segs)
				if sc <= top {
					continue
				}
				if e.When != nil && !cond.Holds(e.When, n, r) {
					continue
				}
				pick, top = e, sc
			}
			if pick == nil {
				return true
			}
			best[n] = pick
			if p := n.Parent; p != nil && best[p] == pick {
				return true
			}
			if removedAbove(n, removed) {
				return false
			}
			if pick.Rule == ruleid.UpgradeRemoved {
				removed[n] = true
			}
			handled[n] = true
			r.reportUpgrade(pick, n, n.Path(), next)
			return !pick.leaf(segs)
		})
		for _, e := range entries {
			if !e.Unset {
				continue
			}
			segs := cond.Split(e.From)
			n := r.doc.Root.Lookup(segs...)
			if cond.IsSet(n) {
				continue
			}
			// the deepest section of the path the file has
			at := r.doc.Root
			for _, s := range segs[:len(segs)-1] {
				c := at.Get(s)
				if c == nil {
					break
				}
				at = c
			}
			r.reportUpgrade(e, at, e.From, next)
		}
	}
}

func (r *run) reportUpgrade(e *upgradeEntry, n *values.Node, path, next string) {
	args := map[string]string{"next": next, "replacement": e.To, "note": "", "to": ""}
	if e.To != "" && e.To != path {
		args["to"] = " (see `" + e.To + "`)"
	}
	if e.Note != "" {
		args["note"] = ": " + e.Note
	}
	if e.Unset {
		args["note"] = " (the file relies on the default)" + args["note"]
	}
	r.report(e.Rule, r.where(n, false), path, args)
}

// removedAbove reports whether a section above n is reported as removed:
// what is below goes with it.
func removedAbove(n *values.Node, removed map[*values.Node]bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if removed[p] {
			return true
		}
	}
	return false
}
