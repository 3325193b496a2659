package values

import (
	"bytes"
	"strings"
)

// ScalarSpan returns the byte range [start, end) of the scalar token of n in
// d.Src: after its anchor and tag, quotes included, up to the last content
// line of a block scalar, and without the comment or the `,`, `]` or `}`
// that follows a plain scalar. ok is false for containers, aliases, values
// inherited through a merge and nodes of another file.
func (d *Document) ScalarSpan(n *Node) (start, end int, ok bool) {
	src := d.Src
	if n == nil || n.Kind == MapKind || n.Kind == ListKind || n.Alias || n.Merged ||
		n.Pos.Line == 0 || n.Pos.File != d.Name || n.Pos.Offset >= len(src) {
		return 0, 0, false
	}
	off := skipProperties(src, n.Pos.Offset)
	if off >= len(src) {
		return 0, 0, false
	}
	switch src[off] {
	case '"':
		for i := off + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				return off, i + 1, true
			}
		}
		return 0, 0, false
	case '\'':
		for i := off + 1; i < len(src); i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return off, i + 1, true
			}
		}
		return 0, 0, false
	case '|', '>':
		return off, d.blockEnd(n, off), true
	}
	flow := n.Parent != nil && n.Parent.Pos.Offset < len(src) && strings.IndexByte("[{", src[skipProperties(src, n.Parent.Pos.Offset)]) >= 0
	end = off
	for end < len(src) {
		c := src[end]
		if c == '\n' || c == '\r' || flow && (c == ',' || c == ']' || c == '}') ||
			c == '#' && end > off && (src[end-1] == ' ' || src[end-1] == '\t') {
			break
		}
		end++
	}
	for end > off && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	// a plain scalar continued on the next lines: up to its last line
	if !flow && n.Kind == StringKind && strings.TrimSpace(string(src[off:end])) != strings.TrimSpace(n.Raw) {
		end = d.blockEnd(n, off)
	}
	return off, end, true
}

// skipProperties returns the offset after the anchor and tag tokens at off.
func skipProperties(src []byte, off int) int {
	for off < len(src) && (src[off] == '&' || src[off] == '!') {
		for off < len(src) && src[off] != ' ' && src[off] != '\t' && src[off] != '\n' && src[off] != '\r' {
			off++
		}
		for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
			off++
		}
	}
	return off
}

// blockEnd returns the end of the last line of a value spanning lines: the
// lines after its first one that are blank or indented deeper than its key
// (or list dash).
func (d *Document) blockEnd(n *Node, off int) int {
	indent := n.anchorCol()
	if n.KeyPos.Line == 0 && n.Parent != nil && n.Parent.Kind == ListKind {
		indent = n.Pos.Column - 3
	}
	line := d.PosAt(off).Line
	last := line
	for l := line + 1; l <= d.Lines(); l++ {
		t := d.lineBytes(l)
		trim := bytes.TrimLeft(t, " ")
		if len(trim) == 0 {
			continue
		}
		if len(t)-len(trim) <= indent {
			break
		}
		last = l
	}
	end := d.LineStart(last + 1)
	for end > off && (d.Src[end-1] == '\n' || d.Src[end-1] == '\r') {
		end--
	}
	return end
}

// Comment returns the comment on line (1-based), full-line or trailing,
// trimmed, as the parsed document has it: a `#` inside a scalar (a quoted
// string, a block scalar, a multi-line plain scalar) is text, not a comment.
func (d *Document) Comment(line int) (string, bool) {
	return d.comment(line, func(off int) (int, bool) {
		_, e, ok := d.tokenAt(d.Root, off)
		return e, ok
	})
}

// comment is Comment with token, which returns the end of the scalar
// token starting last at or before an offset.
func (d *Document) comment(line int, token func(off int) (end int, ok bool)) (string, bool) {
	if line < 1 || line > d.Lines() {
		return "", false
	}
	start, end := d.LineStart(line), d.LineStart(line+1)
	for i := start; i < end; i++ {
		c := d.Src[i]
		if c == '\n' || c == '\r' {
			break
		}
		if c != '#' || i > start && d.Src[i-1] != ' ' && d.Src[i-1] != '\t' {
			continue
		}
		// the scalar token starting last at or before i, if it covers i
		if e, ok := token(i); ok && i < e {
			i = e - 1
			continue
		}
		return strings.TrimSpace(strings.TrimRight(string(d.Src[i:end]), "\r\n")), true
	}
	return "", false
}

// tokenAt returns the span of the scalar token below n (aliases and
// merged entries aside) that starts last at or before off: it is below
// the last child that starts at or before off (the tokens of the children
// before it start and end before that child does), or there is none that
// can cover off.
func (d *Document) tokenAt(n *Node, off int) (start, end int, ok bool) {
	if n == nil {
		return 0, 0, false
	}
	if s, e, ok := d.ScalarSpan(n); ok && e > s && s <= off {
		return s, e, true
	}
	for _, kids := range [][]*Node{n.Entries, n.Items} {
		for i := len(kids) - 1; i >= 0; i-- {
			if c := kids[i]; !c.Alias && !c.Merged && c.Pos.Offset <= off && c.Pos.File == d.Name {
				return d.tokenAt(c, off)
			}
		}
	}
	return 0, 0, false
}
