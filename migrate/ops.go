package migrate

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
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
	var order []*values.Node
	r.doc.Root.Walk(func(n *values.Node) bool { order = append(order, n); return true })
	// shadowed entries are not walked: add them in place
	var all []*values.Node
	for _, n := range order {
		all = append(all, n)
		for _, e := range n.Entries {
			if e.Shadowed && set[e] {
				all = append(all, e)
			}
		}
	}
	for _, n := range all {
		if !set[n] || inSet(n) || n.StartLine == 0 {
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

// rename moves the value at from to to.
func (r *run) rename(a cue.MigrationAction, from, to string) error {
	n := r.lookup(from)
	if n == nil || n.Parent == nil {
		return nil
	}
	if !r.editable(n) {
		return r.cannot(n, "move to `"+to+"`")
	}
	fs, ts := split(from), split(to)
	var conflictTodo string
	if dst := r.lookup(to); dst != nil {
		line := r.origLine(n.KeyPos.Line)
		if sameValue(n.Interface(), dst.Interface()) {
			edits, comments := r.removeEdits([]*values.Node{n}, false)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "drop", From: from, To: to, Line: line, Message: "the same value is already set at `" + to + "`", Comments: comments})
			return nil
		}
		if n.Kind == values.MapKind && dst.Kind == values.MapKind && (a.OnConflict == "" || a.OnConflict == "keep") && len(n.Entries) > 0 && len(dst.Entries) > 0 {
			return r.mergeInto(a, n, from, to)
		}
		switch a.OnConflict {
		case "source":
			if !r.editable(dst) {
				return r.cannot(dst, "replace with `"+from+"`")
			}
			dline := r.origLine(dst.KeyPos.Line)
			edits, comments := r.removeEdits([]*values.Node{dst}, true)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "conflict", From: to, Line: dline, Message: "replaced by the value of `" + from + "`", Comments: comments})
			conflictTodo = fmt.Sprintf("`%s` replaced a different value of `%s` (in l.%d): check it", from, to, dline)
		case "dest":
			edits, comments := r.removeEdits([]*values.Node{n}, false)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "conflict", From: from, To: to, Line: line, Message: "dropped: `" + to + "` is already set to a different value", Comments: comments})
			return r.todoAt(to, fmt.Sprintf("a different value of `%s` (in l.%d) was dropped in favour of this one: check it", from, line))
		default:
			return r.commit(r.todoEdit(n, fmt.Sprintf("cannot move this to `%s`: it is already set to a different value; merge them by hand", to)))
		}
		n = r.lookup(from)
		if n == nil {
			return nil
		}
	}
	line := r.origLine(n.KeyPos.Line)
	newKey := keyText(ts[len(ts)-1])
	action := "rename"
	if len(fs) == len(ts) && strings.Join(fs[:len(fs)-1], ".") == strings.Join(ts[:len(ts)-1], ".") {
		end := keyTokenEnd(r.doc.Src, n.KeyPos.Offset)
		edits := []values.Edit{{Start: n.KeyPos.Offset, End: end, NewText: newKey}}
		// TODOs inside the subtree name its keys by their final path
		for l := n.KeyPos.Line + 1; l <= n.EndLine; l++ {
			t := r.doc.LineText(l)
			if nt := renamePaths(t, from, to); nt != t {
				edits = append(edits, values.Edit{Start: r.doc.LineStart(l), End: r.doc.LineStart(l) + len(t), NewText: nt})
			}
		}
		if err := r.commit(edits); err != nil {
			return err
		}
	} else {
		action = "move"
		text := renamePaths(r.entryText(n, newKey), from, to)
		anc, i := r.deepest(ts[:len(ts)-1])
		for p := anc; p != nil; p = p.Parent {
			if p == n {
				return fmt.Errorf("cannot move `%s` into itself", from)
			}
		}
		unit := indentUnit(r.doc.Root)
		block := nest(ts[i:len(ts)-1], text, unit)
		nchanges := len(r.res.Changes)
		removal, _ := r.removeEdits([]*values.Node{n}, anc == n.Parent)
		var edits []values.Edit
		if i < len(ts)-1 && anc == n.Parent && len(removal) > 0 {
			// the new section takes the old key's place
			removal[0].NewText = reindent(block, r.childCol(anc))
			edits = removal
		} else {
			place, err := r.placeEdits(anc, block)
			if err != nil {
				r.res.Changes = r.res.Changes[:nchanges] // nothing removed after all
				return r.commit(r.todoEdit(n, fmt.Sprintf("move this to `%s` by hand (%v)", to, err)))
			}
			edits = append(place, removal...)
		}
		if err := r.commit(edits); err != nil {
			return err
		}
	}
	r.change(Change{Action: action, From: from, To: to, Line: line, Message: a.Message})
	if a.Todo != "" {
		if err := r.todoAt(to, a.Todo); err != nil {
			return err
		}
	}
	if conflictTodo != "" {
		return r.todoAt(to, conflictTodo)
	}
	return nil
}

// mergeInto moves every child of the map at from into the map at to, then
// drops what is left of from when it is empty.
func (r *run) mergeInto(a cue.MigrationAction, n *values.Node, from, to string) error {
	line := r.origLine(n.KeyPos.Line)
	var keys []string
	for _, e := range n.Live() {
		if strings.Contains(e.Key, ".") {
			continue
		}
		keys = append(keys, e.Key)
	}
	sub := cue.MigrationAction{Action: a.Action, OnConflict: a.OnConflict}
	for _, k := range keys {
		if err := r.rename(sub, from+"."+k, to+"."+k); err != nil {
			return err
		}
	}
	if left := r.lookup(from); left != nil && r.editable(left) && len(left.Live()) == 0 {
		edits, comments := r.removeEdits([]*values.Node{left}, false)
		if err := r.commit(edits); err != nil {
			return err
		}
		r.change(Change{Action: "drop", From: from, Line: line, Message: "emptied by the merge into `" + to + "`", Comments: comments})
	}
	r.change(Change{Action: "merge", From: from, To: to, Line: line, Message: a.Message})
	return nil
}

// targets returns from, or its children not in except.
func (r *run) targets(a cue.MigrationAction) []*values.Node {
	n := r.lookup(a.From)
	if n == nil || n.Parent == nil {
		return nil
	}
	if len(a.Except) == 0 {
		return []*values.Node{n}
	}
	var out []*values.Node
	for _, e := range n.Live() {
		skip := false
		for _, x := range a.Except {
			skip = skip || x == e.Key
		}
		if !skip {
			out = append(out, e)
		}
	}
	return out
}

// drop removes a key (and reports the comments that go with it).
func (r *run) drop(a cue.MigrationAction) error {
	ts := r.targets(a)
	if len(ts) == 0 {
		return nil
	}
	custom := false
	for _, n := range ts {
		if !r.editable(n) {
			return r.cannot(n, "remove it")
		}
		custom = custom || r.isCustom(n)
	}
	lines := make([]int, len(ts))
	paths := make([]string, len(ts))
	for i, n := range ts {
		lines[i], paths[i] = r.origLine(n.KeyPos.Line), n.Path()
	}
	for _, n := range ts {
		if r.blocked(n.Path()) {
			r.change(Change{Action: "keep", From: n.Path(), Line: r.origLine(n.KeyPos.Line), Message: "not dropped: a rule could not rewrite it (see the TODO at the top of the file)"})
			return nil
		}
	}
	todo := a.Todo != "" && (a.TodoWhen != "custom" || custom)
	edits, comments := r.removeEdits(ts, false)
	if todo {
		msg := oneLine(a.Todo)
		if strings.Contains(msg, "{value}") {
			msg = strings.ReplaceAll(msg, "{value}", "`"+r.flowText(ts[0])+"`")
		}
		if len(ts) == 1 && len(edits) > 0 {
			// the TODO takes the key's place, kept apart from the next key so
			// that it does not become that key's head comment
			n := ts[0]
			edits[0].End = r.doc.LineStart(n.EndLine + 1)
			edits[0].NewText = spaces(n.KeyPos.Column-1) + TodoMarker + standalone(paths[0], msg) + "\n"
			if !r.blank(n.EndLine+1) && n.EndLine < r.doc.Lines() {
				edits[0].NewText += "\n"
			}
			r.todos = append(r.todos, Todo{Path: paths[0], Message: msg})
		} else if p := ts[0].Parent; r.editable(p) {
			edits = append(edits, r.todoEdit(p, msg)...)
		}
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	for i := range ts {
		c := Change{Action: "drop", From: paths[i], Line: lines[i], Message: a.Message}
		if i == 0 {
			c.Comments = comments
		}
		r.change(c)
	}
	return nil
}

// valueText renders the value of n for writing elsewhere: its own token
// when it is a one-line scalar, else a fresh rendering.
func (r *run) valueText(n *values.Node) (string, bool) {
	if n.Kind == values.MapKind || n.Kind == values.ListKind {
		return "", false
	}
	if end, ok := scalarEnd(r.doc, n); ok && n.Kind != values.NullKind {
		return string(r.doc.Src[n.Pos.Offset:end]), true
	}
	return scalarText(n.Value), true
}

// set writes a value at a path.
func (r *run) set(a cue.MigrationAction) error {
	var text string
	var want any
	if a.ValueFrom != "" {
		src := r.lookup(a.ValueFrom)
		if src == nil || src.Kind == values.NullKind {
			return nil
		}
		t, ok := r.valueText(src)
		if !ok {
			return nil
		}
		text, want = t, src.Interface()
	} else {
		want = normalize(a.Value)
		if a.Value == nil {
			want = nil
		}
		text = scalarText(want)
	}
	segs := split(a.To)
	n := r.lookup(a.To)
	var edits []values.Edit
	line := 0
	if n != nil {
		if n.Kind != values.NullKind && !a.Overwrite {
			return nil
		}
		if sameValue(n.Interface(), want) && n.Kind != values.NullKind {
			return nil
		}
		if !r.editable(n) || n.Kind == values.ListKind || (n.Kind == values.MapKind && len(n.Entries) > 0) {
			return r.cannot(n, "set it")
		}
		line = r.origLine(n.KeyPos.Line)
		if n.Kind == values.NullKind || n.Kind == values.MapKind {
			s, e, ok := r.nullToken(n)
			if !ok {
				return r.cannot(n, "set it")
			}
			if e == s {
				edits = []values.Edit{{Start: s, End: s, NewText: text}}
				if s > 0 && r.doc.Src[s-1] == ':' {
					edits[0].NewText = " " + text
				}
			} else {
				edits = []values.Edit{{Start: s, End: e, NewText: text}}
			}
		} else {
			end, ok := scalarEnd(r.doc, n)
			if !ok {
				return r.cannot(n, "set it")
			}
			edits = []values.Edit{{Start: n.Pos.Offset, End: end, NewText: text}}
		}
	} else {
		anc, i := r.deepest(segs[:len(segs)-1])
		block := nest(segs[i:len(segs)-1], keyText(segs[len(segs)-1])+": "+text+"\n", indentUnit(r.doc.Root))
		var err error
		edits, err = r.placeEdits(anc, block)
		if err != nil {
			return r.cannot(anc, "set `"+a.To+"`")
		}
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	r.change(Change{Action: "set", From: a.ValueFrom, To: a.To, Line: line, Message: a.Message})
	return nil
}

// todoAction leaves TODO comments.
func (r *run) todoAction(a cue.MigrationAction) error {
	var edits []values.Edit
	for _, n := range r.targets(a) {
		if !r.editable(n) {
			continue
		}
		edits = append(edits, r.todoEdit(n, a.Message)...)
	}
	return r.commit(edits)
}

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
		segs := n.Segments()
		if r.m.sub[segs[0]] {
			return false
		}
		if n.Kind != values.StringKind || (n.Key != "image" && n.Key != "imageTag") || n.Index >= 0 {
			return true
		}
		def, ok := r.oldDefault(segs)
		s := n.Value.(string)
		switch {
		case ok && sameValue(s, def):
			drops = append(drops, n)
		case n.Key == "imageTag" && r.isOldRelease(s):
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
	for i, n := range ok {
		paths[i] = n.Path()
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	for i := range ok {
		r.change(Change{Action: "drop-default-image", From: paths[i], Line: lines[i], Message: a.Message})
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
	shape := map[*values.Node]bool{}
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
	for _, n := range drops {
		if r.editable(n) && !r.blocked(n.Path()) {
			ok = append(ok, n)
			lines = append(lines, r.origLine(n.KeyPos.Line))
			paths = append(paths, n.Path())
			if shape[n] {
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

// blockify rewrites, before a step runs, the one-line flow maps
// (`api: {replicas: 2, service: {nodePort: 30000}}`) that the step's rules
// reach into, as block maps, so that their keys can be renamed, moved and
// dropped one by one like every other key. Only those lines change.
func (r *run) blockify() error {
	prefixes := map[string]bool{}
	add := func(p string) {
		segs := split(p)
		for i := 1; i < len(segs); i++ {
			prefixes[strings.Join(segs[:i], ".")] = true
		}
	}
	for _, a := range r.step.Actions {
		for _, p := range []string{a.From, a.To, a.ValueFrom} {
			add(p)
		}
		for _, k := range a.Keys {
			add(a.From + "." + k)
			add(a.To + "." + k)
		}
		for _, c := range a.When {
			for _, p := range c.Paths() {
				add(p)
			}
		}
	}
	unit := indentUnit(r.doc.Root)
	if root := r.doc.Root; root.Kind == values.MapKind && root.Pos.Offset < len(r.doc.Src) && r.doc.Src[root.Pos.Offset] == '{' {
		return r.blockifyRoot(unit)
	}
	var edits []values.Edit
	var walk func(n *values.Node)
	walk = func(n *values.Node) {
		for _, e := range n.Live() {
			if e.Kind != values.MapKind || !r.editable(e) {
				continue
			}
			flow := e.Pos.Offset < len(r.doc.Src) && r.doc.Src[e.Pos.Offset] == '{'
			if !flow {
				walk(e)
				continue
			}
			wanted := prefixes[strings.Join(e.Segments(), ".")] || e.Get("image") != nil || e.Get("imageTag") != nil
			if !wanted || len(e.Entries) == 0 || e.Pos.Line != e.KeyPos.Line || e.EndLine != e.KeyPos.Line {
				continue
			}
			end, ok := flowEnd(r.doc.Src, e.Pos.Offset)
			if !ok {
				continue
			}
			start := e.Pos.Offset
			for start > 0 && (r.doc.Src[start-1] == ' ' || r.doc.Src[start-1] == '\t') {
				start--
			}
			var b strings.Builder
			for _, c := range e.Live() {
				writeEntry(&b, c.Key, nodeValue(c), e.KeyPos.Column-1+unit, unit)
			}
			next := r.doc.LineStart(e.KeyPos.Line + 1)
			prefix := ""
			if next == len(r.doc.Src) && (len(r.doc.Src) == 0 || r.doc.Src[len(r.doc.Src)-1] != '\n') {
				prefix = "\n"
			}
			edits = append(edits, values.Edit{Start: start, End: end}, values.Edit{Start: next, End: next, NewText: prefix + b.String()})
		}
	}
	walk(r.doc.Root)
	return r.commit(edits)
}

// nodeValue is n as an ordered value for block rendering.
func nodeValue(n *values.Node) any {
	switch n.Kind {
	case values.MapKind:
		om := omap{}
		for _, e := range n.Live() {
			om = append(om, kv{e.Key, nodeValue(e)})
		}
		return om
	case values.ListKind:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = nodeValue(it)
		}
		return l
	}
	return n.Value
}

// flowEnd returns the offset after the `}` closing the flow map at off.
func flowEnd(src []byte, off int) (int, bool) {
	depth := 0
	for i := off; i < len(src) && src[i] != '\n'; i++ {
		switch src[i] {
		case '"', '\'':
			e := keyTokenEnd(src, i)
			if e <= i {
				return 0, false
			}
			i = e - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// blockifyRoot rewrites a file whose root is a flow map
// (`{serviceType: NodePort, api: {replicas: 2}}`) as a block map, so that
// the rules can edit it; a flow root holding comments is left alone with a
// TODO (its comments could not be placed).
func (r *run) blockifyRoot(unit int) error {
	src := r.doc.Src
	start := r.doc.Root.Pos.Offset
	end, comments, ok := flowExtent(src, start)
	if !ok {
		return r.fileTodo(".", "the file is a YAML flow map ({...}) the migration cannot read: rewrite it in block style, then migrate it again")
	}
	var b strings.Builder
	if comments {
		// the comments inside the braces cannot keep their place: they go
		// above the rewritten map, in their order
		first, last := r.doc.PosAt(start).Line, r.doc.PosAt(end-1).Line
		for _, c := range commentsIn(r.doc, first, last) {
			b.WriteString(c + "\n")
		}
	}
	for _, c := range r.doc.Root.Live() {
		writeEntry(&b, c.Key, nodeValue(c), 0, unit)
	}
	text := strings.TrimSuffix(b.String(), "\n")
	if len(r.doc.Root.Live()) == 0 {
		text = "{}"
	}
	line := r.origLine(r.doc.PosAt(start).Line)
	if err := r.commit([]values.Edit{{Start: start, End: end, NewText: text}}); err != nil {
		return err
	}
	r.change(Change{Action: "reformat", Line: line,
		Message: "the flow-style root map ({...}) was rewritten in block style so that its keys can be migrated"})
	return nil
}

// flowExtent returns the offset after the bracket closing the flow
// collection at off (over several lines), and whether a comment is inside.
func flowExtent(src []byte, off int) (int, bool, bool) {
	depth, comments := 0, false
	for i := off; i < len(src); i++ {
		switch c := src[i]; c {
		case '"', '\'':
			j := i + 1
			for ; j < len(src); j++ {
				if c == '"' && src[j] == '\\' {
					j++
					continue
				}
				if src[j] == c {
					if c == '\'' && j+1 < len(src) && src[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(src) {
				return 0, false, false
			}
			i = j
		case '#':
			if i > 0 && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n') {
				comments = true
				for i < len(src) && src[i] != '\n' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, comments, true
			}
		}
	}
	return 0, false, false
}

// skipProps returns the offset after the anchor or tag tokens (`&name`,
// `!!map`) that follow off on its line, or off when there are none.
func skipProps(src []byte, off int) int {
	i := off
	for {
		j := i
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j >= len(src) || (src[j] != '&' && src[j] != '!') {
			return i
		}
		for j < len(src) && src[j] != ' ' && src[j] != '\t' && src[j] != '\n' && src[j] != '\r' {
			j++
		}
		i = j
	}
}

// flowText renders n in one line of flow YAML for a TODO or report text,
// with the values of secret keys redacted.
func (r *run) flowText(n *values.Node) string {
	if r.isSecret(n) {
		return "<redacted>"
	}
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
func (r *run) isSecret(n *values.Node) bool {
	if n.Kind == values.MapKind || n.Kind == values.ListKind || n.Parent == nil {
		return false
	}
	return r.m.secrets.IsSecret(n.Segments())
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
