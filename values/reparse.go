package values

import (
	"bytes"
	"io"

	"go.yaml.in/yaml/v3"
)

// Edit returns the document d's text becomes with edits, as Load(d.Name,
// text, lim) returns it, parsing again only what the edits touch when
// that gives the same tree. The edits are grouped by the top-level
// entries whose lines they change (with the comments and blank lines up
// to the next entry): the edits of the same entries make one cut. Where a
// cut is one entry whose value is a block map, and its edits stay within
// that map's entries and leave their text at their column, the cut
// narrows to those of the map's entries the edits change, and so on down:
// an edit costs the lines it touches. Each cut is parsed on its own; the
// rest of the tree is d's, moved to its new lines. That is when the root
// is a block map without `<<` or duplicate keys, and the text holds no
// anchor, alias, directive or document marker (nor anything that looks
// like one); otherwise the whole text is parsed. A migration edits a file
// many times, one part at a time.
//
// The result reuses d's tree: d must not be used afterwards (its Root is
// nil once the tree has moved). The comments the YAML parser attaches to
// an entry (HeadComment, LineComment, FootComment) may differ from a full
// parse's for the re-parsed entries (a cut of simple lines is read
// without the parser, and without them); positions, values, keys and
// extents (StartLine, EndLine) never do.
func (d *Document) Edit(edits []Edit, lim Limits) (*Document, error) {
	src, err := ApplyEdits(d.Src, edits)
	if err != nil {
		return nil, err
	}
	nd, moved := d.reparse(src, edits, lim)
	if moved {
		d.Root = nil
	}
	if nd != nil {
		return nd, nil
	}
	return Load(d.Name, src, lim)
}

// reparse is the incremental path of Edit: the new document, or nil when
// only a full parse gives the right tree; moved reports whether d's tree
// has changed (it then belongs to no document).
func (d *Document) reparse(src []byte, edits []Edit, lim Limits) (nd *Document, moved bool) {
	nodes, ok := d.reparsable()
	if !ok || len(edits) == 0 {
		return nil, false
	}
	es := d.newEdits(edits)
	cs := d.clusters(src, es)
	nd = &Document{Name: d.Name, Src: src}
	if !nd.indexEdited(d, es, cs) {
		return nil, false
	}
	root := d.Root
	end := root.EndLine
	root.EndLine = nd.Lines()
	dl, roots := 0, 0 // the lines and the top-level entries the clusters above add
	for i := range cs {
		c := &cs[i]
		done := false
		for j := len(c.levels) - 1; j >= 0 && !done; j-- {
			n := len(root.Entries)
			var k int
			k, done = nd.patch(d, es, c, c.levels[j], dl, roots, lim)
			nodes += k
			roots += len(root.Entries) - n
		}
		if !done {
			if i == 0 {
				root.EndLine = end // nothing else changed: d stays whole
			}
			return nil, i > 0
		}
		dl += c.dl
	}
	if nodes > lim.MaxNodes {
		return nil, true // the full parse says where
	}
	root.StartLine = 1
	nd.Root, nd.partial, nd.nodes = root, true, nodes
	return nd, true
}

// reparsable reports whether Edit can parse parts of d again: its root is
// a block map of entries at column 1 with a line each, and neither its
// text nor its tree holds what a partial parse could get wrong
// (directives, document markers, lone CRs, anchors, aliases, merge keys);
// nodes is the number of nodes of its tree.
func (d *Document) reparsable() (nodes int, ok bool) {
	root := d.Root
	if root == nil || root.Kind != MapKind || d.Layers != nil || len(d.Sets) > 0 || len(root.Entries) == 0 || root.Pos != root.Entries[0].KeyPos {
		return 0, false
	}
	if d.partial {
		return d.nodes, true // checked by the Edit that made d
	}
	if markers(d.Src) || anchors(d.Src) {
		return 0, false
	}
	nodes = 1
	for _, e := range root.Entries {
		if e.StartLine == 0 || e.KeyPos.Column != 1 || !plainTree(e, &nodes) {
			return 0, false
		}
	}
	return nodes, true
}

// parseRegion parses text, the new lines of a cut from line line0+1 on,
// into the entries of a block map at column col (0-based) and depth depth
// in doc (whose Src and lines are the new ones), with the number of nodes
// they hold; ok is false when the text is not such a map of plain
// entries.
func parseRegion(doc *Document, text []byte, line0, col, depth int, lim Limits) ([]*Node, int, bool) {
	if within(text, len(text)+1) {
		return nil, 0, true // blank lines and comments: no entry
	}
	top, ok := quickParse(text)
	if !ok {
		if top, ok = parseYAML(text); !ok || top == nil {
			return nil, 0, ok
		}
	}
	if top.Kind != yaml.MappingNode || top.Style&yaml.FlowStyle != 0 || top.Anchor != "" || top.Style&yaml.TaggedStyle != 0 || top.Column != col+1 {
		return nil, 0, false
	}
	b := builder{doc: doc, lim: lim, line0: line0}
	tmp, err := b.build(top, nil, depth)
	if err != nil {
		return nil, 0, false
	}
	nodes := 0
	for _, e := range tmp.Entries {
		if e.Shadowed || e.KeyPos.Column != col+1 || !plainTree(e, &nodes) {
			return nil, 0, false
		}
	}
	return tmp.Entries, nodes, true
}

// parseYAML reads text with the YAML parser: the top node of its one
// document (nil for none), ok false when it is not one document.
func parseYAML(text []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var y yaml.Node
	if err := dec.Decode(&y); err != nil {
		return nil, err == io.EOF
	}
	var second yaml.Node
	if err := dec.Decode(&second); err != io.EOF {
		return nil, false
	}
	if len(y.Content) == 0 {
		return nil, true
	}
	return y.Content[0], true
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
