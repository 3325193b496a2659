package values

import (
	"fmt"
	"sort"
	"strconv"

	"helm.sh/helm/v3/pkg/strvals"
)

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
