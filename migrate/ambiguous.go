package migrate

import (
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

// alternatives fills res.Ambiguous and res.Alternatives for a file whose
// major detection could not decide: a file that also fits an older major
// is never reported "unchanged" without saying what the older major's
// migration would change.
func (m *Migrator) alternatives(res *Result, det cue.Detection, name string, src []byte, opts Options) error {
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
	ms := cue.Majors(res.Chart)
	to := slices.Index(ms, opts.To)
	for _, other := range cands {
		if other == res.From || slices.Index(ms, other) > to {
			continue
		}
		o := opts
		o.From = other
		alt, err := m.Migrate(name, src, o)
		if err != nil {
			return fmt.Errorf("migrating as %s too (the file is ambiguous): %w", other, err)
		}
		a := Alternative{From: other, Changes: len(alt.Changes), Todos: len(alt.Todos)}
		// edits of keys first (a pinned NodePort, a moved key), notes after
		for _, withPath := range []bool{true, false} {
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
		if a.Changes > 0 || a.Todos > 0 {
			res.Alternatives = append(res.Alternatives, a)
		}
	}
	// the ambiguity matters only when another major would migrate otherwise
	if len(res.Alternatives) > 0 {
		res.Ambiguous = []string{res.From}
		for _, m := range cands {
			if m != res.From {
				res.Ambiguous = append(res.Ambiguous, m)
			}
		}
		res.Mixed = det.Mixed
	}
	return nil
}
