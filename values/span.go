package values

import (
	"sort"
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
		t := d.LineText(l)
		trim := strings.TrimLeft(t, " ")
		if trim == "" {
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
	if line < 1 || line > d.Lines() {
		return "", false
	}
	d.spansOnce.Do(d.indexSpans)
	start, end := d.LineStart(line), d.LineStart(line+1)
	for i := start; i < end; i++ {
		c := d.Src[i]
		if c == '\n' || c == '\r' {
			break
		}
		if c != '#' || i > start && d.Src[i-1] != ' ' && d.Src[i-1] != '\t' {
			continue
		}
		// the span starting at or before i, if it covers i
		k := sort.Search(len(d.spans), func(k int) bool { return d.spans[k][0] > i }) - 1
		if k >= 0 && i < d.spans[k][1] {
			i = d.spans[k][1] - 1
			continue
		}
		return strings.TrimSpace(strings.TrimRight(string(d.Src[i:end]), "\r\n")), true
	}
	return "", false
}

// indexSpans records the span of every scalar token of the document.
func (d *Document) indexSpans() {
	if d.Root == nil {
		return
	}
	var walk func(n *Node)
	walk = func(n *Node) {
		if s, e, ok := d.ScalarSpan(n); ok && e > s {
			d.spans = append(d.spans, [2]int{s, e})
		}
		for _, c := range n.Entries {
			if !c.Alias && !c.Merged {
				walk(c)
			}
		}
		for _, c := range n.Items {
			if !c.Alias {
				walk(c)
			}
		}
	}
	walk(d.Root)
	sort.Slice(d.spans, func(i, j int) bool { return d.spans[i][0] < d.spans[j][0] })
}
