package migrate

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// expand writes out, before the first step, the values that come from YAML
// aliases (`key: *name`) and merge keys (`<<: *name`) of block maps as
// plain YAML at the place that uses them. A moved, merged or dropped key
// then carries its real value (a `<<` cannot be moved key by key), and
// removing the key that holds an anchor cannot leave an alias dangling. The
// anchors themselves stay where they are; every expansion is reported.
func (r *run) expand() error {
	type exp struct {
		edit values.Edit
		path string
		line int
		what string
	}
	var exps []exp
	unit := indentUnit(r.doc.Root)
	src := r.doc.Src
	var walk func(n *values.Node)
	walk = func(n *values.Node) {
		if n.Kind != values.MapKind || (n.Parent != nil && !r.editable(n)) {
			return
		}
		if off := n.Pos.Offset; off < len(src) && (src[off] == '{' || src[off] == '[') {
			return // flow maps are rewritten by blockify (merged keys included)
		}
		done := map[int]bool{}
		for _, e := range n.Entries {
			switch {
			case e.Merged:
				p := e.MergePos
				if done[p.Line] || p.Line < 1 {
					continue
				}
				done[p.Line] = true
				if ed, ok := r.expandMerge(n, p, unit); ok {
					exps = append(exps, exp{ed, n.Path(), r.origLine(p.Line), "merge key (`<<`)"})
				}
			case e.Alias && !e.Shadowed && e.KeyPos.Line > 0:
				if ed, ok := r.expandAlias(e, unit); ok {
					exps = append(exps, exp{ed, e.Path(), r.origLine(e.KeyPos.Line), "alias (`*`)"})
				}
			case !e.Shadowed && !e.Alias:
				walk(e)
			}
		}
	}
	walk(r.doc.Root)
	if len(exps) == 0 {
		return nil
	}
	edits := make([]values.Edit, len(exps))
	for i, x := range exps {
		edits[i] = x.edit
	}
	if err := r.commit(edits); err != nil {
		return err
	}
	for _, x := range exps {
		r.change(Change{Action: "expand", From: x.path, Line: x.line,
			Message: "the value of a YAML " + x.what + " was written out as plain YAML here, so that the migration can move and drop its keys (the anchor is unchanged)"})
	}
	// the TODOs go at the top of the file: the keys that held the alias
	// may be moved or dropped by the rules
	for _, x := range exps {
		msg := fmt.Sprintf("`%s` used a YAML %s (in l.%d): its values were written out as plain YAML so that they could be migrated with the keys around them; later edits of the anchor no longer reach them: check them", x.path, x.what, r.fileLine(x.line))
		if err := r.fileTodo(x.path, msg); err != nil {
			return err
		}
	}
	return nil
}

// expandMerge replaces the `<<` entry at p in the block map n by the
// entries it brings in (those not overridden), at the same indentation.
func (r *run) expandMerge(n *values.Node, p values.Pos, unit int) (values.Edit, bool) {
	doc := r.doc
	line := doc.LineText(p.Line)
	col := p.Column - 1
	if col > len(line) || strings.TrimSpace(line[:col]) != "" || !strings.HasPrefix(line[col:], "<<") {
		return values.Edit{}, false // not a block `<<` starting its line
	}
	// the entry ends before the next line indented no deeper than `<<`
	end := p.Line
	for l := p.Line + 1; l <= doc.Lines(); l++ {
		t := doc.LineText(l)
		trim := strings.TrimLeft(t, " \t")
		if trim == "" || strings.HasPrefix(trim, "#") {
			continue
		}
		if len(t)-len(trim) <= col {
			break
		}
		end = l
	}
	var b strings.Builder
	for _, c := range commentsIn(doc, p.Line, end) {
		b.WriteString(spaces(col) + c + "\n")
	}
	for _, e := range n.Entries {
		if e.Merged && !e.Shadowed && e.MergePos.Line == p.Line && e.MergePos.Column == p.Column {
			writeEntry(&b, e.Key, nodeValue(e), col, unit)
		}
	}
	return values.Edit{Start: doc.LineStart(p.Line), End: doc.LineStart(end + 1), NewText: b.String()}, true
}

// expandAlias replaces the `*name` value of the block entry e by its value.
func (r *run) expandAlias(e *values.Node, unit int) (values.Edit, bool) {
	src := r.doc.Src
	off, ok := colonEnd(src, e)
	if !ok {
		return values.Edit{}, false
	}
	for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	if off >= len(src) || src[off] != '*' {
		return values.Edit{}, false
	}
	tokEnd := off
	for tokEnd < len(src) && src[tokEnd] != ' ' && src[tokEnd] != '\t' && src[tokEnd] != '\n' && src[tokEnd] != '\r' {
		tokEnd++
	}
	lineEnd := tokEnd
	for lineEnd < len(src) && src[lineEnd] != '\n' && src[lineEnd] != '\r' {
		lineEnd++
	}
	rest := strings.TrimSpace(string(src[tokEnd:lineEnd]))
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return values.Edit{}, false
	}
	if rest != "" {
		rest = " " + rest
	}
	switch {
	case e.Kind == values.MapKind && len(e.Entries) > 0, e.Kind == values.ListKind && len(e.Items) > 0:
		var b strings.Builder
		writeEntry(&b, "x", nodeValue(e), 0, unit)
		body := b.String()
		_, body, _ = strings.Cut(body, "\n")
		body = strings.TrimSuffix(reindent(body, e.KeyPos.Column-1), "\n")
		// the value goes below the key; a trailing comment stays on the key line
		start := off
		for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t') {
			start--
		}
		return values.Edit{Start: start, End: lineEnd, NewText: rest + "\n" + body}, true
	case e.Kind == values.MapKind:
		return values.Edit{Start: off, End: tokEnd, NewText: "{}"}, true
	case e.Kind == values.ListKind:
		return values.Edit{Start: off, End: tokEnd, NewText: "[]"}, true
	}
	return values.Edit{Start: off, End: tokEnd, NewText: scalarText(e.Value)}, true
}
