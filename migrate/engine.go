package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// commit applies edits to the current text and parses it again: only the
// top-level sections the edits touch, when that gives the same tree
// (values.Document.Edit), so that an action costs the part of the file it
// edits.
func (r *run) commit(edits []values.Edit) error {
	if len(edits) == 0 {
		return nil
	}
	old := r.doc
	if crlf(old.Src) {
		// a Windows file stays one: what we write uses its line endings
		for i := range edits {
			edits[i].NewText = strings.ReplaceAll(strings.ReplaceAll(edits[i].NewText, "\r\n", "\n"), "\n", "\r\n")
		}
	}
	doc, err := old.Edit(edits, r.lim)
	if err != nil {
		var perr *values.Error
		if errors.As(err, &perr) {
			return fmt.Errorf("%w: %v", errUnparsable, err)
		}
		return fmt.Errorf("internal error: %w", err)
	}
	for _, e := range edits {
		if e.Start == e.End && (e.Start == 0 || old.Src[e.Start-1] == '\n') {
			continue // a pure insertion at a line start touches no line
		}
		first := old.PosAt(e.Start).Line
		last := first
		if e.End > e.Start {
			last = old.PosAt(e.End - 1).Line
		}
		for l := first; l <= last; l++ {
			if o := r.origLine(l); o > 0 {
				r.touch(o)
			}
		}
	}
	r.orig = remapLines(old, r.orig, edits, doc.Src)
	r.doc = doc
	return nil
}

// errUnparsable is returned by commit when an edit would leave text that
// does not parse (a YAML construct the engine does not rewrite correctly);
// guard then undoes the action and leaves a TODO instead.
var errUnparsable = errors.New("the migrated text does not parse")

// snapshot is the state of a run before an action, to undo it: what the
// action replaces (the document, the line map) is kept as it was; what it
// changes in place (the touched lines, the ledger) is recorded by the undo
// journal as it changes, from the marks below on.
type snapshot struct {
	doc            *values.Document
	orig           []int
	changes, todos int
	// leaves and touched are the lengths of the journal at the save.
	leaves, touched int
}

// journal records, while a guarded action runs, the state every leaf had
// before its first change and the input lines it marked touched, so that
// the action can be undone by replaying the records backwards: the cost
// of a guard is what the action changes, not the size of the file.
type journal struct {
	// depth counts the guards running (records are kept while > 0).
	depth   int
	leaves  []leafState
	touched []int
}

// leafState is a leaf as it was before a guarded action changed it.
type leafState struct {
	l   *leaf
	was leaf
}

// remember records l before a change to it, when a guard may undo it.
func (r *run) remember(l *leaf) {
	if r.undo.depth > 0 {
		r.undo.leaves = append(r.undo.leaves, leafState{l, *l})
	}
}

// touch marks the input line o changed by an edit.
func (r *run) touch(o int) {
	if r.res.Touched[o] {
		return
	}
	r.res.Touched[o] = true
	if r.undo.depth > 0 {
		r.undo.touched = append(r.undo.touched, o)
	}
}

func (r *run) save() snapshot {
	r.undo.depth++
	return snapshot{doc: r.doc, orig: r.orig, changes: len(r.res.Changes), todos: len(r.todos),
		leaves: len(r.undo.leaves), touched: len(r.undo.touched)}
}

// release ends the guard that saved s and keeps what its action did.
func (r *run) release(s snapshot) {
	r.undo.depth--
	if r.undo.depth == 0 {
		r.undo.leaves, r.undo.touched = r.undo.leaves[:0], r.undo.touched[:0]
	}
}

// restore undoes what happened since s was saved and ends its guard.
func (r *run) restore(s snapshot) error {
	defer r.release(s)
	if s.doc.Root == nil {
		// a later edit took its tree (values.Document.Edit): parse it again
		doc, err := values.Load(s.doc.Name, s.doc.Src, r.lim)
		if err != nil {
			return fmt.Errorf("internal error: the text before the action no longer parses: %w", err)
		}
		s.doc = doc
	}
	r.doc, r.orig = s.doc, s.orig
	r.res.Changes = r.res.Changes[:s.changes]
	r.todos = r.todos[:s.todos]
	for i := len(r.undo.leaves) - 1; i >= s.leaves; i-- {
		*r.undo.leaves[i].l = r.undo.leaves[i].was
	}
	for _, o := range r.undo.touched[s.touched:] {
		delete(r.res.Touched, o)
	}
	r.undo.leaves, r.undo.touched = r.undo.leaves[:s.leaves], r.undo.touched[:s.touched]
	return nil
}

// guard runs fn; when fn would leave text that does not parse, its edits
// are undone and a TODO about path (the whole file when "") is left at the
// top of the file, so that valid YAML never ends in an internal error.
// With keep, later drops leave path (and what is above and below it) in
// place, so that the data a failed rule should have moved is not lost.
func (r *run) guard(fn func() error, path string, keep bool) error {
	s := r.save()
	err := fn()
	if err == nil || !errors.Is(err, errUnparsable) {
		r.release(s)
		return err
	}
	if err := r.restore(s); err != nil {
		return err
	}
	if path == "" {
		path = "."
	}
	if keep {
		r.failed = append(r.failed, path)
	}
	return r.fileTodo(path, "the migration could not rewrite this part of the file automatically (YAML aliases, anchors or flow style): migrate it by hand")
}

// fileTodo leaves a TODO about path at the top of the file (once) and
// reports it; it is for what has no editable key to sit above.
func (r *run) fileTodo(path, msg string) error {
	return r.fileTodos([]Todo{{Path: path, Message: msg}})
}

// fileTodos leaves several TODOs at the top of the file, in their order,
// as one block.
func (r *run) fileTodos(todos []Todo) error {
	if len(todos) == 0 {
		return nil
	}
	have := map[string]bool{}
	for l := 1; l <= r.doc.Lines(); l++ {
		have[strings.TrimSpace(r.doc.LineText(l))] = true
	}
	var b strings.Builder
	for _, t := range todos {
		msg := oneLine(t.Message)
		line := TodoMarker + standalone(t.Path, msg)
		r.todos = append(r.todos, Todo{Path: t.Path, Message: msg})
		r.change(Change{Action: "todo", From: t.Path, Message: msg})
		if !have[line] {
			have[line] = true
			b.WriteString(line + "\n")
		}
	}
	if b.Len() == 0 {
		return nil
	}
	off := 0
	if bytes.HasPrefix(r.doc.Src, []byte("\xef\xbb\xbf")) {
		off = 3 // after a byte order mark
	}
	return r.commit([]values.Edit{{Start: off, End: off, NewText: b.String() + "\n"}})
}

// crlf reports whether most lines of src end with CR LF.
func crlf(src []byte) bool {
	return 2*bytes.Count(src, []byte("\r\n")) > bytes.Count(src, []byte("\n"))
}

// remapLines computes the input line of every line of src, the text old
// became with edits.
func remapLines(old *values.Document, orig []int, edits []values.Edit, src []byte) []int {
	sorted := append([]values.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	type seg struct{ newStart, oldStart, n int }
	segs := make([]seg, 0, len(sorted)+1)
	last, pos := 0, 0
	for _, e := range sorted {
		segs = append(segs, seg{pos, last, e.Start - last})
		pos += e.Start - last + len(e.NewText)
		last = e.End
	}
	segs = append(segs, seg{pos, last, len(old.Src) - last})
	out := make([]int, 0, bytes.Count(src, []byte{'\n'})+1)
	si, prev := 0, 0 // prev: the old line of the last line mapped
	for p := 0; ; {
		for si < len(segs) && segs[si].newStart+segs[si].n <= p {
			si++
		}
		line := 0
		if si < len(segs) && p >= segs[si].newStart {
			op := segs[si].oldStart + (p - segs[si].newStart)
			if op == 0 || old.Src[op-1] == '\n' {
				l := prev + 1 // most often the line after the last one
				if l > old.Lines() || old.LineStart(l) != op {
					l = old.PosAt(op).Line
				}
				prev = l
				if l >= 1 && l <= len(orig) {
					line = orig[l-1]
				}
			}
		}
		out = append(out, line)
		i := bytes.IndexByte(src[p:], '\n')
		if i < 0 || p+i+1 >= len(src) {
			break
		}
		p += i + 1
	}
	return out
}

// tidy collapses the runs of blank lines the removals left behind (two
// blank lines that were not next to each other in the input) into one; the
// user's own blank lines are kept as they were.
func (r *run) tidy() error {
	var edits []values.Edit
	doc := r.doc
	blank := func(l int) bool { return strings.TrimSpace(doc.LineText(l)) == "" }
	for l := 1; l <= doc.Lines(); {
		if !blank(l) || l == doc.Lines() && len(doc.Src) > 0 && doc.Src[len(doc.Src)-1] != '\n' {
			l++
			continue
		}
		end := l
		for end+1 <= doc.Lines() && blank(end+1) && doc.LineStart(end+1) < len(doc.Src) {
			end++
		}
		if end > l {
			a, b := r.origLine(l), r.origLine(end)
			if a == 0 || b == 0 || b-a != end-l {
				edits = append(edits, values.Edit{Start: doc.LineStart(l + 1), End: doc.LineStart(end + 1)})
			}
		}
		l = end + 1
	}
	return r.commit(edits)
}

// collectTodos finds every TODO comment of the output, with its line and
// the key it sits above.
func (r *run) collectTodos() {
	doc := r.doc
	keyAt := map[int]string{}
	doc.Root.Walk(func(n *values.Node) bool {
		if n.KeyPos.Line > 0 && n.StartLine > 0 {
			for l := n.StartLine; l < n.KeyPos.Line; l++ {
				keyAt[l] = n.Path()
			}
		}
		return true
	})
	for l := 1; l <= doc.Lines(); l++ {
		t := strings.TrimSpace(doc.LineText(l))
		if !strings.HasPrefix(t, TodoMarker) {
			continue
		}
		msg := strings.TrimPrefix(t, TodoMarker)
		path := keyAt[l]
		if p, rest, ok := strings.Cut(msg, "] "); ok && strings.HasPrefix(p, "[") && !strings.Contains(p, " ") {
			// a standalone TODO names the path it is about
			msg, path = rest, p[1:]
		}
		r.res.Todos = append(r.res.Todos, Todo{Path: path, Line: l, Message: msg})
	}
}

// husks removes the maps the migration emptied (`auth: {}` left when its
// last key moved or went): an empty map changes nothing in Helm, so it only
// hides where the keys went. A `{}` the user wrote on a line the migration
// did not touch stays.
func (r *run) husks() error {
	for range 16 {
		var empty []*values.Node
		r.doc.Root.Walk(func(n *values.Node) bool {
			if n.Parent == nil || n.Kind != values.MapKind {
				return true
			}
			if len(n.Live()) > 0 {
				return true
			}
			if o := r.origLine(n.KeyPos.Line); (o == 0 || r.res.Touched[o]) && r.editable(n) {
				empty = append(empty, n)
			}
			return false
		})
		if len(empty) == 0 {
			return nil
		}
		paths := make([]string, len(empty))
		for i, n := range empty {
			paths[i] = n.Path()
		}
		// the key lines go; comments above them stay where they are (a
		// file's header sits above its first key)
		var inner []*values.Node
		var edits []values.Edit
		var comments []string
		for _, n := range empty {
			if n.Parent != nil && n.Parent.Parent != nil {
				inner = append(inner, n)
				continue
			}
			edits = append(edits, values.Edit{Start: r.doc.LineStart(n.KeyPos.Line), End: r.doc.LineStart(r.ownEnd(n) + 1)})
			comments = append(comments, commentsIn(r.doc, n.KeyPos.Line, r.ownEnd(n))...)
		}
		if len(inner) > 0 {
			// removeEdits also turns an emptied parent into `{}`, which the
			// next round removes
			e, c := r.removeEdits(inner, false)
			edits, comments = append(edits, e...), append(comments, c...)
		}
		if err := r.commit(edits); err != nil {
			return err
		}
		r.change(Change{Action: "drop", From: strings.Join(paths, ", "), Message: "an empty map left by the migration (Helm reads it as nothing)", Comments: comments})
	}
	return nil
}

// ownComments removes from the report's "removed comment" lists the TODO
// lines the migration wrote and removed itself: only the user's comments
// are reported.
func (r *run) ownComments() {
	mine := map[string]bool{}
	for _, c := range Comments(r.res.Input) {
		mine[c] = true
	}
	for i := range r.res.Changes {
		c := &r.res.Changes[i]
		kept := c.Comments[:0]
		for _, cm := range c.Comments {
			if strings.HasPrefix(cm, strings.TrimSpace(TodoMarker)) && !mine[cm] {
				continue
			}
			kept = append(kept, cm)
		}
		if len(kept) == 0 {
			kept = nil
		}
		c.Comments = kept
	}
}
