package migrate

import (
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

// oldDefault returns the old chart's default at path, and whether there is one.
func (r *run) oldDefault(segs []string) (any, bool) {
	return defaultAt(r.old, segs)
}

func defaultAt(s *cue.Schema, segs []string) (any, bool) { return cond.Get(s.Defaults, segs) }

// isCustom reports whether n differs from the defaults of the old charts
// (the step's source major and the majors before it, the older releases of
// those majors included).
func (r *run) isCustom(n *values.Node) bool {
	if r.releaseDefaults(n) {
		return false
	}
	found := false
	segs, v := n.Segments(), n.Interface()
	for _, s := range r.olds {
		def, ok := defaultAt(s, segs)
		if !ok {
			continue
		}
		found = true
		if sameValue(v, def) {
			return false
		}
	}
	if !found {
		return n.Truthy()
	}
	return true
}

// sameValue compares Helm values, numbers by value, null equal to empty.
func sameValue(a, b any) bool { return cond.SameValue(a, b) }

// normalize reads v as Helm does, empties as null (cond.Normalize).
func normalize(v any) any { return cond.Normalize(v) }

// Default is not read by the migration steps' conditions (cond.Env).
func (r *run) Default([]string) (any, bool) { return nil, false }

// HelmTarget reports true: a migrated file is read by Helm (cond.Env).
func (r *run) HelmTarget() bool { return true }

// Custom reports whether n's value is the user's choice (cond.Env).
func (r *run) Custom(n *values.Node) bool { return r.isCustom(n) }

// Flag reports whether an engine option is on (cond.Env).
func (r *run) Flag(name string) bool { return name == "keepCelery" && r.opts.KeepCelery }

// releaseDefaults reports whether every leaf of n holds a default of a
// release of the old majors (the newest release's, or an older one's from
// cue/migrate/release_defaults.cue).
func (r *run) releaseDefaults(n *values.Node) bool {
	all, any := true, false
	var walk func(e *values.Node)
	walk = func(e *values.Node) {
		if !all {
			return
		}
		if e.Kind != values.MapKind || len(e.Live()) == 0 {
			any = true
			all = r.leafDefault(e.Segments(), e.Interface())
			return
		}
		for _, c := range e.Live() {
			walk(c)
		}
	}
	walk(n)
	return all && any
}

// leafDefault reports whether v is the default of segs in a release of one
// of the old majors.
func (r *run) leafDefault(segs []string, v any) bool {
	key := ""
	for _, s := range r.olds {
		if def, ok := defaultAt(s, segs); ok && sameValue(v, def) {
			return true
		}
		if key == "" {
			key = strings.Join(escapeSegs(segs), ".")
		}
		// Embedded data a test decodes whole: an error cannot ship, and
		// would only keep the leaf (not a default).
		rds, _ := r.m.tables.ReleaseDefaults(r.step.Chart, s.Major, key)
		for _, rd := range rds {
			if sameValue(v, rd.Value) {
				return true
			}
		}
	}
	return false
}
