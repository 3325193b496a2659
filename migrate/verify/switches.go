package verify

import (
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// A default depends on the deployment's shape: the scheduler's environment
// exists only when the scheduler is on. The chart's defaults alone lack the
// user's on/off switches (`scheduler.enabled: true`), so a setting of a
// workload the user switched on would be judged against no default at all.
// The defaults render of each side is given the switches both sides set
// alike: what then differs between the two defaults renders (a setting, an
// object) is the charts' doing, not the values'. A switch that the
// migration lost, added or changed is given to neither, so its effects
// remain differences.

// switches returns the on/off switches a side's values set: every boolean
// under a key named "enabled", outside lists (later files, then --set
// expressions, win), as dotted path -> value.
func switches(docs []*values.Document, sets []string) map[string]bool {
	out := map[string]bool{}
	for _, doc := range docs {
		doc.Root.Walk(func(n *values.Node) bool {
			if n.Shadowed || n.Index >= 0 {
				return false
			}
			if b, ok := n.Value.(bool); ok && n.Key == "enabled" {
				segs := n.Segments()
				for _, seg := range segs {
					if strings.Contains(seg, ".") {
						return false // not a path --set could name either
					}
				}
				out[strings.Join(segs, ".")] = b
			}
			return true
		})
	}
	for _, set := range sets {
		for _, expr := range strings.Split(set, ",") {
			key, val, ok := strings.Cut(expr, "=")
			if !ok || strings.ContainsAny(key, `[]\`) || (key != "enabled" && !strings.HasSuffix(key, ".enabled")) {
				continue
			}
			switch val {
			case "true":
				out[key] = true
			case "false":
				out[key] = false
			}
		}
	}
	return out
}

// agreedSwitches are the switches both sides set to the same value, as
// each side spells them: renamed maps an old switch to its new name (a
// sub-chart renamed between majors), others keep their name. docs and sets
// are each side's values files, parsed, and --set expressions.
func agreedSwitches(docs [2][]*values.Document, sets [2][]string, renamed map[string]string) [2]map[string]bool {
	out := [2]map[string]bool{{}, {}}
	o, n := switches(docs[0], sets[0]), switches(docs[1], sets[1])
	for key, v := range o {
		to := key
		if r, ok := renamed[key]; ok {
			to = r
		}
		if w, ok := n[to]; ok && w == v {
			out[0][key], out[1][to] = v, v
		}
	}
	return out
}

// writeSwitches writes the switches as a values file under tmp, named
// after pattern ("" when there is none).
func writeSwitches(sw map[string]bool, tmp, pattern string) (string, error) {
	if len(sw) == 0 {
		return "", nil
	}
	m := map[string]any{}
	for k, v := range sw {
		setPath(m, strings.Split(k, "."), v)
	}
	return writeValues(tmp, pattern, m)
}
