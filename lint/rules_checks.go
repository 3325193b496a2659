package lint

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

// runChecks evaluates the declarative checks of every enabled rule.
func (r *run) runChecks() {
	for _, id := range r.l.data.ids {
		spec := r.l.data.specs[id]
		if len(spec.Checks) == 0 || !r.enabled[id] || !r.l.rules.Get(id).AppliesTo(r.det.Chart, r.det.Major) {
			continue
		}
		for _, c := range spec.Checks {
			if !c.applies(r.det.Chart, r.det.Major) {
				continue
			}
			c.check(r, id, c)
		}
	}
}

// checkKinds are the kinds of generic check a rule's checks may name, and
// what runs each (upgrade and exempt checks are read apart).
func checkKinds() map[string]func(*run, string, *checkSpec) {
	return map[string]func(*run, string, *checkSpec){
		"when": (*run).checkWhen, "unique": (*run).checkUnique, "refs": (*run).checkRefs,
		"atMostOne": (*run).checkAtMostOne, "allowedKeys": (*run).checkAllowedKeys, "forbiddenKeys": (*run).checkForbiddenKeys,
	}
}

// bases returns the nodes a check runs on: the root, or every node
// matching one of each's patterns.
func (r *run) bases(c *checkSpec) []*values.Node {
	if len(c.Each) == 0 {
		return []*values.Node{r.doc.Root}
	}
	var out []*values.Node
	if len(c.Each) == 1 && strings.Count(c.Each[0], "**") <= 1 {
		// one pattern with at most one `**` reaches each node once: a
		// node's path is the start of the `**` plus one key per other
		// segment
		out = glob(r.doc.Root, c.Each[0])
	} else {
		seen := map[*values.Node]bool{}
		for _, p := range c.Each {
			for _, n := range glob(r.doc.Root, p) {
				if !seen[n] {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Offset < out[j].Pos.Offset })
	if c.SkipTyped {
		kept := out[:0]
		for _, n := range out {
			if t := lookupType(r.schema.Root, n.Segments()); t != nil && (t.Min != nil || t.Max != nil || len(t.Patterns) > 0 || len(t.Enum) > 0) {
				continue
			}
			kept = append(kept, n)
		}
		out = kept
	}
	return out
}

// glob returns the nodes under root matching a dotted pattern: `*` is one
// key or list index, `**` any number of them.
func glob(root *values.Node, pattern string) []*values.Node {
	var out []*values.Node
	var walk func(n *values.Node, pat []string)
	walk = func(n *values.Node, pat []string) {
		if n == nil {
			return
		}
		if len(pat) == 0 {
			out = append(out, n)
			return
		}
		switch p := pat[0]; p {
		case "**":
			walk(n, pat[1:])
			for _, c := range children(n) {
				walk(c, pat)
			}
		case "*":
			for _, c := range children(n) {
				walk(c, pat[1:])
			}
		default:
			walk(child(n, p), pat[1:])
		}
	}
	walk(root, cond.Split(pattern))
	return out
}

func children(n *values.Node) []*values.Node {
	switch n.Kind {
	case values.MapKind:
		return n.Live()
	case values.ListKind:
		return n.Items
	}
	return nil
}

func child(n *values.Node, key string) *values.Node {
	if n == nil {
		return nil
	}
	if n.Kind == values.ListKind {
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n.Items) {
			return nil
		}
		return n.Items[i]
	}
	return n.Get(key)
}

// Default is the chart default at segs (cond.Env).
func (r *run) Default(segs []string) (any, bool) { return r.defaultAt(segs) }

// HelmTarget reports whether the lint target is helm (cond.Env).
func (r *run) HelmTarget() bool { return r.target() == "helm" }

// Custom is not used by the rules' conditions (cond.Env).
func (r *run) Custom(*values.Node) bool { return false }

// Flag is not used by the rules' conditions: Compile refuses flags (cond.Env).
func (r *run) Flag(string) bool { return false }

// target returns the lint target, "helm" by default.
func (r *run) target() string {
	if r.opts.Target == "" {
		return "helm"
	}
	return r.opts.Target
}

// defaultAt returns the chart default at segs, normalised to Helm's types.
func (r *run) defaultAt(segs []string) (any, bool) {
	v, ok := cond.Get(r.schema.Defaults, segs)
	if !ok {
		return nil, false
	}
	return values.Normalize(v), true
}

// where returns the position and path of a finding at n: its key, or its
// value when atValue (or when n is a list item).
func (r *run) where(n *values.Node, atValue bool) values.Pos {
	if n == nil || n.Parent == nil {
		return values.Pos{File: r.doc.Name, Line: 1, Column: 1}
	}
	if atValue || !n.KeyPos.IsValid() {
		return n.Pos
	}
	return n.KeyPos
}

// describe is a related position's message: the key and its value.
func (r *run) describe(n *values.Node) string {
	switch n.Kind {
	case values.MapKind, values.ListKind:
		return "`" + n.Path() + "` is set here"
	}
	return "`" + n.Path() + "` is " + r.show(n, false)
}

func (r *run) related(at *values.Node, nodes ...*values.Node) []Related {
	var out []Related
	seen := map[*values.Node]bool{at: true}
	for _, n := range nodes {
		if n == nil || seen[n] || n.Parent == nil {
			continue
		}
		seen[n] = true
		out = append(out, Related{Pos: r.where(n, false), Path: n.Path(), Message: r.describe(n)})
	}
	return out
}

// emit reports a finding of a check, applying the check's own message and
// hint templates and fixed args.
func (r *run) emit(id string, c *checkSpec, at *values.Node, path string, args map[string]string, rel []Related) {
	if args == nil {
		args = map[string]string{}
	}
	for k, v := range c.Args {
		args[k] = v
	}
	if at != nil && at.Parent != nil {
		if _, ok := args["key"]; !ok {
			args["key"] = at.Key
		}
		if _, ok := args["value"]; !ok {
			args["value"] = r.show(at, false)
		}
	}
	d := r.report(id, r.where(at, c.AtValue), path, args, rel...)
	if d == nil {
		return
	}
	if c.Message != "" {
		d.Message = r.render(c.Message, args)
	}
	if c.Hint != "" {
		d.Hint = r.render(c.Hint, args)
	}
}

// baseName names an `each` node in messages: its `name`, else its key.
func baseName(base *values.Node) string {
	if n := base.Get("name"); n != nil {
		if s, ok := n.Value.(string); ok && s != "" {
			return s
		}
	}
	if base.Index >= 0 {
		return base.Path()
	}
	return base.Key
}

func (r *run) checkWhen(id string, c *checkSpec) {
	for _, base := range r.bases(c) {
		if !cond.Holds(c.When, base, r) {
			continue // most bases: decided without collecting witnesses
		}
		w := cond.Eval(c.When, base, r)
		args := map[string]string{"name": baseName(base)}
		var more []*values.Node
		if c.Then != nil {
			if cond.Holds(c.Then, base, r) {
				continue
			}
			t := cond.Eval(c.Then, base, r)
			args["missing"] = values.JoinPath(base.Path(), t.Missing)
			more = append(more, t.Witness...)
		}
		var at *values.Node
		if c.At != nil {
			at = cond.Lookup(base, *c.At)
		}
		if at == nil && len(w.Witness) > 0 {
			at = w.Witness[0]
		}
		if at == nil {
			at = base
		}
		for _, p := range c.Related {
			more = append(more, cond.Lookup(base, p))
		}
		r.emit(id, c, at, at.Path(), args, r.related(at, append(w.Witness, more...)...))
	}
}

func (r *run) checkUnique(id string, c *checkSpec) {
	first := map[string]*values.Node{}
	for _, p := range c.Paths {
		for _, n := range glob(r.doc.Root, p) {
			s, ok := n.Value.(string)
			if !ok || n.Kind != values.StringKind {
				continue
			}
			if f, dup := first[s]; dup {
				r.emit(id, c, n, n.Path(), map[string]string{"firstPath": f.Path()},
					[]Related{{Pos: r.where(f, false), Path: f.Path(), Message: "first use of the name"}})
				continue
			}
			first[s] = n
		}
	}
}

func (r *run) checkRefs(id string, c *checkSpec) {
	names := map[string]bool{}
	for _, p := range c.Paths {
		for _, n := range glob(r.doc.Root, p) {
			if s, ok := n.Value.(string); ok {
				names[s] = true
			}
		}
	}
	for _, n := range glob(r.doc.Root, c.From) {
		s, ok := n.Value.(string)
		if !ok || names[s] {
			continue
		}
		r.emit(id, c, n, n.Path(), nil, nil)
	}
}

func (r *run) checkAtMostOne(id string, c *checkSpec) {
	for _, base := range r.bases(c) {
		var set []*values.Node
		for _, e := range base.Live() {
			if slices.Contains(c.Keys, e.Key) && cond.IsSet(e) {
				set = append(set, e)
			}
		}
		for _, e := range set[min(1, len(set)):] {
			r.emit(id, c, e, base.Path(), map[string]string{"first": set[0].Key},
				r.related(e, set[0]))
		}
	}
}

func (r *run) checkAllowedKeys(id string, c *checkSpec) {
	for _, base := range r.bases(c) {
		if base.Kind == values.NullKind {
			continue
		}
		if base.Kind != values.MapKind {
			r.emit(id, c, base, base.Path(), map[string]string{"why": "it is not a map"}, nil)
			continue
		}
		for _, e := range base.Live() {
			if !slices.Contains(c.Keys, e.Key) {
				r.emit(id, c, e, base.Path(), map[string]string{"why": "`" + e.Key + "` is not one of its fields"}, nil)
			}
		}
	}
}

func (r *run) checkForbiddenKeys(id string, c *checkSpec) {
	for _, f := range c.Forbidden {
		n := r.doc.Root.Get(f.Key)
		if n == nil || n.Kind == values.NullKind {
			continue
		}
		r.emit(id, c, n, n.Path(), map[string]string{"py": f.Py}, nil)
	}
}
