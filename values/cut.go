package values

import (
	"bytes"
	"sort"
)

// A cut is a part of the old text that Edit parses again: the old lines
// [sl, el) that hold entries of the block map p (the root, or a map
// below it), from the first line of an entry (its head comments) to the
// first line of the entry after them, or to what follows p; col is the
// column (0-based) of p's keys, and p.Entries[lo:hi] the entries the
// lines hold.
type cut struct {
	p      *Node
	col    int
	sl, el int
	lo, hi int
}

// A cluster is a run of the sorted edits, ed[e0:e1], whose cuts at the
// root touch: they are parsed again together. levels are the cuts that
// hold them all, from the root's down to the deepest block map that does;
// the deepest is tried first. dl and db are the lines and bytes the
// edits add (negative when they remove).
type cluster struct {
	e0, e1 int
	levels []cut
	dl, db int
}

// edits are the sorted edits of one Edit with what the cuts need: the
// old lines each edit changes, and the bytes the edits before each one
// add.
type edits struct {
	ed []Edit
	// first and last are the first and last old lines an edit changes
	// (last is first-1 for an insertion at a line start: it changes no
	// line).
	first, last []int
	// shift[i] is the bytes ed[:i] add (len(ed)+1 values).
	shift []int
}

// newEdits sorts edits as ApplyEdits applies them and finds their lines
// in d.
func (d *Document) newEdits(in []Edit) edits {
	ed := make([]Edit, len(in))
	copy(ed, in)
	sort.SliceStable(ed, func(i, j int) bool { return ed[i].Start < ed[j].Start })
	es := edits{ed: ed, first: make([]int, len(ed)), last: make([]int, len(ed)), shift: make([]int, len(ed)+1)}
	lines := d.Lines()
	for i, e := range ed {
		first := d.PosAt(e.Start).Line
		if e.Start == len(d.Src) && d.Src[len(d.Src)-1] == '\n' {
			first = lines + 1
		}
		last := first // an edit inside a line changes it
		switch {
		case e.End > e.Start:
			last = d.PosAt(e.End - 1).Line
		case e.Start == d.LineStart(first):
			last = first - 1 // an insertion at a line start changes no line
		}
		es.first[i], es.last[i] = first, last
		es.shift[i+1] = es.shift[i] + len(e.NewText) - (e.End - e.Start)
	}
	return es
}

// text is the new text of the old lines [sl, el) when the edits es.ed[e0:e1]
// are the ones in them.
func (d *Document) text(src []byte, es edits, sl, el, e0, e1 int) []byte {
	start, end := d.LineStart(sl)+es.shift[e0], d.LineStart(el)+es.shift[e1]
	if start < 0 || start > end || end > len(src) {
		return nil
	}
	return src[start:end]
}

// clusters groups the sorted edits into the parts of the file parsed
// again: at the root, the top-level entries an edit changes; then, where
// that is one entry whose value is a block map and the edits stay within
// its entries, those entries, and so on down.
func (d *Document) clusters(src []byte, es edits) []cluster {
	root := d.Root
	lines := d.Lines()
	var cs []cluster
	for i := range es.ed {
		sl := lines + 1 // an insertion at the end of the file
		if es.first[i] <= lines {
			sl = down(root, es.first[i], 1)
		}
		cs = append(cs, cluster{e0: i, e1: i + 1, levels: []cut{{p: root, sl: sl, el: up(root, es.last[i]+1, lines+1)}}})
		for {
			top := &cs[len(cs)-1]
			low := 1
			if len(cs) > 1 {
				low = cs[len(cs)-2].levels[0].el // the cut above
			}
			c := &top.levels[0]
			ok := c.sl < low || d.widen(c, src, es, top.e0, top.e1, low)
			if len(cs) == 1 || c.sl > low {
				break
			}
			// the cuts overlap, or touch where a start is not an entry's:
			// one cut
			prev := &cs[len(cs)-2].levels[0]
			if c.sl == low && ok && c.sl < c.el && prev.sl < prev.el {
				break
			}
			prev.sl, prev.el = min(prev.sl, c.sl), max(prev.el, c.el)
			cs[len(cs)-2].e1 = top.e1
			cs = cs[:len(cs)-1]
		}
	}
	for i := range cs {
		c := &cs[i].levels[0]
		c.lo, c.hi = span(root, c.sl, c.el)
		d.narrow(&cs[i], src, es)
	}
	return cs
}

// span returns the entries of p that the lines [sl, el) hold.
func span(p *Node, sl, el int) (lo, hi int) {
	ents := p.Entries
	lo = sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= sl })
	hi = sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= el })
	return lo, hi
}

// widen moves the start of c up, an entry of c.p at a time but not above
// line low, until the new text starts as an entry (or its head comments)
// does at c.col, and the old head comments it starts with are comments
// (not the end of a quoted scalar above them). It reports whether it
// found such a start.
func (d *Document) widen(c *cut, src []byte, es edits, e0, e1, low int) bool {
	for {
		if entryStart(d.text(src, es, c.sl, c.el, e0, e1), c.col) && !d.quotedHead(c.p, c.sl) {
			return true
		}
		if c.sl <= low {
			return false
		}
		c.sl = down(c.p, c.sl-1, low)
	}
}

// narrow adds to c's levels the cuts below its root cut: while the
// deepest cut is exactly one entry whose value is a block map, with the
// edits within that map's entries, the cut of those entries, when its new
// text stays at or right of their column.
func (d *Document) narrow(c *cluster, src []byte, es edits) {
	first, last := es.first[c.e0], es.last[c.e0]
	for i := c.e0 + 1; i < c.e1; i++ {
		last = max(last, es.last[i])
	}
	end := d.Lines() + 1
	for cur := c.levels[0]; ; {
		ents := cur.p.Entries
		i := sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= cur.sl })
		if i == len(ents) || ents[i].StartLine != cur.sl {
			return
		}
		next := end
		if i+1 < len(ents) {
			next = ents[i+1].StartLine
		}
		m := ents[i]
		if next != cur.el || !blockMap(m) || first < m.Entries[0].StartLine {
			return
		}
		low := m.Entries[0].StartLine
		sub := cut{p: m, col: m.Entries[0].KeyPos.Column - 1, sl: down(m, first, low), el: up(m, last+1, cur.el)}
		if !d.widen(&sub, src, es, c.e0, c.e1, low) || !within(d.text(src, es, sub.sl, sub.el, c.e0, c.e1), sub.col) {
			return
		}
		sub.lo, sub.hi = span(m, sub.sl, sub.el)
		c.levels = append(c.levels, sub)
		cur, end = sub, cur.el
	}
}

// blockMap reports whether n is a map entry whose value is a block map
// starting on a line below its key (no tag or anchor before it).
func blockMap(n *Node) bool {
	return n.Kind == MapKind && len(n.Entries) > 0 && n.KeyPos.Line > 0 &&
		n.Pos == n.Entries[0].KeyPos && n.Pos.Line > n.KeyPos.Line
}

// down returns the first line of the last entry of p that starts at or
// before line, or low when none does.
func down(p *Node, line, low int) int {
	ents := p.Entries
	if i := sort.Search(len(ents), func(i int) bool { return ents[i].StartLine > line }); i > 0 {
		return max(ents[i-1].StartLine, low)
	}
	return low
}

// up returns the first line of the first entry of p that starts at or
// after line, or end when none does.
func up(p *Node, line, end int) int {
	ents := p.Entries
	if i := sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= line }); i < len(ents) {
		return ents[i].StartLine
	}
	return end
}

// quotedHead reports whether the entry of p that starts at old line sl
// has head comment lines that hold a quote: they may be the end of a
// quoted scalar of the entry above (`a: "x` then `# y"`), which only a
// parse from above them reads right.
func (d *Document) quotedHead(p *Node, sl int) bool {
	ents := p.Entries
	i := sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= sl })
	if i == len(ents) || ents[i].StartLine != sl {
		return false
	}
	head := d.Src[d.LineStart(sl):d.LineStart(ents[i].KeyPos.Line)]
	return bytes.ContainsAny(head, `"'`)
}

// entryStart reports whether text can start the lines of entries at
// column col where an entry started: a first line that is not blank nor
// indented past col, comments up to the first key indented no further,
// and that key at col.
func entryStart(text []byte, col int) bool {
	if len(text) == 0 {
		return true
	}
	for i := 0; len(text) > 0; i++ {
		var n int
		var t []byte
		n, t, text = nextLine(text)
		switch {
		case n > col || len(t) > 0 && t[0] == '\t':
			return false
		case len(t) == 0:
			if i == 0 {
				return false
			}
		case t[0] != '#':
			return n == col
		}
	}
	return true
}

// within reports whether every line of text that is not blank nor a
// comment is indented by col spaces or more: then the text cannot end the
// map whose entries are at col.
func within(text []byte, col int) bool {
	for len(text) > 0 {
		var n int
		var t []byte
		n, t, text = nextLine(text)
		if len(t) > 0 && t[0] != '#' && (n < col || t[0] == '\t') {
			return false
		}
	}
	return true
}

// nextLine splits the first line off text: the spaces it starts with,
// what follows them up to its line break, and the lines after it.
func nextLine(text []byte) (indent int, rest, after []byte) {
	line := text
	if j := bytes.IndexByte(text, '\n'); j >= 0 {
		line, after = text[:j+1], text[j+1:]
	}
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	return indent, bytes.TrimRight(line[indent:], "\r\n"), after
}

// markers reports whether text holds a line that starts with a directive
// (`%`) or a document marker (`---`, `...`): then only a full parse can
// say which document a line belongs to.
func markers(text []byte) bool {
	for off := 0; off < len(text); {
		line := text[off:]
		if len(line) > 0 && line[0] == '%' || bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
			return true
		}
		i := bytes.IndexByte(line, '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	// a lone CR, NEL, LS or PS also breaks lines for the parser
	return bytes.Contains(text, []byte("\u0085")) || bytes.Contains(text, []byte("\u2028")) || bytes.Contains(text, []byte("\u2029")) ||
		bytes.Count(text, []byte{'\r'}) != bytes.Count(text, []byte("\r\n"))
}

// anchors reports whether text may hold a YAML anchor or alias: an `&`
// or `*` that starts a token (it may be inside a string or a comment:
// then the whole text is parsed, which is right anyway).
func anchors(text []byte) bool {
	for off := 0; ; {
		i := bytes.IndexAny(text[off:], "&*")
		if i < 0 {
			return false
		}
		i += off
		if (i == 0 || bytes.IndexByte([]byte(" \t\r\n[{,:"), text[i-1]) >= 0) && i+1 < len(text) && bytes.IndexByte([]byte(" \t\r\n"), text[i+1]) < 0 {
			return true
		}
		off = i + 1
	}
}
