package values

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/strvals"
)

// SetKind is one of Helm's --set flags. The constants are in the order Helm
// applies them (pkg/cli/values.Options.MergeValues): every -f file first, then
// all --set-json, all --set, all --set-string, all --set-file and all
// --set-literal flags, whatever their order on the command line.
type SetKind uint8

// The --set flags, in Helm's order.
const (
	SetJSON    SetKind = iota // --set-json key=JSON
	SetValue                  // --set key=value (typed: true, 12, null)
	SetString                 // --set-string key=value (always a string)
	SetFile                   // --set-file key=path (the file's content as a string)
	SetLiteral                // --set-literal key=value (the whole rest, verbatim)
)

// Flag returns the flag's name: "--set", "--set-string", ...
func (k SetKind) Flag() string {
	switch k {
	case SetJSON:
		return "--set-json"
	case SetValue:
		return "--set"
	case SetString:
		return "--set-string"
	case SetFile:
		return "--set-file"
	case SetLiteral:
		return "--set-literal"
	}
	return fmt.Sprintf("--set(%d)", int(k))
}

// Set is one --set style flag as given on the command line.
type Set struct {
	Kind SetKind
	// Expr is the flag's argument: `a.b=1,c[0]=x`.
	Expr string
}

// Layers is everything `helm install -f ... --set ...` merges into the
// values a chart sees.
type Layers struct {
	// Files are the -f/--values documents, in command-line order (later wins).
	Files []*Document
	// Sets are the --set* flags in command-line order; Merge applies them in
	// Helm's order (by kind, then in the order given).
	Sets []Set
	// ReadFile reads the file a --set-file flag names. Required only when
	// Sets holds a SetFile.
	ReadFile func(path string) ([]byte, error)
	// Limits bound the merged document as they bound a file (the zero
	// Limits are DefaultLimits): --set indices and nesting are checked
	// before Helm's parser runs, the merged tree after.
	Limits Limits
}

// LayerSep separates the layer names in the Name of a merged document:
// "base.yaml + prod.yaml + --set[0]".
const LayerSep = " + "

// SetName is the pseudo file name that positions of values set by the i-th
// (0-based) flag of kind k carry: "--set[0]", "--set-string[1]". Such
// positions have no line: they print as the flag alone.
func SetName(k SetKind, i int) string { return k.Flag() + "[" + strconv.Itoa(i) + "]" }

// IsSetName reports whether a position's file is a --set flag rather than a
// file.
func IsSetName(file string) bool { return strings.HasPrefix(file, "--set") }

// Merge layers the documents and flags exactly as Helm merges user values:
// later files win key by key, maps merge recursively, lists and scalars
// replace, a null replaces what an earlier layer set (and Helm then deletes
// the chart default), and --set flags are applied with Helm's own parser
// (helm.sh/helm/v3/pkg/strvals) on top, in Helm's order.
//
// The merged document's Root is a fresh tree whose every node keeps the
// position of the layer that set it: a file, line and column, or the flag
// (SetName) for values set on the command line. Values overridden by a
// later layer are gone, as they are for Helm. The merged document has no
// source bytes of its own: Source returns each layer's bytes, so byte offsets
// (and fixes) stay meaningful for the file they belong to. The layers are not
// modified. One file and no flag returns that file's document itself.
func Merge(ls Layers) (*Document, error) {
	if len(ls.Files) == 1 && len(ls.Sets) == 0 {
		return ls.Files[0], nil
	}
	var root *Node
	var names []string
	for i, f := range ls.Files {
		if f == nil || f.Root == nil {
			return nil, fmt.Errorf("merge: layer %d has no values", i)
		}
		names = append(names, f.Name)
		if root == nil {
			root = clone(f.Root, nil)
			continue
		}
		root = mergeMap(root, f.Root, nil)
	}
	if root == nil {
		root = &Node{Kind: MapKind, Index: -1}
	}
	sets := make([]Set, len(ls.Sets))
	copy(sets, ls.Sets)
	sort.SliceStable(sets, func(i, j int) bool { return sets[i].Kind < sets[j].Kind })
	if len(sets) > 0 {
		count := map[SetKind]int{}
		flagNames := make([]string, len(sets))
		for i, s := range sets {
			flagNames[i] = SetName(s.Kind, count[s.Kind])
			count[s.Kind]++
		}
		names = append(names, flagNames...)
		budget := setBudget{lim: ls.Limits.orDefault()}
		for i, s := range sets {
			if err := budget.check(s, flagNames[i]); err != nil {
				return nil, err
			}
		}
		var err error
		if root, err = applySets(root, sets, flagNames, ls.ReadFile); err != nil {
			return nil, err
		}
	}
	name := strings.Join(names, LayerSep)
	if err := checkLimits(root, ls.Limits.orDefault(), name); err != nil {
		return nil, err
	}
	d := &Document{Name: name, Root: root, Layers: ls.Files, Sets: ls.Sets}
	d.indexLines()
	return d, nil
}

// Source returns the bytes of the file a position belongs to: the document's
// own bytes, or, for a merged document, the bytes of the layer called file.
// It returns nil for a --set flag or an unknown file.
func (d *Document) Source(file string) []byte {
	if len(d.Layers) == 0 {
		if file == d.Name {
			return d.Src
		}
		return nil
	}
	for i := len(d.Layers) - 1; i >= 0; i-- {
		if l := d.Layers[i]; l.Name == file {
			return l.Src
		}
	}
	return nil
}

// Start is the position of the document as a whole (line 1, column 1 of the
// file, or of the first -f layer of a merged document), for findings about
// the document rather than one value.
func (d *Document) Start() Pos {
	name := d.Name
	if len(d.Layers) > 0 {
		name = d.Layers[0].Name
	} else if d.Src == nil && IsSetName(name) {
		return Pos{File: name} // --set flags only: no file
	}
	return Pos{File: name, Line: 1, Column: 1}
}

// clone copies the tree below n (the nodes, not the scalars) under parent.
func clone(n *Node, parent *Node) *Node {
	c := new(Node)
	*c = *n
	c.Parent = parent
	if n.Entries != nil {
		c.Entries = make([]*Node, len(n.Entries))
		for i, e := range n.Entries {
			c.Entries[i] = clone(e, c)
		}
		remapShadows(n.Entries, c.Entries)
	}
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = clone(it, c)
		}
	}
	return c
}

// remapShadows points the Shadow of each copied entry at the copy of the
// entry that shadows it.
func remapShadows(orig, copies []*Node) {
	for i, e := range orig {
		if e.Shadow == nil {
			continue
		}
		for j, o := range orig {
			if o == e.Shadow {
				copies[i].Shadow = copies[j]
			}
		}
	}
}

// mergeMap merges the map over into base (a tree Merge owns) the way Helm's
// mergeMaps does: a key over sets replaces base's, except that two maps merge.
// The result takes over's position and comments: over is the last layer that
// set it.
func mergeMap(base, over, parent *Node) *Node {
	m := new(Node)
	*m = *over
	m.Parent = parent
	m.Entries = make([]*Node, 0, len(base.Entries)+len(over.Entries))
	overKeys := make(map[string]bool, len(over.Entries))
	for _, e := range over.Entries {
		overKeys[e.Key] = true
	}
	for _, e := range base.Entries {
		if !overKeys[e.Key] {
			e.Parent = m
			m.Entries = append(m.Entries, e)
		}
	}
	start := len(m.Entries)
	for _, e := range over.Entries {
		if !e.Shadowed && e.Kind == MapKind {
			if b := base.Get(e.Key); b != nil && b.Kind == MapKind {
				m.Entries = append(m.Entries, mergeMap(b, e, m))
				continue
			}
		}
		m.Entries = append(m.Entries, clone(e, m))
	}
	remapShadows(over.Entries, m.Entries[start:])
	return m
}

// applySets applies the --set flags, in order, with Helm's parser to the
// values of root and returns the new tree: nodes whose value the flags did
// not change are kept, with their positions; what a flag set is positioned at
// that flag (the last one, when several set the same value).
func applySets(root *Node, sets []Set, names []string, readFile func(string) ([]byte, error)) (*Node, error) {
	cur, _ := root.Interface().(map[string]any)
	if cur == nil {
		cur = map[string]any{}
	}
	cache := map[string]string{}
	reader := func(rs []rune) (any, error) {
		path := string(rs)
		if v, ok := cache[path]; ok {
			return v, nil
		}
		if readFile == nil {
			return nil, fmt.Errorf("%s: no file reader", path)
		}
		b, err := readFile(path)
		if err != nil {
			return nil, err
		}
		cache[path] = string(b)
		return string(b), nil
	}
	var touched *touch
	for i, s := range sets {
		parse := func(dest map[string]any) error {
			switch s.Kind {
			case SetJSON:
				return strvals.ParseJSON(s.Expr, dest)
			case SetValue:
				return strvals.ParseInto(s.Expr, dest)
			case SetString:
				return strvals.ParseIntoString(s.Expr, dest)
			case SetFile:
				return strvals.ParseIntoFile(s.Expr, dest, reader)
			case SetLiteral:
				return strvals.ParseLiteralInto(s.Expr, dest)
			}
			return fmt.Errorf("unknown flag kind %d", s.Kind)
		}
		if err := parse(cur); err != nil {
			return nil, &Error{Pos: Pos{File: names[i]}, Msg: fmt.Sprintf("invalid %s: %v", s.Kind.Flag(), err), Err: err}
		}
		// What the flag alone sets: its leaves are attributed to the flag
		// even when they equal the value an earlier layer had. Helm's
		// parser may refuse on an empty map what it accepted on the values
		// (`gateway.=` when gateway has keys): only the parse above decides.
		alone := map[string]any{}
		_ = parse(alone)
		touched = overlay(touched, touchTree(alone, Pos{File: names[i]}))
	}
	out := rebuild(root, cur, touched, nil, Pos{})
	out.Key, out.Index = "", -1
	return out, nil
}

// touch records where --set flags set values: a leaf where a flag set a
// value, a map or list where flags set values below.
type touch struct {
	pos   Pos // the last flag that set something here
	leaf  bool
	keys  map[string]*touch // for a map
	items []*touch          // for a list; nil where no flag set the item
	list  bool
}

// touchTree marks everything strvals parsed from one flag.
func touchTree(v any, pos Pos) *touch {
	switch x := v.(type) {
	case map[string]any:
		t := &touch{pos: pos, keys: make(map[string]*touch, len(x))}
		for k, e := range x {
			t.keys[k] = touchTree(e, pos)
		}
		return t
	case []any:
		t := &touch{pos: pos, list: true, items: make([]*touch, len(x))}
		for i, e := range x {
			if e != nil { // nil pads a list up to an index
				t.items[i] = touchTree(e, pos)
			}
		}
		return t
	}
	return &touch{pos: pos, leaf: true}
}

// overlay puts what a later flag set (new) over what earlier flags set.
func overlay(old, new *touch) *touch {
	if old == nil || new.leaf || old.leaf || old.list != new.list {
		return new
	}
	t := &touch{pos: new.pos, list: new.list}
	if new.list {
		t.items = make([]*touch, max(len(old.items), len(new.items)))
		copy(t.items, old.items)
		for i, it := range new.items {
			if it != nil {
				t.items[i] = overlay(t.items[i], it)
			}
		}
		return t
	}
	t.keys = make(map[string]*touch, len(old.keys)+len(new.keys))
	for k, v := range old.keys {
		t.keys[k] = v
	}
	for k, v := range new.keys {
		t.keys[k] = overlay(t.keys[k], v)
	}
	return t
}

// rebuild returns the node for value v at the place where old was (nil when
// new): old itself where no flag set anything and the value is the same,
// else a node positioned at the flag that set it (t), or at pos, the flag
// that made its container.
func rebuild(old *Node, v any, t *touch, parent *Node, pos Pos) *Node {
	// Keep old only where no flag set anything: a leaf a flag set comes from
	// the flag even when it equals the earlier value.
	if old != nil && t == nil && sameValue(old, v) {
		old.Parent = parent
		return old
	}
	if t != nil {
		pos = t.pos
	}
	switch x := v.(type) {
	case map[string]any:
		n := &Node{Kind: MapKind, Index: -1, Pos: pos, Tag: "!!map"}
		if old != nil && old.Kind == MapKind {
			*n = *old
			n.Entries = nil
		}
		n.Parent = parent
		var tk map[string]*touch
		if t != nil && !t.leaf && !t.list {
			tk = t.keys
		}
		done := make(map[string]bool, len(x))
		if old != nil && old.Kind == MapKind {
			kept := map[string]bool{}
			for _, e := range old.Entries {
				if e.Shadowed {
					continue
				}
				ev, ok := x[e.Key]
				if !ok {
					continue
				}
				c := rebuild(e, ev, tk[e.Key], n, pos)
				if c != e {
					c.Key, c.KeyPos = e.Key, e.KeyPos
					c.HeadComment, c.LineComment, c.FootComment = e.HeadComment, e.LineComment, e.FootComment
					c.StartLine, c.EndLine = e.StartLine, e.EndLine
				} else {
					kept[e.Key] = true
				}
				c.Index = -1
				n.Entries = append(n.Entries, c)
				done[e.Key] = true
			}
			// Duplicates shadowed by an entry the flags left alone stay, for
			// the duplicate-key check; the others went with their value.
			for _, e := range old.Entries {
				if e.Shadowed && kept[e.Key] {
					e.Parent = n
					n.Entries = append(n.Entries, e)
				}
			}
		}
		var fresh []string
		for k := range x {
			if !done[k] {
				fresh = append(fresh, k)
			}
		}
		sort.Strings(fresh)
		for _, k := range fresh {
			c := rebuild(nil, x[k], tk[k], n, pos)
			c.Key, c.KeyPos, c.Index = k, c.Pos, -1
			n.Entries = append(n.Entries, c)
		}
		return n
	case []any:
		n := &Node{Kind: ListKind, Index: -1, Pos: pos, Tag: "!!seq"}
		if old != nil && old.Kind == ListKind {
			*n = *old
			n.Items = nil
		}
		n.Parent = parent
		var ti []*touch
		if t != nil && t.list {
			ti = t.items
		}
		n.Items = make([]*Node, 0, len(x))
		for i, it := range x {
			var oi *Node
			if old != nil && old.Kind == ListKind && i < len(old.Items) {
				oi = old.Items[i]
			}
			var tt *touch
			if i < len(ti) {
				tt = ti[i]
			}
			c := rebuild(oi, it, tt, n, pos)
			c.Index = i
			if c != oi {
				c.Key, c.KeyPos = "", Pos{}
			}
			n.Items = append(n.Items, c)
		}
		return n
	}
	return scalarNode(v, pos, parent)
}

// scalarNode makes the node of a value set by a flag.
func scalarNode(v any, pos Pos, parent *Node) *Node {
	n := &Node{Index: -1, Pos: pos, Parent: parent}
	switch x := v.(type) {
	case nil:
		n.Kind, n.Raw, n.Tag = NullKind, "null", "!!null"
	case bool:
		n.Kind, n.Value, n.Raw, n.Tag = BoolKind, x, strconv.FormatBool(x), "!!bool"
	case string:
		n.Kind, n.Value, n.Raw, n.Tag = StringKind, x, x, "!!str"
	default:
		f, ok := toFloat(v)
		if !ok {
			n.Kind, n.Value, n.Raw, n.Tag = StringKind, fmt.Sprint(v), fmt.Sprint(v), "!!str"
			break
		}
		n.Kind, n.Value, n.Raw, n.Tag = NumberKind, f, fmt.Sprint(v), "!!float"
		if _, isInt := v.(int64); isInt {
			n.Tag = "!!int"
		}
	}
	return n
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	}
	return 0, false
}

// sameValue reports whether the tree n holds the Go value v (numbers compared
// as numbers, whatever their Go type).
func sameValue(n *Node, v any) bool {
	switch n.Kind {
	case MapKind:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		live := n.Live()
		if len(live) != len(m) {
			return false
		}
		for _, e := range live {
			ev, ok := m[e.Key]
			if !ok || !sameValue(e, ev) {
				return false
			}
		}
		return true
	case ListKind:
		l, ok := v.([]any)
		if !ok || len(l) != len(n.Items) {
			return false
		}
		for i, it := range n.Items {
			if !sameValue(it, l[i]) {
				return false
			}
		}
		return true
	}
	if isContainer(v) {
		return false
	}
	if f, ok := toFloat(v); ok {
		v = f
	}
	return SameScalar(n.Value, v)
}
