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
	count := map[SetKind]int{}
	for _, s := range sets {
		name := SetName(s.Kind, count[s.Kind])
		count[s.Kind]++
		names = append(names, name)
		var err error
		root, err = applySet(root, s, name, ls.ReadFile)
		if err != nil {
			return nil, err
		}
	}
	d := &Document{Name: strings.Join(names, LayerSep), Root: root, Layers: ls.Files}
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

// applySet applies one --set flag with Helm's parser to the values of root
// and returns the new tree: nodes whose value the flag did not change are
// kept, with their positions; what it set is positioned at the flag.
func applySet(root *Node, s Set, name string, readFile func(string) ([]byte, error)) (*Node, error) {
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
	// What the flag alone sets: its leaves are attributed to the flag even
	// when they equal the value an earlier layer had.
	touched := map[string]any{}
	if err := parse(touched); err != nil {
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("invalid %s: %v", s.Kind.Flag(), err), Err: err}
	}
	if err := parse(cur); err != nil {
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("invalid %s: %v", s.Kind.Flag(), err), Err: err}
	}
	r := &reconciler{pos: Pos{File: name}}
	out := r.node(root, cur, touched, true, nil)
	out.Key, out.Index = "", -1
	return out, nil
}

// reconciler rebuilds a tree for the values after a --set flag.
type reconciler struct {
	pos Pos
}

// node returns the node for value v at the place where old was (nil when
// new). touched is what the flag alone set at this place (has reports
// whether it set anything).
func (r *reconciler) node(old *Node, v any, touched any, has bool, parent *Node) *Node {
	// Keep old only where the flag set nothing: a leaf it set comes from the
	// flag even when it equals the earlier value.
	if old != nil && !has && sameValue(old, v) {
		old.Parent = parent
		return old
	}
	switch x := v.(type) {
	case map[string]any:
		n := &Node{Kind: MapKind, Index: -1, Pos: r.pos, Tag: "!!map"}
		if old != nil && old.Kind == MapKind {
			*n = *old
			n.Entries = nil
		}
		n.Parent = parent
		tm, _ := touched.(map[string]any)
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
				tv, th := tm[e.Key]
				c := r.node(e, ev, tv, th, n)
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
			// Duplicates shadowed by an entry the flag left alone stay, for
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
			tv, th := tm[k]
			c := r.node(nil, x[k], tv, th, n)
			c.Key, c.KeyPos, c.Index = k, r.pos, -1
			n.Entries = append(n.Entries, c)
		}
		return n
	case []any:
		n := &Node{Kind: ListKind, Index: -1, Pos: r.pos, Tag: "!!seq"}
		if old != nil && old.Kind == ListKind {
			*n = *old
			n.Items = nil
		}
		n.Parent = parent
		tl, _ := touched.([]any)
		for i, it := range x {
			var oi *Node
			if old != nil && old.Kind == ListKind && i < len(old.Items) {
				oi = old.Items[i]
			}
			var tv any
			th := false
			if i < len(tl) && tl[i] != nil {
				tv, th = tl[i], true
			}
			c := r.node(oi, it, tv, th, n)
			c.Index = i
			if c != oi {
				c.Key, c.KeyPos = "", Pos{}
			}
			n.Items = append(n.Items, c)
		}
		if n.Items == nil {
			n.Items = []*Node{}
		}
		return n
	}
	return r.scalar(v, parent)
}

// scalar makes the node of a value set by the flag.
func (r *reconciler) scalar(v any, parent *Node) *Node {
	n := &Node{Index: -1, Pos: r.pos, Parent: parent}
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
