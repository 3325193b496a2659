// Package values loads Polyaxon values files the way Helm reads them, keeping
// the position of every key and value, and merges layers like Helm does.
package values

import (
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a values file (or a --set flag). Line and Column are
// 1-based; Column counts bytes. Offset is the 0-based byte offset. A zero
// Line means "no position".
type Pos struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Offset int    `json:"-"`
}

// String formats the position as file:line:col (or file when it has no line).
func (p Pos) String() string {
	file := p.File
	if file == "" {
		file = "<input>"
	}
	if p.Line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d:%d", file, p.Line, p.Column)
}

// IsValid reports whether the position points into a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Kind is the type of a value as Helm reads it.
type Kind uint8

// The kinds of values. Numbers are float64, as Helm reads them.
const (
	NullKind Kind = iota
	BoolKind
	NumberKind
	StringKind
	ListKind
	MapKind
)

// String names the kind for messages.
func (k Kind) String() string {
	return [...]string{"null", "bool", "number", "string", "list", "map"}[k]
}

// Node is one value of a values document with its position. Map entries keep
// their key, the key's position and their comments.
type Node struct {
	Kind Kind
	// Key is the map key this node is the value of, as Helm reads it
	// ("" for the root and list items); RawKey is the key as written (they
	// differ for YAML 1.1 keys such as `on:`, which Helm reads as "true").
	Key    string
	RawKey string
	// Index is the position in the parent list, or -1.
	Index int
	// KeyPos is the position of the key; zero for the root and list items.
	KeyPos Pos
	// Pos is the position of the value.
	Pos Pos
	// Value is the scalar as Helm reads it: nil, bool, float64 or string.
	// Containers have a nil Value; use Entries and Items.
	Value any
	// Raw is the scalar's text as decoded by the YAML parser (quotes removed).
	Raw string
	// Plain is true for an unquoted scalar without an explicit tag.
	Plain bool
	// Tag is the explicit or resolved YAML tag ("!!str", "!!int", ...).
	Tag string
	// Entries are the key/value pairs of a map in source order, including
	// entries inherited through `<<` merge keys and shadowed duplicates.
	Entries []*Node
	// Items are the elements of a list.
	Items []*Node
	// Shadowed is set on a map entry that a later entry with the same key
	// overrides (Helm keeps the last one); Shadow is that later entry.
	Shadowed bool
	Shadow   *Node
	// Merged is set on a map entry inherited through a `<<` merge key;
	// MergePos is the position of that `<<`.
	Merged   bool
	MergePos Pos
	// Alias is set when the value came from an alias (*name).
	Alias bool
	// HeadComment, LineComment and FootComment are the comments the YAML
	// parser attached to this entry (key and value).
	HeadComment, LineComment, FootComment string
	// StartLine is the first line of the entry including its head comment;
	// EndLine the last line of its value. Both 0 when unknown (aliases, flow).
	StartLine, EndLine int
	// Parent is the enclosing map or list (nil for the root).
	Parent *Node
}

// Get returns the live entry for key in a map node (the last one when the key
// is duplicated), or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MapKind {
		return nil
	}
	for i := len(n.Entries) - 1; i >= 0; i-- {
		if e := n.Entries[i]; e.Key == key && !e.Shadowed {
			return e
		}
	}
	return nil
}

// Lookup follows a path of map keys; list items are addressed by their
// decimal index. It returns nil when a step is missing.
func (n *Node) Lookup(path ...string) *Node {
	cur := n
	for _, p := range path {
		if cur == nil {
			return nil
		}
		switch cur.Kind {
		case MapKind:
			cur = cur.Get(p)
		case ListKind:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(cur.Items) {
				return nil
			}
			cur = cur.Items[i]
		default:
			return nil
		}
	}
	return cur
}

// Live returns the entries Helm keeps: duplicates resolved to the last one.
// The result is read-only: without duplicates it is n.Entries itself (its
// capacity capped, so that an append copies).
func (n *Node) Live() []*Node {
	if n == nil || n.Kind != MapKind {
		return nil
	}
	shadowed := 0
	for _, e := range n.Entries {
		if e.Shadowed {
			shadowed++
		}
	}
	if shadowed == 0 {
		return n.Entries[:len(n.Entries):len(n.Entries)]
	}
	out := make([]*Node, 0, len(n.Entries)-shadowed)
	for _, e := range n.Entries {
		if !e.Shadowed {
			out = append(out, e)
		}
	}
	return out
}

// Keys returns the live keys of a map node, sorted.
func (n *Node) Keys() []string {
	var keys []string
	for _, e := range n.Live() {
		keys = append(keys, e.Key)
	}
	sort.Strings(keys)
	return keys
}

// Segments returns the path from the root to n as keys and list indices.
func (n *Node) Segments() []string {
	var segs []string
	for cur := n; cur != nil && cur.Parent != nil; cur = cur.Parent {
		if cur.Index >= 0 {
			segs = append(segs, strconv.Itoa(cur.Index))
		} else {
			segs = append(segs, cur.Key)
		}
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	return segs
}

// Path returns the dotted path of n: `gateway.service.type`,
// `connections[1].name`, `labels["app.kubernetes.io/name"]`.
func (n *Node) Path() string {
	var b strings.Builder
	var chain []*Node
	for cur := n; cur != nil && cur.Parent != nil; cur = cur.Parent {
		chain = append(chain, cur)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		if c.Index >= 0 {
			fmt.Fprintf(&b, "[%d]", c.Index)
			continue
		}
		b.WriteString(JoinKey(b.Len() == 0, c.Key))
	}
	return b.String()
}

// JoinPath joins two dotted paths, either of which may be "" (the root).
func JoinPath(base, rel string) string { return joinNonEmpty(base, rel, ".") }

// joinNonEmpty joins a and b with sep, or returns the one that is not empty.
func joinNonEmpty(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// JoinKey renders one key as a path segment: `.key`, or `["key"]` when the
// key holds dots, brackets, spaces or quotes. first omits the leading dot.
func JoinKey(first bool, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" ") {
		return "[" + strconv.Quote(key) + "]"
	}
	if first {
		return key
	}
	return "." + key
}

// Interface returns n as Helm's Go value: map[string]any, []any, float64,
// string, bool or nil.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case MapKind:
		m := make(map[string]any, len(n.Entries))
		for _, e := range n.Live() {
			m[e.Key] = e.Interface()
		}
		return m
	case ListKind:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = it.Interface()
		}
		return l
	}
	return n.Value
}

// Walk calls fn for n and every node below it, depth first in source order,
// skipping shadowed duplicates. Returning false skips the node's children.
func (n *Node) Walk(fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, e := range n.Entries {
		if !e.Shadowed {
			e.Walk(fn)
		}
	}
	for _, it := range n.Items {
		it.Walk(fn)
	}
}

// IsInt reports whether a number node holds an integral value.
func (n *Node) IsInt() bool {
	f, ok := n.Value.(float64)
	return ok && f == math.Trunc(f) && !math.IsInf(f, 0)
}

// Truthy reports whether a scalar is what Helm templates treat as true
// (a true bool, a non-zero number or a non-empty string; maps and lists
// when non-empty).
func (n *Node) Truthy() bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case BoolKind:
		return n.Value == true
	case NumberKind:
		return n.Value != 0.0
	case StringKind:
		return n.Value != ""
	case MapKind:
		return len(n.Live()) > 0
	case ListKind:
		return len(n.Items) > 0
	}
	return false
}

// Text renders a scalar for messages (not for secrets: callers redact).
func (n *Node) Text() string {
	switch v := n.Value.(type) {
	case nil:
		if n.Kind == MapKind || n.Kind == ListKind {
			return n.Kind.String()
		}
		return "null"
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// Normalize returns a deep copy of a Go value with every number as a
// float64, the way Helm reads values (CUE and Helm's --set give ints).
func Normalize(v any) any {
	return copyTree(v, func(v any) any {
		switch x := v.(type) {
		case int:
			return float64(x)
		case int32:
			return float64(x)
		case int64:
			return float64(x)
		case uint64:
			return float64(x)
		case float32:
			return float64(x)
		}
		return v
	})
}

// Copy returns a deep copy of a Go value's maps (map[string]any) and lists
// ([]any); the scalars, immutable, are shared.
func Copy(v any) any { return copyTree(v, func(v any) any { return v }) }

// copyTree copies the maps and lists of v, and each other value with leaf.
func copyTree(v any, leaf func(any) any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyTree(e, leaf)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = copyTree(e, leaf)
		}
		return l
	}
	return leaf(v)
}

// FileURI returns name percent-encoded as a URI path when it is not valid
// UTF-8 (a JSON string cannot carry its bytes: they would become U+FFFD),
// and "" when the name itself can be written losslessly.
func FileURI(name string) string {
	if utf8.ValidString(name) {
		return ""
	}
	return (&url.URL{Path: filepath.ToSlash(name)}).EscapedPath()
}
