package migrate

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/pxvalues/pxvalues/cue"
)

// Alternative is what migrating an ambiguous file would do had it been
// another of the majors it fits (`--from` that major).
type Alternative struct {
	From    string `json:"from"`
	Changes int    `json:"changes"`
	Todos   int    `json:"todos"`
	// Sample names a few of those changes ("gateway.service.nodePort: the
	// v1 gateway NodePort default (31833) pinned ...").
	Sample []string `json:"sample,omitempty"`
}

// alternatives fills Ambiguous and Alternatives of the results of one
// file (or of the layers of one release) whose major detection could not
// decide: a file that also fits an older major is never reported
// "unchanged" without saying what the older major's migration would change.
// offs and sets are those of the migration that made out.
func (m *Migrator) alternatives(out []*Result, det cue.Detection, offs []int, sets *LayerSets, opts Options) error {
	// the majors to try: those the file fits equally well, and the older
	// majors whose keys a half-migrated file still holds
	cands := det.Ambiguous
	if len(cands) < 2 {
		cands = nil
	}
	for _, m := range det.MixedMajors {
		if !slices.Contains(cands, m) {
			cands = append(cands, m)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	first := out[0]
	ms := cue.Majors(first.Chart)
	to := slices.Index(ms, opts.To)
	var alts []Alternative
	for _, other := range cands {
		if other == first.From || slices.Index(ms, other) > to {
			continue
		}
		o := opts
		o.From, o.ValuesPath = other, "."
		rs, err := m.migrateAgain(out, offs, sets, o)
		if err != nil {
			return fmt.Errorf("migrating as %s too (the values are ambiguous): %w", other, err)
		}
		a := Alternative{From: other}
		for _, alt := range rs {
			a.Changes += len(alt.Changes)
			a.Todos += len(alt.Todos)
		}
		// edits of keys first (a pinned NodePort, a moved key), notes after
		for _, withPath := range []bool{true, false} {
			for _, alt := range rs {
				for _, c := range alt.Changes {
					what := c.To
					if what == "" {
						what = c.From
					}
					if len(a.Sample) == 3 || (what != "") != withPath {
						continue
					}
					if c.Message != "" && what != "" {
						what += ": "
					}
					a.Sample = append(a.Sample, what+c.Message)
				}
			}
		}
		if a.Changes > 0 || a.Todos > 0 {
			alts = append(alts, a)
		}
	}
	// the ambiguity matters only when another major would migrate otherwise
	if len(alts) == 0 {
		return nil
	}
	amb := []string{first.From}
	for _, m := range cands {
		if m != first.From {
			amb = append(amb, m)
		}
	}
	for _, r := range out {
		r.Ambiguous, r.Alternatives, r.Mixed = amb, alts, det.Mixed
	}
	return nil
}

// chartAlternatives fills AmbiguousCharts of the results of one file (or
// release) when nothing told the charts apart (the chart taken is a guess)
// and migrating it as another of the tied charts would write something
// else: a file both charts migrate alike (a v2 file at the target) is no
// ambiguity worth a --check failure.
func (m *Migrator) chartAlternatives(out []*Result, det cue.Detection, offs []int, sets *LayerSets, opts Options) error {
	for _, ch := range det.AmbiguousCharts {
		if ch == out[0].Chart || !cue.ValidTarget(ch, opts.To) {
			continue
		}
		o := opts
		o.Chart, o.ValuesPath = ch, "."
		rs, err := m.migrateAgain(out, offs, sets, o)
		if err != nil {
			continue // not a file of that chart (no such major)
		}
		for i, r := range rs {
			if !bytes.Equal(r.Output, out[i].Output) {
				for _, r := range out {
					r.AmbiguousCharts = det.AmbiguousCharts
				}
				return nil
			}
		}
	}
	return nil
}

// migrateAgain migrates the inputs of out (one file, or the layers of one
// release) once more with other options: as another major or chart. Each
// input is parsed anew, since a migration consumes its document.
func (m *Migrator) migrateAgain(out []*Result, offs []int, sets *LayerSets, o Options) ([]*Result, error) {
	layers := make([]Layer, len(out))
	for i, r := range out {
		layers[i] = Layer{Name: r.Path, Src: r.Input}
	}
	docs, err := loadDocs(layers, o)
	if err != nil {
		return nil, err
	}
	return m.migrateDocs(docs, offs, sets, o)
}
