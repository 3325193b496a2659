package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// editable reports whether n is a block map entry the engine can rewrite at
// line granularity (not in a flow collection, not from an alias or `<<`).
func (r *run) editable(n *values.Node) bool {
	if n == nil || n.Parent == nil || n.StartLine == 0 || n.KeyPos.Line == 0 || n.Merged || n.Alias {
		return false
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Alias || p.Merged {
			return false
		}
		if off := p.Pos.Offset; off < len(r.doc.Src) && (r.doc.Src[off] == '{' || r.doc.Src[off] == '[') {
			return false // inside a flow collection (the root included)
		}
	}
	return true
}

func spaces(n int) string { return strings.Repeat(" ", max(n, 0)) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// removeEdits removes nodes (and any shadowed duplicate of their keys) with
// their head comments. A parent map left with no entry gets `{}` so that it
// does not become null (a null would delete the chart's defaults in Helm),
// unless keepParent says the caller refills it.
func (r *run) removeEdits(nodes []*values.Node, keepParent bool) ([]values.Edit, []string) {
	set := map[*values.Node]bool{}
	for _, n := range nodes {
		set[n] = true
		if n.Parent != nil {
			for _, e := range n.Parent.Entries {
				if e.Key == n.Key && !e.Merged && e.StartLine > 0 && e != n {
					set[e] = true
					r.change(Change{Action: "drop", From: e.Path(), Line: r.origLine(e.KeyPos.Line),
						Message: "an earlier duplicate of this key (Helm read only the last one) removed with it", Comments: commentsIn(r.doc, e.StartLine, e.EndLine)})
				}
			}
		}
	}
	inSet := func(n *values.Node) bool {
		for p := n.Parent; p != nil; p = p.Parent {
			if set[p] {
				return true
			}
		}
		return false
	}
	var edits []values.Edit
	var comments []string
	parents := map[*values.Node]bool{}
	for _, n := range walkOrder(set) {
		if inSet(n) || n.StartLine == 0 {
			continue
		}
		set[n] = true
		if last := r.ownEnd(n); last != n.EndLine {
			edits = append(edits, values.Edit{Start: r.doc.LineStart(n.StartLine), End: r.doc.LineStart(last + 1)})
			if !n.Shadowed {
				comments = append(comments, commentsIn(r.doc, n.StartLine, last)...)
			}
			if n.Parent != nil && n.Parent.Parent != nil {
				parents[n.Parent] = true
			}
			continue
		}
		end := r.doc.LineStart(n.EndLine + 1)
		if n.Parent == r.doc.Root && r.blank(n.StartLine-1) && n.EndLine+1 <= r.doc.Lines() && r.blank(n.EndLine+1) {
			// a top-level section between blank lines takes one with it
			end = r.doc.LineStart(n.EndLine + 2)
		}
		edits = append(edits, values.Edit{Start: r.doc.LineStart(n.StartLine), End: end})
		if !n.Shadowed {
			comments = append(comments, commentsIn(r.doc, n.StartLine, n.EndLine)...)
		}
		if n.Parent != nil && n.Parent.Parent != nil {
			parents[n.Parent] = true
		}
	}
	if !keepParent {
		for p := range parents {
			if set[p] || inSet(p) {
				continue
			}
			empty := true
			for _, e := range p.Live() {
				if !set[e] {
					empty = false
					break
				}
			}
			if empty {
				if off, ok := colonEnd(r.doc.Src, p); ok {
					off = skipProps(r.doc.Src, off)
					edits = append(edits, values.Edit{Start: off, End: off, NewText: " {}"})
				}
			}
		}
	}
	return edits, comments
}

// walkOrder returns the nodes of set in the order of a walk of the tree
// (Node.Walk), a shadowed entry right after its parent (the walk skips
// it), leaving out those the walk does not reach (below a shadowed entry).
func walkOrder(set map[*values.Node]bool) []*values.Node {
	type ranked struct {
		n   *values.Node
		key []int // the indices from the root down, -1 before a shadowed entry's
	}
	var rs []ranked
	for n := range set {
		var key []int
		reached := true
		for c := n; c.Parent != nil; c = c.Parent {
			i := c.Index
			if i < 0 {
				i = slices.Index(c.Parent.Entries, c)
			}
			key = append(key, i)
			if c.Shadowed {
				reached = reached && c == n
				key = append(key, -1)
			}
		}
		if reached {
			slices.Reverse(key)
			rs = append(rs, ranked{n, key})
		}
	}
	slices.SortFunc(rs, func(a, b ranked) int { return slices.Compare(a.key, b.key) })
	out := make([]*values.Node, len(rs))
	for i, x := range rs {
		out[i] = x.n
	}
	return out
}

// ownEnd is the last line of n's extent that belongs to n: standalone
// TODOs that ended up after its value (where an earlier drop left them,
// with the blank lines around them) are not n's and stay when n goes.
func (r *run) ownEnd(n *values.Node) int {
	last, kept := n.EndLine, false
	for last > n.KeyPos.Line && (r.blank(last) || strings.HasPrefix(strings.TrimSpace(r.doc.LineText(last)), TodoMarker+"[")) {
		kept = kept || !r.blank(last)
		last--
	}
	if !kept {
		return n.EndLine
	}
	return last
}

// standalone prefixes the TODO text of a comment that sits above no key
// with the path it is about: "[docker-registry] ...".
func standalone(path, msg string) string { return "[" + path + "] " + msg }

// blank reports whether line is empty or white space (line 0 counts as blank).
func (r *run) blank(line int) bool {
	return line < 1 || (line <= r.doc.Lines() && strings.TrimSpace(r.doc.LineText(line)) == "")
}

// entryText returns n's lines (head comments included) at column 0, its key
// renamed to key.
func (r *run) entryText(n *values.Node, key string) string {
	src := r.doc.Src
	start, end := r.doc.LineStart(n.StartLine), r.doc.LineStart(n.EndLine+1)
	keyEnd := keyTokenEnd(src, n.KeyPos.Offset)
	text := string(src[start:n.KeyPos.Offset]) + key + string(src[keyEnd:end])
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return reindent(text, -(n.KeyPos.Column - 1))
}

// deepest returns the deepest existing node along segs and how many
// segments it covers.
func (r *run) deepest(segs []string) (*values.Node, int) {
	cur := r.doc.Root
	for i, s := range segs {
		next := cur.Get(s)
		if next == nil {
			return cur, i
		}
		cur = next
	}
	return cur, len(segs)
}

// nest wraps entry (a block at column 0) in the keys missing.
func nest(missing []string, entry string, unit int) string {
	text := entry
	for j := len(missing) - 1; j >= 0; j-- {
		text = keyText(missing[j]) + ":\n" + reindent(text, unit)
	}
	return text
}

// childCol is the column (0-based) of anc's children.
func (r *run) childCol(anc *values.Node) int {
	if anc.Parent == nil {
		return 0
	}
	for _, e := range anc.Entries {
		if e.KeyPos.Line > 0 && !e.Merged && e.KeyPos.Line != anc.KeyPos.Line {
			return e.KeyPos.Column - 1
		}
	}
	return anc.KeyPos.Column - 1 + indentUnit(r.doc.Root)
}

// nullToken finds the value token of a null or empty-map entry on its key
// line ("", "~", "null", "{}").
func (r *run) nullToken(n *values.Node) (int, int, bool) {
	src := r.doc.Src
	off, ok := colonEnd(src, n)
	if !ok {
		return 0, 0, false
	}
	off = skipProps(src, off)
	for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	end := off
	for end < len(src) && src[end] != '\n' && src[end] != '\r' && !(src[end] == '#' && end > 0 && (src[end-1] == ' ' || src[end-1] == '\t')) {
		end++
	}
	tok := strings.TrimSpace(string(src[off:end]))
	switch strings.ReplaceAll(tok, " ", "") {
	case "", "~", "null", "Null", "NULL", "{}":
		return off, off + len(tok), true
	}
	return 0, 0, false
}

// placeEdits writes text (a block at column 0) as the last entries of anc.
func (r *run) placeEdits(anc *values.Node, text string) ([]values.Edit, error) {
	src := r.doc.Src
	if anc.Parent == nil {
		prefix := "\n"
		if len(src) > 0 && src[len(src)-1] != '\n' {
			prefix = "\n\n"
		}
		return []values.Edit{{Start: len(src), End: len(src), NewText: prefix + text}}, nil
	}
	if !r.editable(anc) {
		return nil, fmt.Errorf("`%s` is not a block map the migration can write into", anc.Path())
	}
	switch {
	case anc.Kind == values.MapKind && len(anc.Entries) > 0:
		if anc.Pos.Line == anc.KeyPos.Line {
			return nil, fmt.Errorf("`%s` is a flow map ({...}): write into it by hand", anc.Path())
		}
		off := r.doc.LineStart(anc.EndLine + 1)
		prefix := ""
		if off == len(src) && len(src) > 0 && src[len(src)-1] != '\n' {
			prefix = "\n"
		}
		return []values.Edit{{Start: off, End: off, NewText: prefix + reindent(text, r.childCol(anc))}}, nil
	case anc.Kind == values.MapKind || anc.Kind == values.NullKind:
		s, e, ok := r.nullToken(anc)
		if !ok {
			return nil, fmt.Errorf("`%s` cannot take new keys here", anc.Path())
		}
		off := r.doc.LineStart(anc.EndLine + 1)
		prefix := ""
		if off == len(src) && len(src) > 0 && src[len(src)-1] != '\n' {
			prefix = "\n"
		}
		edits := []values.Edit{}
		if e > s {
			// drop the token and the spaces before it
			ss := s
			for ss > 0 && (src[ss-1] == ' ' || src[ss-1] == '\t') {
				ss--
			}
			if e < len(src) && src[e] != '\n' && src[e] != '\r' {
				ss = s // keep the spacing before a line comment
			}
			edits = append(edits, values.Edit{Start: ss, End: e})
		}
		edits = append(edits, values.Edit{Start: off, End: off, NewText: prefix + reindent(text, r.childCol(anc))})
		return edits, nil
	}
	return nil, fmt.Errorf("`%s` is a %s, not a map", anc.Path(), anc.Kind)
}

// todoEdit writes a TODO comment above n unless it is already there.
func (r *run) todoEdit(n *values.Node, msg string) []values.Edit {
	msg = oneLine(msg)
	r.todos = append(r.todos, Todo{Path: n.Path(), Message: msg})
	line := TodoMarker + msg
	for l := n.StartLine; l < n.KeyPos.Line; l++ {
		if strings.TrimSpace(r.doc.LineText(l)) == line {
			return nil
		}
	}
	off := r.doc.LineStart(n.KeyPos.Line)
	return []values.Edit{{Start: off, End: off, NewText: spaces(n.KeyPos.Column-1) + line + "\n"}}
}

// todoAt commits a TODO above the node at path (when it exists).
func (r *run) todoAt(path, msg string) error {
	n := r.lookup(path)
	if !r.editable(n) {
		return nil
	}
	return r.commit(r.todoEdit(n, msg))
}

// cannot leaves a TODO at the nearest editable node for what the engine
// cannot rewrite there.
func (r *run) cannot(n *values.Node, what string) error {
	for p := n; p != nil; p = p.Parent {
		if r.editable(p) {
			return r.commit(r.todoEdit(p, fmt.Sprintf("%s: `%s` could not be rewritten automatically (flow style, alias or merge key); do it by hand", what, n.Path())))
		}
	}
	r.failed = append(r.failed, n.Path())
	return r.fileTodo(n.Path(), fmt.Sprintf("%s: `%s` could not be rewritten automatically (flow style, alias or merge key); do it by hand", what, n.Path()))
}
