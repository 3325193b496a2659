package values

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// indexEdited computes nd's line starts from d's and the new text of the
// clusters' cuts (the deepest: any holds all the edits), and each
// cluster's dl; it reports false when a cut does not end with its line
// break.
func (nd *Document) indexEdited(d *Document, es edits, cs []cluster) bool {
	src := nd.Src
	ls := make([]int, 0, len(d.lineStarts)+8)
	prev := 1 // the next old line to copy
	for i := range cs {
		c := &cs[i]
		cut := c.levels[len(c.levels)-1]
		for l := prev; l < cut.sl && l <= len(d.lineStarts); l++ {
			ls = append(ls, d.lineStarts[l-1]+es.shift[c.e0])
		}
		start, end := d.LineStart(cut.sl)+es.shift[c.e0], d.LineStart(cut.el)+es.shift[c.e1]
		if start > 0 && src[start-1] != '\n' {
			return false // a line break the edits do not end with LF
		}
		if end < start || end > len(src) || end < len(src) && end > start && src[end-1] != '\n' {
			return false // the cut must end with its line break, before the next entry
		}
		n := len(ls)
		if start < end {
			ls = append(ls, start)
		}
		for j := start; j < end; j++ {
			k := lineBreak(src[j:])
			if k == 0 {
				continue
			}
			j += k - 1
			if j+1 < end {
				ls = append(ls, j+1)
			}
		}
		c.dl = len(ls) - n - (min(cut.el, len(d.lineStarts)+1) - min(cut.sl, len(d.lineStarts)+1))
		c.db = es.shift[c.e1] - es.shift[c.e0]
		prev = cut.el
	}
	for l := prev; l <= len(d.lineStarts); l++ {
		ls = append(ls, d.lineStarts[l-1]+es.shift[len(es.ed)])
	}
	nd.lineStarts = ls
	return len(ls) > 0
}

// patch parses the new text of the cut c of the cluster cl and puts its
// entries in place of c's old ones. Lines and bytes before c are nd's
// already; c and what follows it are d's, dl lines down (the clusters
// above c add them). It reports the nodes it added (less those it
// removed), and ok false, having changed nothing, when only a parse from
// further up gives the right tree. c.lo and c.hi are indices in d's tree:
// the root's entries have moved by roots (the entries the cuts above
// added there).
func (nd *Document) patch(d *Document, es edits, cl *cluster, c cut, dl, roots int, lim Limits) (int, bool) {
	start, end := d.LineStart(c.sl)+es.shift[cl.e0], d.LineStart(c.el)+es.shift[cl.e1]
	if start < 0 || end < start || end > len(nd.Src) {
		return 0, false
	}
	text := nd.Src[start:end]
	if markers(text) || anchors(text) || !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		return 0, false
	}
	p, sl := c.p, c.sl+dl
	depth := 0
	for a := p; a.Parent != nil; a = a.Parent {
		depth++
	}
	fresh, added, ok := parseRegion(nd, text, sl-1, c.col, depth, lim)
	if !ok {
		return 0, false
	}
	ents, lo, hi := p.Entries, c.lo, c.hi
	if p.Parent == nil {
		lo, hi = lo+roots, hi+roots
	}
	if lo == 0 && hi == len(ents) && len(fresh) == 0 {
		return 0, false // p would hold nothing: null, or an empty file
	}
	keys := make(map[string]bool, len(fresh))
	for _, e := range fresh {
		keys[e.Key] = true
	}
	for i, e := range ents {
		if e.Shadowed || (i < lo || i >= hi) && keys[e.Key] {
			return 0, false // a duplicate key: which one wins is the full parse's
		}
	}
	removed := 0
	for _, e := range ents[lo:hi] {
		plainTree(e, &removed)
	}
	// the node the cut ends at, now below the new text
	var next *Node
	if hi < len(ents) {
		next = ents[hi]
	} else {
		next = nextAfter(p)
	}
	for _, e := range ents[hi:] {
		shift(e, cl.dl, cl.db)
	}
	for a := p; a.Parent != nil; a = a.Parent {
		for _, s := range after(a) {
			shift(s, cl.dl, cl.db)
		}
	}
	p.Entries = slices.Replace(ents, lo, hi, fresh...)
	for _, e := range fresh {
		e.Parent = p
	}
	p.Pos = p.Entries[0].KeyPos
	if next != nil {
		next.StartLine = nd.headStart(next.anchorLine(), next.anchorCol())
		nd.lineHeads(next, next.anchorLine())
	}
	nd.chainExtents(p)
	nd.setRegionExtents(p, lo, lo+len(fresh))
	return added - removed, true
}

// after returns the siblings that follow n in its parent.
func after(n *Node) []*Node {
	p := n.Parent
	if n.Index >= 0 {
		return p.Items[n.Index+1:]
	}
	for i, e := range p.Entries {
		if e == n {
			return p.Entries[i+1:]
		}
	}
	return nil
}

// nextAfter returns the first node after n (and all below it) in the
// text, of n's siblings or its ancestors', or nil at the end.
func nextAfter(n *Node) *Node {
	for a := n; a.Parent != nil; a = a.Parent {
		if s := after(a); len(s) > 0 {
			return s[0]
		}
	}
	return nil
}

// chainExtents computes the end of n and of the nodes above it (not the
// root), from the top: their ends move when the edits change their last
// lines.
func (d *Document) chainExtents(n *Node) {
	var chain []*Node
	for a := n; a.Parent != nil; a = a.Parent {
		chain = append(chain, a)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		a := chain[i]
		limit := a.Parent.EndLine
		if s := after(a); len(s) > 0 {
			limit = s[0].StartLine - 1
		}
		a.EndLine = d.endLine(a, limit)
	}
}

// setRegionExtents computes the extents of the re-parsed entries
// p.Entries[lo:hi], and where a region can move them, of the entry above
// (its end): as setExtents(p) would, without walking the entries the
// region leaves as they were.
func (d *Document) setRegionExtents(p *Node, lo, hi int) {
	ents := p.Entries
	for i := max(lo-1, 0); i < hi; i++ {
		ents[i].StartLine = d.headStart(ents[i].anchorLine(), ents[i].anchorCol())
	}
	for i := max(lo-1, 0); i < hi; i++ {
		c := ents[i]
		limit := p.EndLine
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
