package values

import "bytes"

// setExtents computes StartLine and EndLine of every block entry below n:
// an entry starts at the comment block directly above its key and ends at
// the last line before the next entry that is blank, or a comment indented
// no deeper than the key (those belong to what follows).
func (d *Document) setExtents(n *Node) {
	var children []*Node
	for _, e := range n.Entries {
		if !e.Merged && !e.Alias && e.KeyPos.Line > 0 {
			children = append(children, e)
		}
	}
	for _, it := range n.Items {
		if !it.Alias && it.Pos.Line > 0 {
			children = append(children, it)
		}
	}
	for _, c := range children {
		c.StartLine = d.headStart(c.anchorLine(), c.anchorCol())
	}
	for i, c := range children {
		limit := n.EndLine
		if i+1 < len(children) {
			limit = children[i+1].StartLine - 1
		}
		c.EndLine = d.endLine(c, limit)
		if c.Kind == MapKind || c.Kind == ListKind {
			d.setExtents(c)
		}
	}
}

// endLine is the last line of the entry c when the lines up to limit
// are not another entry's: the blank lines and the comments indented less
// than its key at the end belong to what follows.
func (d *Document) endLine(c *Node, limit int) int {
	end := limit
	for end > c.anchorLine() {
		t := d.lineBytes(end)
		trim := bytes.TrimLeft(t, " \t")
		if len(trim) == 0 || (trim[0] == '#' && len(t)-len(trim) < c.anchorCol()) {
			end--
			continue
		}
		break
	}
	return max(end, c.anchorLine())
}

// anchorLine is the line of the entry's key, or of the item's "- ".
func (n *Node) anchorLine() int {
	if n.KeyPos.Line > 0 {
		return n.KeyPos.Line
	}
	return n.Pos.Line
}

// anchorCol is the 0-based column of the key or of the list dash.
func (n *Node) anchorCol() int {
	if n.KeyPos.Line > 0 {
		return n.KeyPos.Column - 1
	}
	// a list item's value starts after "- "
	col := n.Pos.Column - 3
	if col < 0 {
		col = 0
	}
	return col
}

// headStart walks up from line over the comment lines directly above it
// (no blank line between) indented at col or deeper... or at any column when
// they are flush with it.
func (d *Document) headStart(line, col int) int {
	start := line
	for l := line - 1; l >= 1; l-- {
		t := d.lineBytes(l)
		trim := bytes.TrimLeft(t, " \t")
		if len(trim) == 0 || trim[0] != '#' || len(t)-len(trim) != col {
			break
		}
		start = l
	}
	return start
}
