package verify

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/values"
)

// templateAt finds where a template failed in Helm's message.
var templateAt = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:template: |execution error at \()[^\s:()]+:\d+:\d+`)
})

// comparison is one run of the comparison.
type comparison struct {
	v        *Verifier
	opts     Options
	rep      *Report
	old, new [nRenders]settings
	// docs and oldDocs are the new and the old side's values files.
	docs     []*values.Document
	oldDocs  []*values.Document
	pair     *Pair
	reported map[[4]string]bool
}

func get(s settings, obj, key string) string {
	if v, ok := s[obj][key]; ok {
		return v
	}
	return absent
}

// noDefault is the default of a setting that has none (default pods
// disagree); it equals no value.
const noDefault = "(no single default)"

// defaultOf is the default of a setting: the object's in the defaults
// render; for an object the chart does not render by default, the
// environment variable as every default pod that reads it has it (absent
// when none does, noDefault when they disagree).
func defaultOf(s settings, obj, key string) string {
	if _, ok := s[obj]; ok || !strings.HasPrefix(key, "env.") {
		return get(s, obj, key)
	}
	val := absent
	for _, o := range slices.Sorted(maps.Keys(s)) {
		v, ok := s[o][key]
		if !ok || !strings.HasPrefix(o, "Deployment/") {
			continue
		}
		if val != absent && v != val {
			return noDefault
		}
		val = v
	}
	return val
}

func (c *comparison) run() {
	rep := c.rep
	if rep.Old.Chart != "" && rep.Old.Chart == rep.New.Chart {
		c.pair = c.v.k.pair(rep.New.Chart, rep.Old.Major, rep.New.Major)
	}
	matched := map[string]bool{}
	for _, o := range slices.Sorted(maps.Keys(c.old[user])) {
		n, reason, explicit := o, "", false
		if c.pair != nil {
			if to, ok := c.pair.Objects[o]; ok {
				n, explicit = to, true
			}
			reason = c.pair.Reasons[o]
		}
		if explicit && n == "" {
			c.intended(Difference{Workload: o, Setting: "(object)", Old: "present", New: absent, Reason: reason})
			continue
		}
		if _, ok := c.new[user][n]; !ok {
			d := Difference{Workload: n, OldWorkload: o, Setting: "(object)", Old: "present", New: absent}
			if c.defaultObject(o, n) {
				d.Reason = "each side holds its own chart's default"
				c.intended(d)
			} else {
				c.fail(d)
			}
			continue
		}
		merged := explicit && reason != ""
		if !merged {
			matched[n] = true
		}
		c.compare(o, n, merged, reason)
	}
	for _, n := range slices.Sorted(maps.Keys(c.new[user])) {
		if matched[n] {
			continue
		}
		if c.isTarget(n) {
			continue // the target of a merge only: compared from the old objects
		}
		d := Difference{Workload: n, Setting: "(object)", Old: absent, New: "present"}
		if c.newDefaultObject(n) {
			d.Reason = "the new chart's default"
			c.intended(d)
		} else {
			c.fail(d)
		}
	}
}

func (c *comparison) isTarget(n string) bool {
	if c.pair == nil {
		return false
	}
	for o, to := range c.pair.Objects {
		if to == n {
			if _, ok := c.old[user][o]; ok {
				return true
			}
		}
	}
	return false
}

// defaultObject: the old chart renders the object by default and the new
// chart by default has no counterpart: the presence of the object is each
// chart's default.
func (c *comparison) defaultObject(o, n string) bool {
	if c.old[defaults] == nil || c.new[defaults] == nil {
		return false
	}
	_, inOld := c.old[defaults][o]
	_, inNew := c.new[defaults][n]
	return inOld && !inNew
}

// newDefaultObject: the new chart renders the object by default.
func (c *comparison) newDefaultObject(n string) bool {
	_, ok := c.new[defaults][n]
	return ok
}

// fromMerged: a merged old object held the new object's setting with the
// same value (the new object carries it from there).
func (c *comparison) fromMerged(n, key, value string) bool {
	if c.pair == nil {
		return false
	}
	for o, to := range c.pair.Objects {
		if to == n && c.pair.Reasons[o] != "" {
			if v, ok := c.old[user][o][key]; ok && c.mapValue(v) == value {
				return true
			}
		}
	}
	return false
}

// containers lists the container names of an object's settings.
func containers(s map[string]string) []string {
	var out []string
	for k := range s {
		if strings.HasPrefix(k, "image[") && strings.HasSuffix(k, "]") {
			out = append(out, k[len("image["):len(k)-1])
		}
	}
	sort.Strings(out)
	return out
}

// compare compares the settings of old object o with new object n. A
// merged object (several old into one new) is judged only on what the
// user set in it.
func (c *comparison) compare(o, n string, merged bool, reason string) {
	oldS, newS := c.old[user][o], c.new[user][n]
	// One container on each side: its settings are the same container's.
	rename := func(key string) string { return key }
	if oc, nc := containers(oldS), containers(newS); len(oc) == 1 && len(nc) == 1 && oc[0] != nc[0] {
		from, to := "["+oc[0]+"]", "["+nc[0]+"]"
		rename = func(key string) string { return strings.Replace(key, from, to, 1) }
	}
	if c.pair != nil && len(c.pair.Settings) > 0 {
		inner := rename
		rename = func(key string) string {
			if to, ok := c.pair.Settings[key]; ok {
				return to
			}
			return inner(key)
		}
	}
	keys := map[string]string{} // new key -> old key
	for k := range oldS {
		keys[rename(k)] = k
	}
	if !merged {
		for k := range newS {
			if _, ok := keys[k]; !ok {
				keys[k] = ""
			}
		}
	}
	for _, nk := range slices.Sorted(maps.Keys(keys)) {
		ok := keys[nk]
		ov, nv := absent, get(c.new[user], n, nk)
		if ok != "" {
			ov = c.mapValue(get(c.old[user], o, ok))
		}
		if ov == nv || (ok == "" && c.fromMerged(n, nk, nv)) || (ok != "" && nv == absent && readWhole(newS, nk, ov)) {
			continue
		}
		d := Difference{Workload: n, Setting: nk, Old: ov, New: nv, oldSetting: ok}
		if o != n {
			d.OldWorkload = o
		}
		oldDef := c.mapValue(defaultOf(c.old[defaults], o, ok))
		if ok == "" {
			oldDef = absent
		}
		switch {
		case (ok != "" && get(c.old[user], o, ok) != get(c.old[again], o, ok)) || nv != get(c.new[again], n, nk):
			d.Old, d.New = "(random)", "(random)"
			d.Reason = "generated at random by the chart (differs between two renders)"
			c.intended(d)
			continue
		case merged && c.old[defaults] != nil && ov == oldDef:
			continue // not set by the user: nothing of theirs to lose
		}
		if secret, found := strings.CutPrefix(nk, "envFrom secret "); found && ok == "" && readsKeyOf(oldS, secret) {
			d.Reason = "the new pods read the whole Secret (envFrom) of which the old pods read a key"
			c.intended(d)
			continue
		}
		if strings.HasPrefix(nk, "mount ") && nv == absent && c.keptAsConnection(n, strings.TrimPrefix(nk, "mount "), ov) {
			d.Reason = "kept as a connection with the same volume and mount path: the new major mounts connections into runs, not into the platform's pods"
			c.intended(d)
			continue
		}
		if r := c.v.k.intended(n, nk, c.rep.Old.Major, ov, nv); r != "" {
			d.Reason = r
			c.intended(d)
			continue
		}
		// A setting that must survive fails when it changed, or when the
		// user had set it and it is lost; an old chart default that the
		// new chart does not have is judged as a default below.
		lostDefault := nv == absent && c.old[defaults] != nil && ov == oldDef
		if why := c.v.k.mustSurvive(n, nk); why != "" && ok != "" && !lostDefault {
			d.MustSurvive = why
			c.fail(d)
			continue
		}
		if c.old[defaults] != nil && c.new[defaults] != nil && ov == oldDef && nv == defaultOf(c.new[defaults], n, nk) {
			d.Reason = "each side holds its own chart's default"
			c.intended(d)
			continue
		}
		if merged {
			d.Reason = reason
		}
		c.fail(d)
	}
}

// readWhole: the environment variable the old pod read from a key of a
// Secret that is not rendered ("secretKeyRef NAME/KEY") is read by the new
// pod through envFrom of the whole Secret, which sets KEY.
func readWhole(newS map[string]string, setting, old string) bool {
	env, ok := strings.CutPrefix(setting, "env.")
	ref, isRef := strings.CutPrefix(old, "secretKeyRef ")
	if !ok || !isRef {
		return false
	}
	name, key, _ := strings.Cut(ref, "/")
	_, whole := newS["envFrom secret "+name]
	return whole && key == env
}

// readsKeyOf: the old pod read a key of the Secret that is not rendered.
func readsKeyOf(oldS map[string]string, secret string) bool {
	for _, v := range oldS {
		if strings.HasPrefix(v, "secretKeyRef "+secret+"/") {
			return true
		}
	}
	return false
}

// keptAsConnection: the new object's connections hold one mounted at path
// on the volume the old object mounted there (same claim or host path).
func (c *comparison) keptAsConnection(n, path, old string) bool {
	var mount struct {
		Volume struct {
			PVC *struct {
				ClaimName string `json:"claimName"`
			} `json:"persistentVolumeClaim"`
			HostPath *struct {
				Path string `json:"path"`
			} `json:"hostPath"`
		} `json:"volume"`
	}
	if json.Unmarshal([]byte(old), &mount) != nil {
		return false
	}
	for _, key := range c.v.k.Connections {
		var conns []struct {
			Schema struct {
				MountPath   string `json:"mountPath"`
				VolumeClaim string `json:"volumeClaim"`
				HostPath    string `json:"hostPath"`
			} `json:"schema"`
		}
		if json.Unmarshal([]byte(get(c.new[user], n, key)), &conns) != nil {
			continue
		}
		for _, cn := range conns {
			s := cn.Schema
			if s.MountPath != path {
				continue
			}
			if (mount.Volume.PVC != nil && s.VolumeClaim == mount.Volume.PVC.ClaimName && s.VolumeClaim != "") ||
				(mount.Volume.HostPath != nil && s.HostPath == mount.Volume.HostPath.Path && s.HostPath != "") {
				return true
			}
		}
	}
	return false
}

// mapValue renames old object names in a value (an Ingress backend) to
// the new major's.
func (c *comparison) mapValue(v string) string {
	if c.pair == nil || !strings.HasPrefix(v, "Service/") {
		return v
	}
	name, port, _ := strings.Cut(v, ":")
	if to, ok := c.pair.Objects[name]; ok && to != "" {
		return to + ":" + port
	}
	return v
}

func (c *comparison) fail(d Difference) {
	if c.seen(d) {
		return
	}
	c.locate(&d)
	c.rep.Differences = append(c.rep.Differences, hideSecrets(d))
}

func (c *comparison) intended(d Difference) {
	if c.seen(d) {
		return
	}
	c.locate(&d)
	c.rep.Intended = append(c.rep.Intended, hideSecrets(d))
}

// seen: the same difference of the same new workload was reported
// already (from another of the old objects merged into it).
func (c *comparison) seen(d Difference) bool {
	if c.reported == nil {
		c.reported = map[[4]string]bool{}
	}
	k := [4]string{d.Workload, d.Setting, d.Old, d.New}
	if c.reported[k] {
		return true
	}
	c.reported[k] = true
	return false
}

// hideSecrets shows a secret value as "(secret)": the hash the comparison
// used stays inside (a short unsalted hash could be guessed for a weak
// password).
func hideSecrets(d Difference) Difference {
	if strings.HasPrefix(d.Old, "sha256:") {
		d.Old = "(secret)"
	}
	if strings.HasPrefix(d.New, "sha256:") {
		d.New = "(secret)"
		if d.Old == "(secret)" {
			d.New = "(another secret)"
		}
	}
	return d
}
