package verify

// The attribution of differences to decisions: which decision key
// controls a difference, found by rendering again (see attributer).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/internal/helm"
	"github.com/pxvalues/pxvalues/values"
)

// layers is what a side is rendered with: the chart and the values files
// in order (the missing sub-charts' defaults first, then the user's).
type layers struct {
	chart  *prepared
	files  []string
	sets   []string
	values map[string]any // the chart's own defaults (values.yaml)
}

// attributer finds which decision's key controls each difference that is
// still a failure, by rendering each side again with decision keys put
// back to the chart's default: a setting that then changes is that key's
// doing. Groups of decisions are tried at once and split while they
// still change something (a few renders for many decisions).
type attributer struct {
	v      *Verifier
	opts   Options
	c      *comparison
	sides  [2]layers
	tmp    string
	ds     []Decision
	mu     sync.Mutex
	sem    chan struct{}
	errOut error
	// cut: the render budget ran out before every group was tried.
	cut bool
}

// maxDecisionGroups bounds the groups of decision keys tried (two renders
// each at most, one a side).
const maxDecisionGroups = 64

// attribute moves the differences that a decision's key controls from the
// failures to the handed or intended lists.
func (a *attributer) attribute(ctx context.Context) error {
	var idx []int
	for i, d := range a.ds {
		if a.present(0, d.Key) || a.present(1, d.NewKey) {
			idx = append(idx, i)
		}
	}
	diffs := make([]int, len(a.c.rep.Differences))
	for i := range diffs {
		diffs[i] = i
	}
	if len(idx) == 0 || len(diffs) == 0 {
		return nil
	}
	owners := a.search(ctx, idx, diffs)
	if a.errOut != nil {
		return a.errOut
	}
	rep := a.c.rep
	var keep []Difference
	for i, d := range rep.Differences {
		owner := a.explains(d, owners[i])
		if owner < 0 {
			keep = append(keep, d)
			continue
		}
		dec := a.ds[owner]
		d.Reason = "the migration's decision: " + dec.Why
		d.Decision = &dec
		if dec.Todo {
			rep.Handed = append(rep.Handed, d)
		} else {
			rep.Intended = append(rep.Intended, d)
		}
	}
	if keep == nil {
		keep = []Difference{}
	}
	rep.Differences = keep
	if a.cut {
		rep.Notes = append(rep.Notes, fmt.Sprintf("finding which of the migration's decisions control the differences stopped after %d groups of keys: a difference a decision may control is reported as a difference", maxDecisionGroups))
	}
	return nil
}

// group is a set of decisions tried against some differences.
type group struct{ set, diffs []int }

// search finds, for each difference, the decisions whose keys control it:
// a group whose keys, put back together, change some differences is split
// (up to eight parts a level: few levels for many decisions, one level of
// single decisions for a few) until single decisions remain. Levels run
// in turn and the render budget goes to a level's groups in order, so the
// outcome does not depend on which render ends first.
func (a *attributer) search(ctx context.Context, idx, diffs []int) [][]int {
	owners := make([][]int, len(diffs))
	a.sem = make(chan struct{}, 4)
	budget := maxDecisionGroups
	level := []group{{idx, diffs}}
	for len(level) > 0 && a.errOut == nil {
		if len(level) > budget {
			level, a.cut = level[:budget], true
		}
		budget -= len(level)
		changed := make([][]int, len(level))
		errs := make([]error, len(level))
		var wg sync.WaitGroup
		for i, g := range level {
			wg.Add(1)
			go func() {
				defer wg.Done()
				changed[i], errs[i] = a.changed(ctx, g.set, g.diffs)
			}()
		}
		wg.Wait()
		var next []group
		for i, g := range level {
			ch := changed[i]
			if errs[i] != nil {
				// A variant the chart refuses (a template needs the key):
				// a single decision cannot be judged (its differences stay
				// failures); a group is split.
				if len(g.set) == 1 {
					continue
				}
				ch = g.diffs
			}
			if len(ch) == 0 {
				continue
			}
			if len(g.set) == 1 {
				for _, d := range ch {
					owners[d] = append(owners[d], g.set[0])
				}
				continue
			}
			k := min(len(g.set), 8)
			for j := range k {
				next = append(next, group{g.set[j*len(g.set)/k : (j+1)*len(g.set)/k], ch})
			}
		}
		level = next
	}
	return owners
}

// explains returns which of the decisions whose keys control difference d
// it is put down to (-1: none). A setting that must survive is put down
// only to a decision about the values key that controls it in the new
// chart, a key under it, or a section holding it below the top level: a
// TODO about a whole top-level section, or about a key the setting merely
// depends on (a Service type for its nodePort), does not excuse losing
// it. Otherwise the deepest key's decision, then the first stated.
func (a *attributer) explains(d Difference, owners []int) int {
	if a.v.k.mustSurvive(d.Workload, d.Setting) != "" {
		near := func(key string) bool {
			return d.Key != "" && (within(key, d.Key) || (within(d.Key, key) && len(keySegments(key)) >= 2))
		}
		var kept []int
		for _, i := range owners {
			if near(a.ds[i].Key) || near(a.ds[i].NewKey) {
				kept = append(kept, i)
			}
		}
		owners = kept
	}
	if len(owners) == 0 {
		return -1
	}
	return a.closest(owners)
}

// within: key is path or a key under it.
func within(key, path string) bool {
	return key != "" && (key == path || strings.HasPrefix(key, path+".") || strings.HasPrefix(key, path+"["))
}

// closest picks, of the decisions whose keys control a difference, the
// one about the deepest key (`gateway.replicas` before `gateway`), then
// the first stated: the same whatever order the renders ended in.
func (a *attributer) closest(owners []int) int {
	depth := func(i int) int {
		d := a.ds[i]
		return max(len(keySegments(d.Key)), len(keySegments(d.NewKey)))
	}
	best := owners[0]
	for _, i := range owners[1:] {
		if depth(i) > depth(best) || (depth(i) == depth(best) && i < best) {
			best = i
		}
	}
	return best
}

// changed renders both sides with the keys of the decisions set put back
// to the chart's defaults and returns the differences whose old or new
// value then changes.
func (a *attributer) changed(ctx context.Context, set, diffs []int) ([]int, error) {
	var out [2]settings
	var errs [2]error
	var wg sync.WaitGroup
	for side := range 2 {
		var keys []string
		for _, i := range set {
			k := a.ds[i].Key
			if side == 1 {
				k = a.ds[i].NewKey
			}
			if a.present(side, k) {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		extra, err := a.revert(side, keys)
		if err != nil {
			wg.Wait() // the other side's render, if started
			a.mu.Lock()
			a.errOut = err // not the chart's doing: the whole verify fails
			a.mu.Unlock()
			return nil, nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.sem <- struct{}{}
			defer func() { <-a.sem }()
			l := a.sides[side]
			t := helm.Template{Helm: a.opts.Helm, Release: a.opts.Release, Chart: l.chart.dir, Namespace: a.opts.Namespace, Sets: l.sets}
			if l.chart.defaults != "" {
				t.Values = append(t.Values, l.chart.defaults)
			}
			t.Values = append(append(t.Values, l.files...), extra...)
			out[side], errs[side] = a.v.render(ctx, a.opts, t)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var changed []int
	for _, i := range diffs {
		d := a.c.rep.Differences[i]
		if (out[0] != nil && a.c.oldValue(out[0], d) != a.c.oldValue(a.c.old[user], d)) ||
			(out[1] != nil && newValue(out[1], d) != newValue(a.c.new[user], d)) {
			changed = append(changed, i)
		}
	}
	return changed, nil
}

// oldValue is a difference's old setting as settings s hold it.
func (c *comparison) oldValue(s settings, d Difference) string {
	o := d.oldObject()
	if d.Setting == "(object)" {
		_, ok := s[o]
		return fmt.Sprint(ok)
	}
	if d.oldSetting == "" {
		return absent
	}
	return c.mapValue(get(s, o, d.oldSetting))
}

// newValue is a difference's new setting as settings s hold it.
func newValue(s settings, d Difference) string {
	if d.Setting == "(object)" {
		_, ok := s[d.Workload]
		return fmt.Sprint(ok)
	}
	return get(s, d.Workload, d.Setting)
}

// present: the side's values files set key.
func (a *attributer) present(side int, key string) bool {
	if key == "" {
		return false
	}
	docs := a.c.oldDocs
	if side == 1 {
		docs = a.c.docs
	}
	segs := keySegments(key)
	for _, doc := range docs {
		if doc.Root.Lookup(segs...) != nil {
			return true
		}
	}
	return false
}

// keySegments splits a dotted key, a list index cut off (the whole list
// is put back).
func keySegments(key string) []string {
	if i := strings.Index(key, "["); i >= 0 {
		key = key[:i]
	}
	return strings.Split(key, ".")
}

// revert writes the two values layers that put keys back to the side's
// chart defaults: the first deletes them (null, which Helm's merge of -f
// files takes as is), the second sets the chart's default where it has
// one (so that a map is the default, not the default merged with the
// user's keys).
func (a *attributer) revert(side int, keys []string) ([]string, error) {
	segs := make([][]string, 0, len(keys))
	for _, k := range keys {
		segs = append(segs, keySegments(k))
	}
	// A key under another of the set is put back with it.
	var kept [][]string
	for i, s := range segs {
		covered := false
		for j, t := range segs {
			if j != i && len(t) <= len(s) && slices.Equal(t, s[:len(t)]) && (len(t) < len(s) || j < i) {
				covered = true
			}
		}
		if !covered {
			kept = append(kept, s)
		}
	}
	del, def := map[string]any{}, map[string]any{}
	for _, s := range kept {
		setPath(del, s, nil)
		if v, ok := cond.Get(a.sides[side].values, s); ok {
			// a copy: the chart's values are shared by concurrent renders
			setPath(def, s, values.Copy(v))
		}
	}
	out := []string{}
	for _, m := range []map[string]any{del, def} {
		if len(m) == 0 {
			continue // no key of the set has a default
		}
		name, err := writeValues(a.tmp, "revert-*.yaml", m)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}

// chartValues are the defaults a key is put back to: the chart's
// values.yaml, under each sub-chart it carries as a directory that one's
// values.yaml, and the defaults given for the sub-charts it lacks.
func chartValues(p *prepared) (map[string]any, error) {
	m, err := readValuesFile(filepath.Join(p.dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	subs, _ := os.ReadDir(filepath.Join(p.dir, "charts"))
	for _, e := range subs {
		if !e.IsDir() {
			continue // a packed sub-chart: its keys are deleted, not put back
		}
		sub, err := readValuesFile(filepath.Join(p.dir, "charts", e.Name(), "values.yaml"))
		if err != nil {
			return nil, err
		}
		if sub != nil {
			fillMissing(m, map[string]any{e.Name(): sub})
		}
	}
	if p.defaults != "" {
		given, err := readValuesFile(p.defaults)
		if err != nil {
			return nil, err
		}
		fillMissing(m, given)
	}
	return m, nil
}

// fillMissing sets in dst what src has and dst does not, map by map (the
// parent chart's values win, as in Helm's coalescing).
func fillMissing(dst, src map[string]any) {
	for k, v := range src {
		have, set := dst[k]
		if !set {
			dst[k] = v
			continue
		}
		hm, ok1 := have.(map[string]any)
		sm, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			fillMissing(hm, sm)
		}
	}
}

// readValuesFile decodes a values file (nil when there is none).
func readValuesFile(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("chart values: %w", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("chart values %s: %w", path, err)
	}
	return m, nil
}

// loadDocs parses values files for lookups.
func loadDocs(files []File) ([]*values.Document, error) {
	var out []*values.Document
	for _, f := range files {
		doc, err := values.Load(f.Name, f.Data, values.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.Name, err)
		}
		out = append(out, doc)
	}
	return out, nil
}
