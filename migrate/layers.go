package migrate

import (
	"fmt"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

// Layer is one values file of a release: `-f base.yaml -f prod.yaml` are
// two layers, the later one winning key by key as in Helm.
type Layer struct {
	Name string
	Src  []byte
}

// LayerSets are the --set flags given on top of the layers: they take part
// in the decisions (detection, conditions, defaults) but are not rewritten.
type LayerSets struct {
	Sets []values.Set
	// ReadFile reads the file of a --set-file flag.
	ReadFile func(path string) ([]byte, error)
}

// group is the state shared by the runs of the layers of one release.
type group struct {
	runs []*run
	sets *LayerSets
}

// merged returns the values of the release as they stand: the layers (as
// the migration has rewritten them so far) merged as Helm does, the --set
// flags on top.
func (g *group) merged() (*values.Document, error) {
	ls := values.Layers{}
	for _, r := range g.runs {
		ls.Files = append(ls.Files, r.doc)
	}
	if g.sets != nil {
		ls.Sets, ls.ReadFile = g.sets.Sets, g.sets.ReadFile
	}
	return values.Merge(ls)
}

// MigrateLayers migrates the layers of one release together (lowest
// first) and returns one result per layer, in order. Detection is done on
// the merged values; the conditions of every action are decided on the
// merged values as they stand when the action runs; a value the migration
// writes because the release relies on a default (`set` of an absent key)
// is written once, in the lowest layer, and only when no layer (nor a
// --set flag) sets the key; everything else is rewritten in the layer that
// holds it. sets may be nil.
func (m *Migrator) MigrateLayers(layers []Layer, sets *LayerSets, opts Options) ([]*Result, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("no values file to migrate")
	}
	docs, err := loadDocs(layers, opts)
	if err != nil {
		return nil, err
	}
	return m.migrateDocs(docs, nil, sets, opts)
}

// loadDocs parses each layer as opts say.
func loadDocs(layers []Layer, opts Options) ([]*values.Document, error) {
	docs := make([]*values.Document, 0, len(layers))
	for _, l := range layers {
		doc, err := values.Load(l.Name, l.Src, limits(opts))
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// migrateDocs is MigrateLayers on parsed documents (their Src the input).
// offs, when not nil, are the lines above each document in the user's file
// (an umbrella file's section): messages name the file's lines.
func (m *Migrator) migrateDocs(docs []*values.Document, offs []int, sets *LayerSets, opts Options) ([]*Result, error) {
	lim := limits(opts)
	g := &group{sets: sets}
	ls := values.Layers{Files: docs}
	if sets != nil {
		ls.Sets, ls.ReadFile = sets.Sets, sets.ReadFile
	}
	all, err := values.Merge(ls)
	if err != nil {
		return nil, err
	}
	name := all.Name
	from := opts.From
	if from == "auto" {
		from = ""
	}
	// values nested under an umbrella chart's key: the section alone is
	// migrated (umbrella.go)
	vp := opts.ValuesPath
	if vp == "" {
		vp = cue.DetectPinned(all, m.detect, cue.Pins{Chart: opts.Chart}).ValuesPath
	}
	if vp != "" && vp != "." {
		return m.migrateUmbrella(docs, sets, opts, vp)
	}
	det := cue.Detect(all, m.detect, opts.Chart, from)
	chart, from := det.Chart, det.Major
	if !cue.ValidTarget(chart, from) {
		return nil, fmt.Errorf("%s: cannot tell the chart and major version (use --chart and --from)", name)
	}
	if !cue.ValidTarget(chart, opts.To) {
		return nil, fmt.Errorf("%s: chart %s has no major %s", name, chart, opts.To)
	}
	ms := cue.Majors(chart)
	fi, ti := indexOf(ms, from), indexOf(ms, opts.To)
	if fi > ti {
		return nil, fmt.Errorf("%s: the values are %s %s; migrating down to %s is not supported", name, chart, from, opts.To)
	}
	in, err := m.cat.Schema(chart, from)
	if err != nil {
		return nil, err
	}
	// the texts of every layer's secrets (shared through anchors with
	// plain keys too): never written into a TODO or the report
	hide := redact.Collect(m.secrets.IsSecret, docs...)
	if sets != nil {
		hide.AddSets(m.secrets.IsSecret, sets.Sets)
	}
	for i, doc := range docs {
		res := &Result{Path: doc.Name, Chart: chart, From: from, To: opts.To, Input: doc.Src, Touched: map[int]bool{}, Changes: []Change{}, Todos: []Todo{}, Leaves: []Fate{}}
		orig := make([]int, doc.Lines())
		for j := range orig {
			orig[j] = j + 1
		}
		r := &run{m: m, opts: opts, lim: lim, doc: doc, orig: orig, res: res, in: in, layer: i, hide: hide}
		if offs != nil {
			r.lineOff = offs[i]
		}
		if len(docs) > 1 || (sets != nil && len(sets.Sets) > 0) {
			r.group = g
		}
		r.track()
		g.runs = append(g.runs, r)
	}
	for i := fi; i < ti; i++ {
		key := chart + "/" + ms[i] + "->" + ms[i+1]
		st := m.steps[key]
		if st == nil {
			return nil, fmt.Errorf("no migration step %s in cue/migrate", key)
		}
		old, err := m.cat.Schema(chart, ms[i])
		if err != nil {
			return nil, err
		}
		var olds []*cue.Schema
		for j := 0; j <= i; j++ {
			s, err := m.cat.Schema(chart, ms[j])
			if err != nil {
				return nil, err
			}
			olds = append(olds, s)
		}
		for _, r := range g.runs {
			r.step, r.old, r.olds = st, old, olds
			if i == fi {
				if err := r.guard(r.expand, "", true); err != nil {
					return nil, fmt.Errorf("%s: %w", r.res.Path, err)
				}
			}
			if err := r.guard(r.blockify, "", false); err != nil {
				return nil, fmt.Errorf("%s: step %s: %w", r.res.Path, key, err)
			}
		}
		for _, a := range st.Actions {
			a := a
			ok, err := g.runs[0].decide(a)
			if err != nil {
				return nil, fmt.Errorf("%s: step %s, %s %s: %w", name, key, a.Action, a.From+a.To, err)
			}
			if !ok {
				continue
			}
			path := a.From
			if path == "" {
				path = a.To
			}
			for _, r := range g.runs {
				if err := r.guard(func() error { return r.apply(a) }, path, true); err != nil {
					return nil, fmt.Errorf("%s: step %s, %s %s: %w", r.res.Path, key, a.Action, a.From+a.To, err)
				}
			}
		}
	}
	var out []*Result
	for _, r := range g.runs {
		if fi < ti {
			if err := r.guard(r.husks, "", false); err != nil {
				return nil, fmt.Errorf("%s: %w", r.res.Path, err)
			}
		}
		if err := r.settle(); err != nil {
			return nil, fmt.Errorf("%s: %w", r.res.Path, err)
		}
		if fi < ti {
			if err := r.guard(r.tidy, "", false); err != nil {
				return nil, fmt.Errorf("%s: %w", r.res.Path, err)
			}
		}
		r.res.Output = r.doc.Src
		r.res.LineMap = r.orig
		r.collectTodos()
		r.ownComments()
		out = append(out, r.res)
	}
	if det.ChartUndecided && opts.Chart == "" {
		if err := m.chartAlternatives(out, det, offs, sets, opts); err != nil {
			return nil, err
		}
	}
	// an ambiguous file (or release) names the majors it fits and what
	// migrating from each older one would do (ambiguous.go)
	if opts.From == "" || opts.From == "auto" {
		if err := m.alternatives(out, det, offs, sets, opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decide evaluates the conditions of a on the values of the release: the
// merged layers when the run is one of several, else its own file.
func (r *run) decide(a cue.MigrationAction) (bool, error) {
	if r.group == nil {
		return cond.All(a.When, r.doc.Root, r), nil
	}
	merged, err := r.group.merged()
	if err != nil {
		return false, fmt.Errorf("merging the layers: %w", err)
	}
	view := *r
	view.doc = merged
	return cond.All(a.When, merged.Root, &view), nil
}

// setHere reports whether a `set` of path belongs in this layer: without
// overwrite, only in the lowest layer and only when no layer (nor a --set
// flag) gives the key a value; with overwrite, in the lowest layer and in
// every layer that sets the key itself (or its value would win).
func (r *run) setHere(a cue.MigrationAction) (bool, error) {
	if r.group == nil {
		return true, nil
	}
	if a.ValueFrom != "" {
		// derived from a key of this layer: the layer that holds it
		if r.lookup(a.ValueFrom) == nil {
			return false, nil
		}
		merged, err := r.group.merged()
		if err != nil {
			return false, err
		}
		n := merged.Root.Lookup(split(a.To)...)
		return n == nil || n.Kind == values.NullKind || a.Overwrite, nil
	}
	if a.Overwrite {
		return r.layer == 0 || r.lookup(a.To) != nil, nil
	}
	if r.layer != 0 {
		return false, nil
	}
	merged, err := r.group.merged()
	if err != nil {
		return false, err
	}
	n := merged.Root.Lookup(split(a.To)...)
	return n == nil || n.Kind == values.NullKind, nil
}
