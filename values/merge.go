package values

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
