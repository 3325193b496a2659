package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// A value dropped because it equals its release's default had no effect
// only if the default did not change: when the target release's default at
// the same key (or the key later steps move it to) differs, dropping it
// changes the deployment. keepDefaults, run by the engine before the fates
// are settled, catches every such leaf, whatever rule removed it:
//
//   - written back explicitly at its target key, so that the deployment
//     keeps the value (the leaf is then kept or moved);
//   - transformed into the target's default, when the rule that removed it
//     says why only that default can apply (`newDefault`), when the
//     target's CLI refuses the key, or when the target key takes another
//     shape: the report names both defaults;
//   - handed to a human with a TODO, when it cannot be written back (a
//     list, a key with dots, text that does not parse).
//
// Not compared: empty maps (Helm merges them: no effect anywhere), keys the
// rule declared ignored by their own release (`noEffect`), and keys whose
// default follows the release (tables.releaseBound: images).

// defaultFate is what keepDefaults decided for a leaf.
type defaultFate struct {
	// to is the target key; into the target default (flow text); why the
	// report's reason.
	to, into, why string
	// lost: the leaf could not be written back: a human must.
	lost bool
}

// keepDefaults applies the check to every leaf the steps removed.
func (r *run) keepDefaults() error {
	if r.res.From == r.res.To {
		return nil
	}
	target, err := r.m.cat.Schema(r.res.Chart, r.res.To)
	if err != nil {
		return err
	}
	// the output before any value is written back: a leaf is looked for
	// where it was, not where another leaf was just written
	at := r.pathIndex()
	for _, l := range r.leaves {
		if l.pending != nil && l.pending.Fate != FateDropped || l.noEffect != "" || r.releaseBound(l.orig) {
			continue
		}
		if at(l.cur) != nil {
			continue // still in the file: kept, moved or transformed
		}
		rel, def := r.isDefault(l)
		if !def || rel == "" {
			continue
		}
		to := r.mapped(l)
		td, ok := defaultAt(target, to)
		if !ok || sameValue(td, l.value) || r.lookup(strings.Join(to, ".")) != nil && !slices.ContainsFunc(to, hasDot) {
			// the default did not change, or the file sets the target key
			// (its own value wins there)
			continue
		}
		key := strings.Join(to, ".")
		tdText := flowOf(td)
		if l.secret {
			tdText = l.text // redacted: a default password is a password
		}
		was := fmt.Sprintf("`%s` (the default of %s %s) is not the %s %s default (`%s`)", l.text, r.res.Chart, rel, r.res.Chart, r.res.To, tdText)
		f, accepts := fieldAt(target, to)
		switch {
		case l.newDefault != "":
			l.changed = &defaultFate{to: key, into: tdText, why: was + ": " + l.newDefault}
		case f != nil && f.Meta.CLI == "rejected" || r.refused(target, to):
			l.changed = &defaultFate{to: key, into: tdText, why: was + ": `polyaxon admin deploy` rejects the key, so only the new default can apply"}
		case !accepts(l.kind):
			l.changed = &defaultFate{to: key, into: tdText, why: was + ": the " + r.res.To + " key takes another shape, so the new default applies"}
		case l.kind == values.ListKind || slices.ContainsFunc(to, hasDot) || !r.placeable(to):
			l.changed = &defaultFate{to: key, lost: true, why: was + ": set `" + key + "` to it to keep it"}
		default:
			l.changed = &defaultFate{to: key, lost: true, why: was + ": set `" + key + "` to it to keep it"}
			a := cue.MigrationAction{Action: "set", To: key, Value: l.value,
				Message: fmt.Sprintf("%s: written explicitly, so that the deployment keeps it", was)}
			if err := r.guard(func() error { return r.set(a) }, key, false); err != nil {
				return err
			}
			if n := r.lookup(key); n != nil && sameValue(n.Interface(), l.value) {
				l.cur, l.changed, l.pending = to, nil, nil
			}
		}
	}
	return nil
}

func hasDot(s string) bool { return strings.Contains(s, ".") }

// placeable reports whether every key above segs that the file has is a
// map a key can be written into.
func (r *run) placeable(segs []string) bool {
	n := r.doc.Root
	for _, k := range segs[:len(segs)-1] {
		if n = n.Get(k); n == nil {
			return true
		}
		if n.Kind != values.MapKind {
			return false
		}
	}
	return true
}

// releaseBound reports whether the key at segs (or one above it) has a
// default that follows the chart release (tables.releaseBound).
func (r *run) releaseBound(segs []string) bool {
	for _, s := range segs {
		if slices.Contains(r.m.tables.ReleaseBound, s) {
			return true
		}
	}
	return false
}

// mapped returns the key of the target release a removed leaf stands for:
// its path when it was removed, moved by the renames of the steps after
// that one (unconditional rename and merge actions).
func (r *run) mapped(l *leaf) []string {
	path := slices.Clone(l.cur)
	if l.at == nil {
		return path
	}
	ms := cue.Majors(r.res.Chart)
	for i := indexOf(ms, l.at.To); i >= 0 && i < indexOf(ms, r.res.To); i++ {
		st := r.m.steps[r.res.Chart+"/"+ms[i]+"->"+ms[i+1]]
		if st == nil {
			break
		}
		for _, a := range st.Actions {
			if len(a.When) > 0 {
				continue
			}
			switch a.Action {
			case "rename":
				if below(path, a.From, "") {
					path = renamed(path, split(a.From), split(a.To))
				}
			case "merge":
				for _, k := range a.Keys {
					if below(path, a.From, k) {
						path = renamed(path, split(a.From+"."+k), split(a.To+"."+k))
					}
				}
			}
		}
	}
	return path
}

// below reports whether path may be at or below the dotted path from
// (from.key when key is not ""): false only when it is not, found without
// splitting from (mapped tries every rename of a step on every leaf).
func below(path []string, from, key string) bool {
	if from == "" {
		return true
	}
	for i := 0; ; i++ {
		seg, rest, more := strings.Cut(from, ".")
		if i >= len(path) || path[i] != seg {
			return false
		}
		if !more {
			return key == "" || i+1 < len(path) && path[i+1] == key || strings.Contains(key, ".")
		}
		from = rest
	}
}

// renamed returns path moved from below from to below to.
func renamed(path, from, to []string) []string {
	if !under(path, from) {
		return path
	}
	return append(slices.Clone(to), path[len(from):]...)
}

// fieldAt returns the field of the schema at segs (nil when the schema
// does not name it: an open map's entry) and whether the type there
// accepts a kind.
func fieldAt(s *cue.Schema, segs []string) (*cue.Field, func(values.Kind) bool) {
	t := s.Root
	var f *cue.Field
	for _, k := range segs {
		if t == nil {
			break
		}
		f = t.Field(k)
		switch {
		case f != nil:
			t = f.Type
		case t.Open:
			t = t.Elem
		default:
			t = nil
		}
	}
	return f, func(k values.Kind) bool { return t == nil || t.Kinds.Has(k) }
}

// refused reports whether the CLI of the target rejects a key above segs.
func (r *run) refused(s *cue.Schema, segs []string) bool {
	for i := 1; i < len(segs); i++ {
		if f, _ := fieldAt(s, segs[:i]); f != nil && f.Meta.CLI == "rejected" {
			return true
		}
	}
	return false
}

// flowOf renders a default (Helm's Go value) in one line of flow YAML.
func flowOf(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = keyText(k) + ": " + flowOf(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = flowOf(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return scalarText(v)
}
