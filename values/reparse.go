package values

import (
	"bytes"
	"io"
	"sort"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Edit returns the document d's text becomes with edits, as Load(d.Name,
// text, lim) returns it, parsing again only what the edits touch when
// that gives the same tree: the top-level entries whose lines an edit
// changes (with the comments and blank lines up to the next entry); the
// rest of the tree is d's, moved to its new lines. That is when the root
// is a block map without `<<` or duplicate keys, and the text holds no
// anchor, alias, directive or document marker (nor anything that looks
// like one); otherwise the whole text is parsed. A migration edits a file
// many times, one part at a time: each edit then costs the part it
// touches, not the whole file.
//
// The result reuses d's tree: d must not be used afterwards (its Root is
// nil once the tree has moved). The comments the YAML parser attaches to
// an entry (HeadComment, LineComment, FootComment) may differ from a full
// parse's for the re-parsed entries next to the kept ones; positions,
// values, keys and extents (StartLine, EndLine) never do.
func (d *Document) Edit(edits []Edit, lim Limits) (*Document, error) {
	src, err := ApplyEdits(d.Src, edits)
	if err != nil {
		return nil, err
	}
	if nd := d.reparse(src, edits, lim); nd != nil {
		d.Root = nil
		return nd, nil
	}
	return Load(d.Name, src, lim)
}

// reparse is the incremental path of Edit: the new document, or nil when
// only a full parse gives the right tree.
func (d *Document) reparse(src []byte, edits []Edit, lim Limits) *Document {
	root := d.Root
	if root == nil || root.Kind != MapKind || d.Layers != nil || len(d.Sets) > 0 || len(edits) == 0 || len(root.Entries) == 0 {
		return nil
	}
	ents := root.Entries
	if root.Pos != ents[0].KeyPos || markers(d.Src) || anchors(src) {
		// properties on the root, a flow root, directives, or an anchor
		// whose aliases the tree does not show (an empty map merged)
		return nil
	}
	for _, e := range ents {
		if e.Merged || e.Alias || e.Shadowed || e.StartLine == 0 || e.KeyPos.Column != 1 {
			return nil
		}
	}
	// the region parsed again is the lines [sl, el): from the start of an
	// entry (or line 1) to the start of an entry (or the end: what follows
	// the region starts at column 0), around every line an edit changes;
	// an insertion at the start of an entry is a region of its own
	lines := d.Lines()
	before := func(line int) int { // the number of entries starting before line
		return sort.Search(len(ents), func(i int) bool { return ents[i].StartLine >= line })
	}
	down := func(line int) int { // the last boundary at or before line
		if line > lines {
			return lines + 1
		}
		if i := before(line + 1); i > 0 {
			return ents[i-1].StartLine
		}
		return 1
	}
	up := func(line int) int { // the first entry start at or after line
		if i := before(line); i < len(ents) {
			return ents[i].StartLine
		}
		return lines + 1
	}
	sl, el, delta := lines+1, 1, 0
	for _, e := range edits {
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
		sl, el = min(sl, down(first)), max(el, up(last+1))
		delta += len(e.NewText) - (e.End - e.Start)
	}
	newEnd := d.LineStart(el) + delta
	// the region must start as an entry (or its head comments) does: at
	// column 0, not blank, with no indented line before its first key
	// (that line would belong to the entry above): else take the entry
	// above too
	for sl > 1 && !entryStart(src[d.LineStart(sl):newEnd]) {
		sl = down(sl - 1)
	}
	startOff := d.LineStart(sl)
	if startOff > 0 && src[startOff-1] != '\n' {
		return nil // a line break the edits do not end with LF
	}
	if newEnd < startOff || newEnd > len(src) || newEnd < len(src) && newEnd > startOff && src[newEnd-1] != '\n' {
		return nil // the region must end with its line break, before the next entry
	}
	region := src[startOff:newEnd]
	if markers(region) || !utf8.Valid(region) || bytes.IndexByte(region, 0) >= 0 {
		return nil
	}
	nd := &Document{Name: d.Name, Src: src}
	nd.lineStarts = append(make([]int, 0, len(d.lineStarts)+bytes.Count(region, []byte{'\n'})), d.lineStarts[:sl-1]...)
	if len(region) > 0 {
		nd.lineStarts = append(nd.lineStarts, startOff)
	}
	for i := startOff; i < newEnd; i++ {
		n := lineBreak(src[i:])
		if n == 0 {
			continue
		}
		i += n - 1
		if i+1 < newEnd {
			nd.lineStarts = append(nd.lineStarts, i+1)
		}
	}
	if el-1 < len(d.lineStarts) {
		for _, s := range d.lineStarts[el-1:] {
			nd.lineStarts = append(nd.lineStarts, s+delta)
		}
	}
	if len(nd.lineStarts) == 0 {
		return nil
	}
	// parse the region at its own lines: the lines above it are blank
	padded := make([]byte, 0, sl-1+len(region))
	padded = append(append(padded, bytes.Repeat([]byte{'\n'}, sl-1)...), region...)
	fresh, nodes, ok := parseRegion(nd, padded, lim)
	if !ok {
		return nil
	}
	above, below := ents[:before(sl)], ents[before(el):]
	keys := make(map[string]bool, len(ents))
	for _, part := range [][]*Node{above, below} {
		for _, e := range part {
			keys[e.Key] = true
			if !plainTree(e, &nodes) {
				return nil
			}
		}
	}
	for _, e := range fresh {
		if keys[e.Key] || e.KeyPos.Column != 1 {
			return nil // a duplicate key, or an entry not at the root's column
		}
		keys[e.Key] = true
	}
	if nodes+1 > lim.MaxNodes {
		return nil // the full parse says where
	}
	all := make([]*Node, 0, len(above)+len(fresh)+len(below))
	all = append(append(append(all, above...), fresh...), below...)
	if len(all) == 0 {
		return nil
	}
	dl := len(nd.lineStarts) - len(d.lineStarts)
	for _, e := range below {
		shift(e, dl, delta)
	}
	nr := *root
	nr.Entries = all
	for _, e := range all {
		e.Parent = &nr
	}
	nr.Pos = all[0].KeyPos
	nr.StartLine, nr.EndLine = 1, len(nd.lineStarts)
	nd.Root = &nr
	nd.setRegionExtents(&nr, len(above), len(above)+len(fresh))
	return nd
}

// setRegionExtents computes the extents of the re-parsed entries
// root.Entries[lo:hi], and where a region can move them, of the entry
// above (its end) and of the entry below (its head comments): as
// setExtents(root) would, without walking the entries the region leaves
// as they were.
func (d *Document) setRegionExtents(root *Node, lo, hi int) {
	ents := root.Entries
	from, to := max(lo-1, 0), min(hi, len(ents)-1)
	for i := from; i <= to; i++ {
		ents[i].StartLine = d.headStart(ents[i].anchorLine(), ents[i].anchorCol())
	}
	if hi < len(ents) {
		// the entry below: what sits on its key line (a flow collection)
		// has head comments the lines above may have changed
		d.lineHeads(ents[hi], ents[hi].anchorLine())
	}
	for i := from; i < hi; i++ {
		c := ents[i]
		limit := root.EndLine
		if i+1 < len(ents) {
			limit = ents[i+1].StartLine - 1
		}
		end := d.endLine(c, limit)
		if end == c.EndLine && i < lo {
			continue // the entry above ends where it did: so do its entries
		}
		c.EndLine = end
		if c.Kind == MapKind || c.Kind == ListKind {
			d.setExtents(c)
		}
	}
}

// lineHeads recomputes the start of the nodes below n that sit on line
// (their head comments are the lines above it).
func (d *Document) lineHeads(n *Node, line int) {
	for _, kids := range [][]*Node{n.Entries, n.Items} {
		for _, c := range kids {
			if c.anchorLine() != line {
				break // the rest are on later lines
			}
			c.StartLine = d.headStart(line, c.anchorCol())
			d.lineHeads(c, line)
		}
	}
}

// entryStart reports whether text can start a top-level entry's lines
// where an entry started: a first line that is not blank and not
// indented, and no indented line before the first key.
func entryStart(text []byte) bool {
	if len(text) == 0 {
		return true
	}
	if c := text[0]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
		return false
	}
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i+1], text[i+1:]
		} else {
			text = nil
		}
		t := bytes.TrimRight(line, "\r\n")
		switch {
		case len(t) == 0, t[0] == '#':
			continue
		case t[0] == ' ' || t[0] == '\t':
			return false
		}
		return true
	}
	return true
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

// parseRegion parses text (blank lines, then the region) into the
// entries of a block map in doc (whose Src and lines are the new ones),
// with the number of nodes they hold; ok is false when the text is not
// such a map of plain entries.
func parseRegion(doc *Document, text []byte, lim Limits) ([]*Node, int, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var y yaml.Node
	if err := dec.Decode(&y); err != nil {
		return nil, 0, err == io.EOF
	}
	var second yaml.Node
	if err := dec.Decode(&second); err != io.EOF {
		return nil, 0, false
	}
	if len(y.Content) == 0 {
		return nil, 0, true
	}
	top := y.Content[0]
	if top.Kind != yaml.MappingNode || top.Style&yaml.FlowStyle != 0 || top.Anchor != "" || top.Style&yaml.TaggedStyle != 0 || top.Column != 1 {
		return nil, 0, false
	}
	b := builder{doc: doc, lim: lim}
	tmp, err := b.build(top, nil, 0)
	if err != nil {
		return nil, 0, false
	}
	nodes := 0
	for _, e := range tmp.Entries {
		if e.Shadowed || !plainTree(e, &nodes) {
			return nil, 0, false
		}
	}
	return tmp.Entries, nodes, true
}

// plainTree reports whether no node of n comes from an alias or a merge
// key, and adds the nodes of n to count.
func plainTree(n *Node, count *int) bool {
	*count++
	if n.Alias || n.Merged {
		return false
	}
	for _, e := range n.Entries {
		if !plainTree(e, count) {
			return false
		}
	}
	for _, it := range n.Items {
		if !plainTree(it, count) {
			return false
		}
	}
	return true
}

// shift moves the positions of n and below by dl lines and db bytes.
func shift(n *Node, dl, db int) {
	for _, p := range []*Pos{&n.Pos, &n.KeyPos, &n.MergePos} {
		if p.Line > 0 {
			p.Line += dl
			p.Offset += db
		}
	}
	if n.StartLine > 0 {
		n.StartLine += dl
	}
	if n.EndLine > 0 {
		n.EndLine += dl
	}
	for _, e := range n.Entries {
		shift(e, dl, db)
	}
	for _, it := range n.Items {
		shift(it, dl, db)
	}
}
