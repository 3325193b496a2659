package values

// Sub returns a document whose root is a copy of the map n of d (an
// umbrella chart's section holding another chart's values): the nodes keep
// their positions in d's source, and their paths start at n. d is unchanged.
func (d *Document) Sub(n *Node) *Document {
	root := cloneNode(n, nil)
	root.Key, root.RawKey, root.Index = "", "", -1
	root.KeyPos = Pos{}
	root.Shadowed, root.Shadow, root.Merged = false, nil, false
	return d.WithRoot(root)
}

// WithRoot returns a document of d's source, layers and --set flags whose
// root is root (nodes of d's source, so positions stay d's). d is unchanged.
func (d *Document) WithRoot(root *Node) *Document {
	return &Document{Name: d.Name, Src: d.Src, Root: root, Layers: d.Layers, Sets: d.Sets, lineStarts: d.lineStarts}
}

// cloneNode copies n and its descendants under parent; shadowing links are
// redirected to the copies.
func cloneNode(n, parent *Node) *Node {
	c := *n
	c.Parent = parent
	copies := map[*Node]*Node{}
	if n.Entries != nil {
		c.Entries = make([]*Node, len(n.Entries))
		for i, e := range n.Entries {
			c.Entries[i] = cloneNode(e, &c)
			copies[e] = c.Entries[i]
		}
		for _, e := range c.Entries {
			if e.Shadow != nil {
				e.Shadow = copies[e.Shadow]
			}
		}
	}
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = cloneNode(it, &c)
		}
	}
	return &c
}
