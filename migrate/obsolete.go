package migrate

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// customImageTodo is the same text in every step, so that a chained
// migration leaves one TODO per image.
const customImageTodo = "custom image kept: check that a build of it exists for the new chart version"

// images drops images and tags equal to the old chart's defaults (or to an
// old release) and leaves a TODO on custom ones.
func (r *run) images(a cue.MigrationAction) error {
	var drops, custom []*values.Node
	r.doc.Root.Walk(func(n *values.Node) bool {
		if n.Parent == nil {
			return true
		}
		if n.Parent.Parent == nil && r.m.sub[n.Key] {
			return false // a sub-chart's section
		}
		if n.Kind != values.StringKind || (n.Key != "image" && n.Key != "imageTag") || n.Index >= 0 {
			return true
		}
		segs := n.Segments()
		def, ok := r.oldDefault(segs)
		s := n.Value.(string)
		switch {
		case ok && sameValue(s, def), r.leafDefault(segs, s):
			drops = append(drops, n)
		case n.Key == "imageTag" && r.isOldRelease(s):
			drops = append(drops, n)
		case n.Key == "image" && r.oldReleaseImage(s, def):
			// `polyaxon/polyaxon-api:0.1.7`: the chart's image at an old release
			drops = append(drops, n)
		default:
			custom = append(custom, n)
		}
		return true
	})
	var edits []values.Edit
	var ok []*values.Node
	for _, n := range drops {
		if r.editable(n) && !r.blocked(n.Path()) {
			ok = append(ok, n)
		}
	}
	removal, _ := r.removeEdits(ok, false)
	edits = append(edits, removal...)
	marked := map[*values.Node]bool{}
	for _, n := range custom {
		// one TODO per section, above its first custom image key
		if r.editable(n) && !marked[n.Parent] {
			marked[n.Parent] = true
			edits = append(edits, r.todoEdit(n, customImageTodo)...)
		}
	}
	lines := make([]int, len(ok))
	for i, n := range ok {
		lines[i] = r.origLine(n.KeyPos.Line)
	}
	paths := make([]string, len(ok))
	segs := make([][]string, len(ok))
	for i, n := range ok {
		paths[i], segs[i] = n.Path(), n.Segments()
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	for i := range ok {
		r.change(Change{Action: "drop-default-image", From: paths[i], Line: lines[i], Message: a.Message})
		r.ledgerPending(segs[i], Fate{Fate: FateDropped, Reason: a.Message},
			fmt.Sprintf("the chart's own image at a %s release, which cannot run with the %s chart (its own release's image applies)", r.step.From, r.step.To))
	}
	return nil
}

func (r *run) isOldRelease(tag string) bool {
	t := strings.TrimPrefix(tag, "v")
	for _, rel := range r.old.Releases {
		if strings.TrimPrefix(rel, "v") == t {
			return true
		}
	}
	return false
}

// obsolete is the catch-all that ends every step: a key the target major
// does not know is dropped (and reported) when the old major knew it (it
// was dropped or never had a counterpart), and kept with a TODO otherwise;
// a value whose shape the target key does not accept is dropped when it is
// an old default, and kept with a TODO otherwise. Lists are not entered.
func (r *run) obsolete(a cue.MigrationAction) error {
	target, err := r.m.cat.Schema(r.step.Chart, r.step.To)
	if err != nil {
		return err
	}
	var drops, unknown, wrong []*values.Node
	shape, cli := map[*values.Node]bool{}, map[*values.Node]bool{}
	var walk func(n *values.Node, t *cue.Type)
	walk = func(n *values.Node, t *cue.Type) {
		if t == nil || n.Kind == values.NullKind {
			return
		}
		if !t.Kinds.Has(n.Kind) {
			if n.Parent != nil && (!r.isCustom(n) || r.oldShape(n)) {
				// an old default, or an older form of the key the old
				// major already stopped reading
				drops = append(drops, n)
				shape[n] = true
			} else if n.Parent != nil {
				wrong = append(wrong, n)
			}
			return
		}
		if n.Kind != values.MapKind {
			return
		}
		for _, e := range n.Live() {
			f := t.Field(e.Key)
			if f != nil && f.Meta.CLI == "rejected" && r.targetDefault(target, e) {
				// the chart applies this value anyway, and the CLI refuses
				// the key: writing it changes nothing but the CLI's verdict
				drops = append(drops, e)
				cli[e] = true
				continue
			}
			if f != nil {
				walk(e, f.Type)
				continue
			}
			if t.Open {
				walk(e, t.Elem)
				continue
			}
			if r.knownOld(e.Segments()) {
				drops = append(drops, e)
			} else {
				unknown = append(unknown, e)
			}
		}
	}
	walk(r.doc.Root, target.Root)
	var ok []*values.Node
	var lines []int
	var paths, msgs []string
	var segs [][]string
	var noEffect []string
	for _, n := range drops {
		if r.editable(n) && !r.blocked(n.Path()) {
			ok = append(ok, n)
			lines = append(lines, r.origLine(n.KeyPos.Line))
			paths = append(paths, n.Path())
			segs = append(segs, n.Segments())
			noEffect = append(noEffect, "")
			if cli[n] {
				msgs = append(msgs, fmt.Sprintf("a default (of %s %s or of the file's release); `polyaxon admin deploy` rejects the key", r.step.Chart, r.step.To))
				if def, ok := defaultAt(target, n.Segments()); ok && sameValue(n.Interface(), def) {
					noEffect[len(noEffect)-1] = fmt.Sprintf("equal to the %s %s default (the chart applies it anyway)", r.step.Chart, r.step.To)
				}
			} else if shape[n] {
				msgs = append(msgs, fmt.Sprintf("an old default or an older %s form of `%s` that %s %s does not accept; the %s default applies", r.step.From, n.Key, r.step.Chart, r.step.To, r.step.To))
			} else {
				msgs = append(msgs, fmt.Sprintf("not a %s %s key: %s", r.step.Chart, r.step.To, a.Message))
			}
		}
	}
	edits, _ := r.removeEdits(ok, false)
	var comments [][]string
	for _, n := range ok {
		comments = append(comments, commentsIn(r.doc, n.StartLine, r.ownEnd(n)))
	}
	for _, n := range unknown {
		if r.editable(n) {
			edits = append(edits, r.todoEdit(n, "unknown key: no migration rule places it and the target version does not know it; kept, check it")...)
		}
	}
	for _, n := range wrong {
		if r.editable(n) {
			edits = append(edits, r.todoEdit(n, fmt.Sprintf("this value does not have the shape %s %s expects here: rewrite it by hand", r.step.Chart, r.step.To))...)
		}
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	for i := range ok {
		r.change(Change{Action: "drop", From: paths[i], Line: lines[i], Message: msgs[i], Comments: comments[i]})
		r.ledgerPending(segs[i], Fate{Fate: FateDropped, Reason: msgs[i]}, noEffect[i])
	}
	return nil
}

// oldShape reports whether an old schema accepts n's kind at its path.
func (r *run) oldShape(n *values.Node) bool {
	for _, s := range r.olds {
		t := s.Root
		for _, k := range n.Segments() {
			f := t.Field(k)
			if f == nil {
				t = nil
				break
			}
			t = f.Type
		}
		if t != nil && t.Kinds.Has(n.Kind) {
			return true
		}
	}
	return false
}

// knownOld reports whether segs names a key of one of the old schemas.
func (r *run) knownOld(segs []string) bool {
	for _, s := range r.olds {
		t := s.Root
		found := true
		for _, k := range segs {
			f := t.Field(k)
			if f == nil {
				found = false
				break
			}
			t = f.Type
		}
		if found {
			return true
		}
	}
	return false
}

// flowText renders n in one line of flow YAML for a TODO or report text,
// with the values of secret keys redacted.
func (r *run) flowText(n *values.Node) string {
	if r.isSecret(n) {
		return "<redacted>"
	}
	return r.flowValue(n)
}

// flowValue is flowText of n when n itself is not a secret.
func (r *run) flowValue(n *values.Node) string {
	switch n.Kind {
	case values.MapKind:
		var parts []string
		for _, e := range n.Live() {
			parts = append(parts, keyText(e.Key)+": "+r.flowText(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case values.ListKind:
		var parts []string
		for _, it := range n.Items {
			parts = append(parts, r.flowText(it))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return scalarText(n.Value)
}

// isSecret reports whether n holds a secret (a password, token or key).
func (r *run) isSecret(n *values.Node) bool { return r.secretAt(n, nil) }

// secretAt is isSecret of n, whose path is segs (nil: found from n).
func (r *run) secretAt(n *values.Node, segs []string) bool {
	if n.Kind == values.MapKind || n.Kind == values.ListKind || n.Parent == nil {
		return false
	}
	if segs == nil {
		segs = n.Segments()
	}
	return r.m.secrets.IsSecret(segs) || r.hide.Hides(n.Raw)
}

// renamePaths rewrites, in the TODO comments of text, the paths under from
// (`from.x`) as paths under to, so that a TODO names the final key.
func renamePaths(text, from, to string) string {
	if !strings.Contains(text, TodoMarker) || !strings.Contains(text, from) {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, TodoMarker) {
			l = strings.ReplaceAll(l, "`"+from+".", "`"+to+".")
			l = strings.ReplaceAll(l, "`"+from+"`", "`"+to+"`")
			l = strings.ReplaceAll(l, "["+from+".", "["+to+".")
			l = strings.ReplaceAll(l, "["+from+"]", "["+to+"]")
			lines[i] = l
		}
	}
	return strings.Join(lines, "")
}

// targetDefault reports whether n equals the default of the target chart
// at its path, or every leaf of n the default of an old release (a value
// the user did not choose: the new default applies, as to any unset key).
func (r *run) targetDefault(target *cue.Schema, n *values.Node) bool {
	if def, ok := defaultAt(target, n.Segments()); ok && sameValue(n.Interface(), def) {
		return true
	}
	return r.releaseDefaults(n)
}

// oldReleaseImage reports whether image is the chart's default image (def,
// without its tag) pinned to a release of the old major.
func (r *run) oldReleaseImage(image string, def any) bool {
	d, ok := def.(string)
	if !ok {
		return false
	}
	repo, tag, ok := strings.Cut(image, ":")
	if !ok || strings.Contains(tag, "/") {
		return false
	}
	drepo, _, _ := strings.Cut(d, ":")
	return repo == drepo && r.isOldRelease(tag)
}
