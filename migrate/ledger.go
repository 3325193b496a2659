package migrate

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/cue"

	"github.com/pxvalues/pxvalues/values"
)

// The fates of an input setting (Fate.Fate).
const (
	// FateKept: the setting is in the output at the same path, same value.
	FateKept = "kept"
	// FateMoved: the setting is in the output at another path, same value.
	FateMoved = "moved"
	// FateTransformed: the setting became another value or other keys.
	FateTransformed = "transformed"
	// FateDropped: removed because it had no effect in its own release
	// (equal to its default, or a key that release ignored).
	FateDropped = "dropped"
	// FateTodo: handed to a human, with a `# PXVALUES-TODO` in the output.
	FateTodo = "todo"
)

// Fate is what the migration did with one leaf of the input: a scalar, an
// empty map or a list (lists are values of their own in Helm: a layer
// replaces them whole).
type Fate struct {
	// Path is the dotted path of the leaf in the input; Line its line.
	Path string `json:"path"`
	Line int    `json:"line"`
	// Fate is kept, moved, transformed, dropped or todo.
	Fate string `json:"fate"`
	// To is where the leaf went (moved, transformed).
	To string `json:"to,omitempty"`
	// Into is the value it became (transformed; secrets redacted).
	Into string `json:"into,omitempty"`
	// Reason says why a leaf was dropped or handed to a human.
	Reason string `json:"reason,omitempty"`
}

// Accounting counts the fates of a result's leaves.
type Accounting struct {
	Leaves      int `json:"leaves"`
	Kept        int `json:"kept"`
	Moved       int `json:"moved"`
	Transformed int `json:"transformed"`
	Dropped     int `json:"dropped"`
	Todo        int `json:"todo"`
}

// Account counts the fates of the leaves of r.
func (r *Result) Account() Accounting {
	a := Accounting{Leaves: len(r.Leaves)}
	for _, f := range r.Leaves {
		switch f.Fate {
		case FateKept:
			a.Kept++
		case FateMoved:
			a.Moved++
		case FateTransformed:
			a.Transformed++
		case FateDropped:
			a.Dropped++
		case FateTodo:
			a.Todo++
		}
	}
	return a
}

// leaf is one input setting tracked through the run. An action changes a
// leaf only after r.remember(l), so that a failed action can be undone.
type leaf struct {
	// path is the input path as values.Node.Path spells it.
	path  string
	orig  []string
	cur   []string
	line  int
	value any
	// text is the value as a report may show it (secrets redacted).
	text string
	// pending is what an action said when it removed the leaf: a drop
	// reason, a TODO or a transform; it becomes the fate only if the leaf
	// is indeed gone at the end.
	pending *Fate
	// noEffect says why the key had no effect in its release, when the
	// action that removed it declared so.
	noEffect string
	// must is a text a TODO of the output must hold for a pending TODO
	// fate to stand (else the leaf is handed over again).
	must string
	// kind is the leaf's kind; secret whether its value is a secret's.
	kind   values.Kind
	secret bool
	// at is the step whose action removed the leaf (nil: none said).
	at *cue.MigrationStep
	// newDefault, from the drop that removed it, says why the target's own
	// default applies; changed is what keepDefaults decided (defaults.go).
	newDefault string
	changed    *defaultFate
	done       *Fate
}

// track records every leaf of the input, as Helm reads it.
func (r *run) track() {
	var walk func(n *values.Node)
	walk = func(n *values.Node) {
		if n.Parent != nil && (n.Kind != values.MapKind || len(n.Live()) == 0) {
			line := n.KeyPos.Line
			if line == 0 || n.Merged {
				line = n.Pos.Line
			}
			segs := slices.Clip(n.Segments()) // orig and cur: neither changes in place
			l := &leaf{path: n.Path(), orig: segs, cur: segs, line: line, value: n.Interface(), text: "<redacted>", kind: n.Kind, secret: r.secretAt(n, segs)}
			if !l.secret {
				l.text = r.flowValue(n)
			}
			r.leaves = append(r.leaves, l)
			return
		}
		for _, e := range n.Live() {
			walk(e)
		}
	}
	walk(r.doc.Root)
}

// under reports whether path is p or below it.
func under(path, p []string) bool {
	return len(path) >= len(p) && slices.Equal(path[:len(p)], p)
}

// ledgerMove records that the subtree at from now lives at to.
func (r *run) ledgerMove(from, to string) {
	fs, ts := split(from), split(to)
	for _, l := range r.leaves {
		if l.done == nil && under(l.cur, fs) {
			r.remember(l)
			l.cur = append(append([]string(nil), ts...), l.cur[len(fs):]...)
		}
	}
}

// ledgerPending records what an action did to the leaves under path that
// it removed: fate (dropped, todo or transformed) with its reason or
// destination. noEffect, for a drop, says why the key had no effect.
func (r *run) ledgerPending(path []string, f Fate, noEffect string) {
	for _, l := range r.leaves {
		if l.done == nil && l.pending == nil && under(l.cur, path) {
			p := f
			r.remember(l)
			l.pending, l.noEffect, l.at = &p, noEffect, r.step
		}
	}
}

// ledgerTodo records that the leaves under path were removed and handed
// to a human by a TODO holding must.
func (r *run) ledgerTodo(path []string, reason, must string) {
	for _, l := range r.leaves {
		if l.done == nil && l.pending == nil && under(l.cur, path) {
			r.remember(l)
			l.pending, l.must, l.at = &Fate{Fate: FateTodo, Reason: reason}, must, r.step
		}
	}
}

// hasTodo reports whether a TODO comment of the output holds text.
func (r *run) hasTodo(text string) bool {
	for l := 1; l <= r.doc.Lines(); l++ {
		if t := r.doc.LineText(l); strings.Contains(t, strings.TrimSpace(TodoMarker)) && strings.Contains(t, text) {
			return true
		}
	}
	return false
}

// isDefault reports whether a leaf holds the default of its own release:
// the input major's chart default at its input path, or the default of an
// older release of that major (cue/migrate/release_defaults.cue). It
// returns the release whose default it is.
func (r *run) isDefault(l *leaf) (string, bool) {
	if m, ok := l.value.(map[string]any); ok && len(m) == 0 {
		// Helm merges an empty map into the chart's: it changes nothing
		return "", true
	}
	if s := r.in; s != nil {
		def, ok := defaultAt(s, l.orig)
		if ok && sameValue(l.value, def) {
			return s.Latest(), true
		}
		if !ok && normalize(l.value) == nil {
			// an empty value where the chart has none: Helm renders the same
			return s.Latest(), true
		}
	}
	key := strings.Join(escapeSegs(l.orig), ".")
	rds, _ := r.m.tables.ReleaseDefaults(r.res.Chart, r.res.From, key) // as in leafDefault
	for _, rd := range rds {
		if sameValue(l.value, rd.Value) {
			return rd.Releases[0], true
		}
	}
	return "", false
}

// escapeSegs escapes the dots (and backslashes) inside keys, as the
// release-defaults table spells paths.
func escapeSegs(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), ".", `\.`)
	}
	return out
}

// settle gives every leaf its fate, once the steps have run. A leaf that is
// gone from the output is dropped only when it had no effect (equal to its
// release's default, or declared ignored by the action that removed it);
// any other missing leaf is handed to a human with a TODO at the top of
// the file naming it and its value: the engine, not each rule, makes sure
// that no setting with an effect is lost.
func (r *run) settle() error {
	if err := r.keepDefaults(); err != nil {
		return err
	}
	todoAbove := r.todoLines()
	var lost []*leaf
	at := r.pathIndex()
	fates := make([]Fate, len(r.leaves))
	for i, l := range r.leaves {
		f := &fates[i]
		*f = Fate{Path: l.path, Line: l.line}
		n := at(l.cur)
		switch {
		case n != nil && r.underTodo(n, todoAbove):
			f.Fate, f.To, f.Reason = FateTodo, n.Path(), "a # PXVALUES-TODO above it"
			if l.pending != nil && l.pending.Fate == FateTodo {
				f.Reason = l.pending.Reason
			}
		case n != nil && sameValue(n.Interface(), l.value):
			f.Fate = FateKept
			if !slices.Equal(l.cur, l.orig) {
				f.Fate, f.To = FateMoved, n.Path()
			}
		case n != nil:
			f.Fate, f.To, f.Into = FateTransformed, n.Path(), r.flowText(n)
		case l.pending != nil && l.pending.Fate == FateTodo && (l.must == "" || r.hasTodo(l.must)):
			f.Fate, f.Reason = FateTodo, l.pending.Reason
		case l.pending != nil && l.pending.Fate == FateTransformed:
			f.Fate, f.To, f.Reason = FateTransformed, l.pending.To, l.pending.Reason
		default:
			rel, def := r.isDefault(l)
			switch {
			case l.changed != nil && l.changed.lost:
				f.Fate = FateTodo
				lost = append(lost, l)
			case l.changed != nil:
				f.Fate, f.To, f.Into, f.Reason = FateTransformed, l.changed.to, l.changed.into, l.changed.why
			case def:
				f.Fate, f.Reason = FateDropped, "equal to the default of "+r.res.Chart+" "+rel
				if rel == "" {
					f.Reason = "no effect in " + r.res.Chart + " " + r.res.From + ": an empty map, which Helm merges into the chart's"
				}
			case l.noEffect != "":
				f.Fate, f.Reason = FateDropped, "no effect in "+r.res.Chart+" "+r.res.From+": "+l.noEffect
			default:
				f.Fate = FateTodo
				lost = append(lost, l)
			}
			if def && l.pending != nil && l.pending.Reason != "" {
				f.Reason += "; " + l.pending.Reason
			}
		}
		l.done = f
	}
	var todos []Todo
	for _, l := range lost {
		why := "no rule carries it to " + r.res.To
		if l.pending != nil && l.pending.Reason != "" {
			why = l.pending.Reason
		}
		if l.changed != nil {
			why = l.changed.why
		}
		msg := fmt.Sprintf("`%s: %s` (in l.%d) differs from the %s default and was removed (%s): carry it over by hand, or delete this TODO if it is not needed",
			l.path, l.text, r.fileLine(l.done.Line), r.res.From, oneLine(why))
		if l.changed != nil {
			msg = fmt.Sprintf("`%s` (in l.%d) was removed, but %s", l.path, r.fileLine(l.done.Line), oneLine(why))
		}
		l.done.Reason = msg
		todos = append(todos, Todo{Path: l.path, Message: msg})
	}
	if err := r.fileTodos(todos); err != nil {
		return err
	}
	r.res.Leaves = fates
	return nil
}

// pathIndex returns a lookup of the nodes of the output by path, as
// Lookup finds them (the last live entry of a key): one walk, not one scan
// of a map per leaf, which is quadratic on a wide map.
func (r *run) pathIndex() func(segs []string) *values.Node {
	byPath := map[string]*values.Node{}
	var index func(n *values.Node, key string)
	index = func(n *values.Node, key string) {
		byPath[key] = n
		for _, e := range n.Entries {
			if !e.Shadowed {
				index(e, key+"\x00"+e.Key)
			}
		}
		for i, it := range n.Items {
			index(it, key+"\x00"+strconv.Itoa(i))
		}
	}
	index(r.doc.Root, "")
	return func(segs []string) *values.Node {
		if len(segs) == 0 {
			return r.doc.Root
		}
		return byPath["\x00"+strings.Join(segs, "\x00")]
	}
}

// todoLines maps each line of the output that holds a TODO comment.
func (r *run) todoLines() map[int]bool {
	out := map[int]bool{}
	src, marker := r.doc.Src, []byte(strings.TrimSpace(TodoMarker))
	for off := 0; ; {
		i := bytes.Index(src[off:], marker)
		if i < 0 {
			return out
		}
		l := r.doc.PosAt(off + i).Line
		out[l] = true
		off = r.doc.LineStart(l + 1) // the next line
		if off >= len(src) {
			return out
		}
	}
}

// underTodo reports whether a TODO comment sits in the head comments (or
// on the key line) of n or of one of its ancestors.
func (r *run) underTodo(n *values.Node, todo map[int]bool) bool {
	for p := n; p != nil && p.Parent != nil; p = p.Parent {
		for l := p.StartLine; l > 0 && l <= p.KeyPos.Line; l++ {
			if todo[l] {
				return true
			}
		}
	}
	return false
}

// ledgerNewDefault records, for the leaves under path a drop removed, why
// the target's own default applies where it differs from theirs.
func (r *run) ledgerNewDefault(path []string, why string) {
	if why == "" {
		return
	}
	for _, l := range r.leaves {
		if l.done == nil && under(l.cur, path) {
			r.remember(l)
			l.newDefault = why
		}
	}
}
