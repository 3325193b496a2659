package lint

import (
	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

// checkSemantic runs the cross-field and beyond-schema rules (issue 3):
// Polyaxon's own validator checks and pxvalues' extra checks, declared as
// data in cue/rules/*.cue and evaluated by the generic engine of
// rules_checks.go, then the rules with their own Go code.
func (r *run) checkSemantic() {
	r.runChecks()
	r.checkRedundant()
	r.checkUpgrade()
	r.dedupeRejected()
}

// dedupeRejected drops a cli-rejected finding on a key that
// agent-platform-keys already reports with Polyaxon's own reason.
func (r *run) dedupeRejected() {
	agent := map[string]bool{}
	for _, d := range r.diags {
		if d.Rule == ruleid.AgentPlatformKeys {
			agent[d.Path] = true
		}
	}
	if len(agent) == 0 {
		return
	}
	kept := r.diags[:0]
	for _, d := range r.diags {
		if d.Rule == ruleid.CliRejected && agent[d.Path] {
			continue
		}
		kept = append(kept, d)
	}
	r.diags = kept
}

// checkRedundant reports values equal to the chart default (opt-in).
func (r *run) checkRedundant() {
	if !r.enabled[ruleid.RedundantValue] {
		return
	}
	var walk func(n *values.Node, def map[string]any)
	walk = func(n *values.Node, def map[string]any) {
		for _, e := range n.Live() {
			dv, ok := def[e.Key]
			if !ok {
				continue
			}
			dv = values.Normalize(dv)
			if sub, isMap := dv.(map[string]any); isMap && e.Kind == values.MapKind {
				walk(e, sub)
				continue
			}
			if e.Kind == values.NullKind || e.Kind == values.MapKind {
				continue
			}
			if cond.Equal(e.Interface(), dv) {
				r.report(ruleid.RedundantValue, e.KeyPos, e.Path(), nil)
			}
		}
	}
	walk(r.doc.Root, r.schema.Defaults)
}

// checkDeadKey reports a key no template reads (schema meta dead, or
// cliOnly with --target helm): an info when it holds the chart default or
// null, else a warning.
// Keys below a dead key are not reported again.
func (r *run) checkDeadKey(e *values.Node, f *cue.Field) {
	// a key only the Polyaxon CLI knows is read by the CLI when it deploys
	cliOnly := f.Meta.CLIOnly && r.target() != "polyaxon-cli"
	if !(f.Meta.Dead || cliOnly) || r.exempt(ruleid.DeadKey, e) || r.ancestorMeta(e, func(f *cue.Field) bool { return f.Meta.Dead || f.Meta.CLIOnly }) {
		return
	}
	if len(r.subchartReads(e.Segments())) > 0 {
		return // the bundled sub-chart reads it
	}
	why := ""
	info := e.Kind == values.NullKind
	if def, ok := r.defaultAt(e.Segments()); ok && !info {
		info = cond.Equal(e.Interface(), def)
	} else if !ok && f.Meta.Until != "" && !f.Meta.CLIOnly {
		// declared by older releases only: their default is not known here,
		// and dropped-key already says when the key went away
		info = true
	}
	if info {
		why = " (it holds the chart default)"
	}
	args := map[string]string{"why": why}
	if other := r.readByOther(e.Segments()); other != "" {
		// "remove it" is right only if the file is the detected major
		args["hint"] = r.uncertainHint(e.Path(), other) + "; remove it only if it is " + r.det.Major
	}
	d := r.report(ruleid.DeadKey, e.KeyPos, e.Path(), args)
	if d != nil && info {
		d.Severity = Info
	}
}

// subchartReads returns the sub-chart versions bundled by the releases of
// the detected major that declare the key at segs (below their section).
func (r *run) subchartReads(segs []string) []string {
	if len(segs) < 2 || r.l.sub == nil {
		return nil
	}
	ids := r.l.sub.Pinned(r.det.Chart, segs[0], r.schema.Releases)
	return r.l.sub.Reads(ids, segs[1:])
}

// checkRejected reports, with --target polyaxon-cli, a key the Polyaxon CLI
// rejects although the chart reads it (below a rejected key: once).
func (r *run) checkRejected(e *values.Node, rejected bool) {
	if !rejected || r.target() != "polyaxon-cli" || r.ancestorMeta(e, func(f *cue.Field) bool { return f.Meta.CLI == "rejected" }) {
		return
	}
	r.report(ruleid.CliRejected, e.KeyPos, e.Path(), nil)
}

// ancestorMeta reports whether a map key above e has a schema field for
// which pred holds.
func (r *run) ancestorMeta(e *values.Node, pred func(*cue.Field) bool) bool {
	segs := e.Segments()
	for i := len(segs) - 1; i > 0; i-- {
		if f := lookupField(r.schema.Root, segs[:i]); f != nil && pred(f) {
			return true
		}
	}
	return false
}

// exempt reports whether rule id's `exempt` checks cover n: n or one of its
// ancestors matches one of their paths.
func (r *run) exempt(id string, n *values.Node) bool {
	spec := r.l.data.specs[id]
	if spec == nil {
		return false
	}
	segs := n.Segments()
	for _, c := range spec.exempt {
		for _, p := range c.Paths {
			if matchesPrefix(cond.Split(p), segs) {
				return true
			}
		}
	}
	return false
}
