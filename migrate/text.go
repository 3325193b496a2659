package migrate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// keyTokenEnd returns the offset just after the key token starting at off
// (plain, single- or double-quoted).
func keyTokenEnd(src []byte, off int) int {
	if off >= len(src) {
		return off
	}
	switch src[off] {
	case '"', '\'':
		if e := quotedEnd(src, off, false); e >= 0 {
			return e
		}
		return off
	}
	for i := off; i < len(src) && src[i] != '\n'; i++ {
		if src[i] == ':' && (i+1 == len(src) || src[i+1] == ' ' || src[i+1] == '\t' || src[i+1] == '\n' || src[i+1] == '\r') {
			// trim trailing spaces between key and colon
			j := i
			for j > off && (src[j-1] == ' ' || src[j-1] == '\t') {
				j--
			}
			return j
		}
	}
	return off
}

// quotedEnd returns the offset just after the quoted scalar starting at
// off (`"..."` with backslash escapes, `'...'` with a doubled quote), or -1
// when it does not close (on its line, unless lines).
func quotedEnd(src []byte, off int, lines bool) int {
	q := src[off]
	for i := off + 1; i < len(src) && (lines || src[i] != '\n'); i++ {
		if q == '"' && src[i] == '\\' {
			i++
			continue
		}
		if src[i] == q {
			if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return -1
}

// colonEnd returns the offset just after the colon that follows n's key.
func colonEnd(src []byte, n *values.Node) (int, bool) {
	i := keyTokenEnd(src, n.KeyPos.Offset)
	for ; i < len(src) && (src[i] == ' ' || src[i] == '\t'); i++ {
	}
	if i < len(src) && src[i] == ':' {
		return i + 1, true
	}
	return 0, false
}

// scalarEnd returns the end offset of the one-line scalar token of n, when
// it has one on its own line.
func scalarEnd(doc *values.Document, n *values.Node) (int, bool) {
	src := doc.Src
	off := n.Pos.Offset
	if n.Pos.Line == 0 || off >= len(src) || (n.KeyPos.Line > 0 && n.Pos.Line != n.KeyPos.Line) {
		return 0, false
	}
	lineEnd := doc.LineStart(n.Pos.Line + 1)
	for lineEnd > off && (src[lineEnd-1] == '\n' || src[lineEnd-1] == '\r') {
		lineEnd--
	}
	switch src[off] {
	case '"', '\'':
		e := keyTokenEnd(src, off)
		return e, e > off
	case '|', '>', '[', '&', '*', '!':
		return 0, false
	case '{':
		// only an empty flow map
		j := off + 1
		for j < lineEnd && src[j] == ' ' {
			j++
		}
		if j < lineEnd && src[j] == '}' {
			return j + 1, true
		}
		return 0, false
	}
	end := lineEnd
	if i := strings.Index(string(src[off:lineEnd]), " #"); i >= 0 {
		end = off + i
	}
	for end > off && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	// a plain scalar continued on the next lines cannot be replaced here
	if n.Kind != values.NullKind && strings.TrimSpace(string(src[off:end])) != strings.TrimSpace(n.Raw) && n.Kind != values.MapKind {
		return 0, false
	}
	return end, true
}

// commentOf returns the comment of a line (full-line or trailing), if any.
func commentOf(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "#") {
		return t, true
	}
	inS, inD := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inD:
			if c == '\\' {
				i++
			} else if c == '"' {
				inD = false
			}
		case inS:
			if c == '\'' {
				inS = false
			}
		case c == '"' && (i == 0 || line[i-1] == ' ' || line[i-1] == ':' || line[i-1] == '-' || line[i-1] == '[' || line[i-1] == '{' || line[i-1] == ','):
			inD = true
		case c == '\'' && (i == 0 || line[i-1] == ' ' || line[i-1] == ':' || line[i-1] == '-' || line[i-1] == '[' || line[i-1] == '{' || line[i-1] == ','):
			inS = true
		case c == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimSpace(line[i:]), true
		}
	}
	return "", false
}

// Comments returns the comments of src, one per commented line, trimmed.
func Comments(src []byte) []string {
	var out []string
	for _, l := range strings.Split(string(src), "\n") {
		if c, ok := commentOf(l); ok {
			out = append(out, c)
		}
	}
	return out
}

// commentsIn returns the comments of the lines [first, last] of doc, as
// the parsed document has them (a `#` line inside a block scalar is text).
func commentsIn(doc *values.Document, first, last int) []string {
	var out []string
	for l := first; l <= last; l++ {
		if c, ok := doc.Comment(l); ok {
			out = append(out, c)
		}
	}
	return out
}

// reindent shifts every non-blank line of text by delta columns.
func reindent(text string, delta int) string {
	if delta == 0 {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			b.WriteString(l)
			continue
		}
		if delta > 0 {
			b.WriteString(strings.Repeat(" ", delta))
			b.WriteString(l)
			continue
		}
		cut := 0
		for cut < -delta && cut < len(l) && l[cut] == ' ' {
			cut++
		}
		b.WriteString(l[cut:])
	}
	return b.String()
}

// indentUnit guesses the file's indentation step (2 when unknown).
func indentUnit(root *values.Node) int {
	unit := 0
	root.Walk(func(n *values.Node) bool {
		if unit > 0 || n.Parent == nil || n.Parent.Parent == nil || n.KeyPos.Line == 0 || n.Parent.KeyPos.Line == 0 {
			return unit == 0
		}
		if n.Merged || n.Alias || n.Parent.Alias || n.Parent.Merged {
			return false // its position is the anchor's, not under its parent
		}
		if d := n.KeyPos.Column - n.Parent.KeyPos.Column; d > 0 && n.KeyPos.Line != n.Parent.KeyPos.Line {
			unit = d
		}
		return unit == 0
	})
	if unit <= 0 || unit > 8 {
		unit = 2
	}
	return unit
}

// keyText renders a map key (values.PlainText).
func keyText(k string) string { return values.PlainText(k) }

// scalarText renders a scalar value (values.ScalarText).
func scalarText(v any) string { return values.ScalarText(v) }

// kv is one entry of an ordered map written by the migration.
type kv struct {
	k string
	v any
}

// omap is an ordered map written by the migration.
type omap []kv

// sortedMap is m as an ordered map, its keys sorted.
func sortedMap(m map[string]any) omap {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	om := make(omap, 0, len(keys))
	for _, k := range keys {
		om = append(om, kv{k, m[k]})
	}
	return om
}

// block renders key: value as block YAML at column 0 (ending in a newline),
// with nested levels indented by unit.
func block(key string, v any, unit int) string {
	var b strings.Builder
	writeEntry(&b, key, v, 0, unit)
	return b.String()
}

func writeEntry(b *strings.Builder, key string, v any, col, unit int) {
	pad := strings.Repeat(" ", col)
	switch x := v.(type) {
	case omap:
		if len(x) == 0 {
			fmt.Fprintf(b, "%s%s: {}\n", pad, keyText(key))
			return
		}
		fmt.Fprintf(b, "%s%s:\n", pad, keyText(key))
		for _, e := range x {
			writeEntry(b, e.k, e.v, col+unit, unit)
		}
	case map[string]any:
		writeEntry(b, key, sortedMap(x), col, unit)
	case []any:
		if len(x) == 0 {
			fmt.Fprintf(b, "%s%s: []\n", pad, keyText(key))
			return
		}
		fmt.Fprintf(b, "%s%s:\n", pad, keyText(key))
		for _, it := range x {
			writeItem(b, it, col+unit, unit)
		}
	default:
		fmt.Fprintf(b, "%s%s: %s\n", pad, keyText(key), scalarText(v))
	}
}

func writeItem(b *strings.Builder, v any, col, unit int) {
	pad := strings.Repeat(" ", col)
	switch x := v.(type) {
	case omap:
		if len(x) == 0 {
			fmt.Fprintf(b, "%s- {}\n", pad)
			return
		}
		var inner strings.Builder
		for _, e := range x {
			writeEntry(&inner, e.k, e.v, col+2, unit)
		}
		s := inner.String()
		b.WriteString(pad + "- " + s[col+2:])
	case map[string]any:
		writeItem(b, sortedMap(x), col, unit)
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = scalarText(it)
		}
		fmt.Fprintf(b, "%s- [%s]\n", pad, strings.Join(parts, ", "))
	default:
		fmt.Fprintf(b, "%s- %s\n", pad, scalarText(v))
	}
}
