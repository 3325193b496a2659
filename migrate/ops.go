package migrate

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// rename moves the value at from to to.
func (r *run) rename(a cue.MigrationAction, from, to string) error {
	n := r.entry(from)
	if n == nil {
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
			r.ledgerMove(from, to)
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
			conflictTodo = fmt.Sprintf("`%s` replaced a different value of `%s` (in l.%d): check it", from, to, r.fileLine(dline))
		case "dest":
			edits, comments := r.removeEdits([]*values.Node{n}, false)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "conflict", From: from, To: to, Line: line, Message: "dropped: `" + to + "` is already set to a different value", Comments: comments})
			r.ledgerTodo(fs, fmt.Sprintf("a different value was already set at `%s`: the TODO there names it", to), "a different value of `"+from+"`")
			return r.todoAt(to, fmt.Sprintf("a different value of `%s` (in l.%d) was dropped in favour of this one: check it", from, r.fileLine(line)))
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
	r.ledgerMove(from, to)
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
	n := r.entry(a.From)
	if n == nil {
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
	for i, n := range ts {
		if todo {
			must, _, _ := strings.Cut(oneLine(a.Todo), "{value}")
			r.ledgerTodo(n.Segments(), "the TODO at `"+paths[i]+"`: "+oneLine(a.Todo), must)
			continue
		}
		r.ledgerPending(n.Segments(), Fate{Fate: FateDropped, Reason: a.Message}, a.NoEffect)
		r.ledgerNewDefault(n.Segments(), a.NewDefault)
	}
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

// dissolve removes the map at from when a merge left it empty, and moves
// its head comments (the user's words about the section) above the map at
// to, where its keys went; no empty husk (`api: {}`) stays behind.
func (r *run) dissolve(from, to string) error {
	n, dst := r.lookup(from), r.lookup(to)
	if n == nil || n.Kind != values.MapKind || len(n.Live()) > 0 || !r.editable(n) {
		return nil
	}
	line := r.origLine(n.KeyPos.Line)
	var head []string
	for l := n.StartLine; l < n.KeyPos.Line; l++ {
		head = append(head, r.doc.LineText(l))
	}
	edits, comments := r.removeEdits([]*values.Node{n}, false)
	if dst != nil && r.editable(dst) && len(head) > 0 {
		var b strings.Builder
		for _, h := range head {
			b.WriteString(spaces(dst.KeyPos.Column-1) + strings.TrimSpace(h) + "\n")
		}
		off := r.doc.LineStart(dst.StartLine)
		edits = append(edits, values.Edit{Start: off, End: off, NewText: b.String()})
		// the head comments travel; the rest of the section is reported
		comments = commentsIn(r.doc, n.KeyPos.Line, n.EndLine)
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	r.change(Change{Action: "drop", From: from, Line: line, Message: "emptied by the merge into `" + to + "`", Comments: comments})
	return nil
}
