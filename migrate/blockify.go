package migrate

import (
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

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
			j := quotedEnd(src, i, true)
			if j < 0 {
				return 0, false, false
			}
			i = j - 1
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
