package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

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
// under a key named "enabled", outside lists (later files, then --set,
// win), as dotted path -> value.
func switches(s Side) (map[string]bool, error) {
	out := map[string]bool{}
	for _, f := range s.Files {
		doc, err := values.Load(f.Name, f.Data, values.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.Name, err)
		}
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
	for _, set := range s.Sets {
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
	return out, nil
}

// agreedSwitches are the switches both sides set to the same value, as
// each side spells them: renamed maps an old switch to its new name (a
// sub-chart renamed between majors), others keep their name.
func agreedSwitches(old, new Side, renamed map[string]string) ([2]map[string]bool, error) {
	out := [2]map[string]bool{{}, {}}
	o, err := switches(old)
	if err != nil {
		return out, err
	}
	n, err := switches(new)
	if err != nil {
		return out, err
	}
	for key, v := range o {
		to := key
		if r, ok := renamed[key]; ok {
			to = r
		}
		if w, ok := n[to]; ok && w == v {
			out[0][key], out[1][to] = v, v
		}
	}
	return out, nil
}

// writeSwitches writes the switches as a values file under tmp ("" when
// there is none).
func writeSwitches(sw map[string]bool, tmp, name string) (string, error) {
	if len(sw) == 0 {
		return "", nil
	}
	m := map[string]any{}
	keys := make([]string, 0, len(sw))
	for k := range sw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		setPath(m, strings.Split(k, "."), sw[k])
	}
	b, err := yaml.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	name = filepath.Join(tmp, name)
	if err := os.WriteFile(name, b, 0o600); err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	return name, nil
}
