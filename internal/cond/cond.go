// Package cond evaluates the conditions (#Cond of cue/cond.cue) that the
// lint rules' checks and the migration steps' actions share: one grammar,
// one evaluator.
//
// A condition is a leaf (a path and one test) or all/any/not of conditions.
// Paths are dotted keys relative to a base node; a list index is a key.
package cond

import (
	"fmt"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/values"
)

// Cond is one #Cond. Only one test of a leaf is read; Compile checks that.
type Cond struct {
	Path string `json:"path,omitempty"`
	// Set: the key has a value other than null, "" or an empty map or list.
	Set *bool `json:"set,omitempty"`
	// Present: the key exists, null included.
	Present *bool `json:"present,omitempty"`
	// Truthy: the value is true for Helm's `if`.
	Truthy *bool `json:"truthy,omitempty"`
	// Equals: the value as Helm reads it equals this scalar.
	Equals any `json:"equals,omitempty"`
	// In: the value is one of these scalars.
	In []any `json:"in,omitempty"`
	// Matches: the value is a string matching this regexp.
	Matches string `json:"matches,omitempty"`
	// Type: the value is of this kind (null, bool, number, string, list, map).
	Type string `json:"type,omitempty"`
	// Range: the value is a number within [min, max].
	Range []float64 `json:"range,omitempty"`
	// SameAs: the value equals the value at this other relative path.
	SameAs *string `json:"sameAs,omitempty"`
	// Differs: the key exists and its value differs from the one at this
	// other path (absent counts as different); empties count as null.
	Differs *string `json:"differs,omitempty"`
	// Custom: the key exists and its value is the user's choice
	// (Env.Custom decides).
	Custom *bool `json:"custom,omitempty"`
	// Flag names an engine option that must be on (Env.Flag).
	Flag string `json:"flag,omitempty"`
	// OrDefault: when the key is not set and Env.HelmTarget, test the
	// chart's default instead.
	OrDefault bool `json:"orDefault,omitempty"`
	// ChartDefault: when the key is not set, test the chart's default.
	ChartDefault bool `json:"chartDefault,omitempty"`
	// IsDefault: the value equals the chart's default.
	IsDefault bool `json:"isDefault,omitempty"`

	All []*Cond `json:"all,omitempty"`
	Any []*Cond `json:"any,omitempty"`
	Not *Cond   `json:"not,omitempty"`

	// re compiles Matches on first use: most conditions of a run are never
	// evaluated, and compiling every regexp up front cost a tenth of a
	// one-file lint.
	re func() *regexp.Regexp
}

// Env is what a condition reads beyond the document.
type Env interface {
	// Default returns the chart default at the absolute path segs.
	Default(segs []string) (any, bool)
	// HelmTarget reports whether Helm reads the file (OrDefault applies).
	HelmTarget() bool
	// Custom reports whether n's value is the user's choice.
	Custom(n *values.Node) bool
	// Flag reports whether the engine option name is on.
	Flag(name string) bool
}

// Compile checks c and prepares it for Eval: regexps are compiled and
// constants read as Helm reads them. flags are the option names Env.Flag
// knows; a condition naming another is an error. A nil c is valid.
func (c *Cond) Compile(flags []string) error {
	if c == nil {
		return nil
	}
	if c.Flag != "" && !slices.Contains(flags, c.Flag) {
		return fmt.Errorf("condition: unknown flag %q", c.Flag)
	}
	if c.Matches != "" {
		// parsing finds every error regexp.Compile would report; the
		// program is built when a value is first matched
		if _, err := syntax.Parse(c.Matches, syntax.Perl); err != nil {
			return fmt.Errorf("condition on %s: matches %q: %w", c.Path, c.Matches, err)
		}
		c.re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(c.Matches) })
	}
	c.Equals = values.Normalize(c.Equals)
	for i := range c.In {
		c.In[i] = values.Normalize(c.In[i])
	}
	for _, x := range c.children() {
		if err := x.Compile(flags); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cond) children() []*Cond {
	out := append(append([]*Cond(nil), c.All...), c.Any...)
	if c.Not != nil {
		out = append(out, c.Not)
	}
	return out
}

// Paths returns the `path` of c and of every condition inside it.
func (c *Cond) Paths() []string {
	if c == nil {
		return nil
	}
	var out []string
	if c.Path != "" {
		out = append(out, c.Path)
	}
	for _, x := range c.children() {
		out = append(out, x.Paths()...)
	}
	return out
}

// Outcome is the result of a condition with the keys that explain it and,
// when it failed, the relative path of the first key whose test failed.
type Outcome struct {
	OK      bool
	Witness []*values.Node
	Missing string
}

// Eval evaluates c with paths relative to base.
func Eval(c *Cond, base *values.Node, env Env) Outcome {
	switch {
	case c.All != nil:
		o := Outcome{OK: true}
		var bad []*values.Node
		for _, x := range c.All {
			xo := Eval(x, base, env)
			if xo.OK {
				o.Witness = append(o.Witness, xo.Witness...)
				continue
			}
			if o.OK {
				o.Missing = xo.Missing
			}
			o.OK = false
			bad = append(bad, xo.Witness...)
		}
		if !o.OK {
			o.Witness = bad
		}
		return o
	case c.Any != nil:
		var o Outcome
		var all []*values.Node
		for _, x := range c.Any {
			xo := Eval(x, base, env)
			all = append(all, xo.Witness...)
			if xo.OK {
				o.OK = true
				o.Witness = append(o.Witness, xo.Witness...)
			} else if o.Missing == "" {
				o.Missing = xo.Missing
			}
		}
		if !o.OK {
			o.Witness = all
		}
		return o
	case c.Not != nil:
		xo := Eval(c.Not, base, env)
		return Outcome{OK: !xo.OK, Witness: xo.Witness, Missing: c.Not.Path}
	}
	n := Lookup(base, c.Path)
	o := Outcome{OK: leaf(c, base, n, env)}
	if n != nil && n.Parent != nil {
		o.Witness = []*values.Node{n}
	}
	if !o.OK {
		o.Missing = c.Path
	}
	return o
}

// Holds reports whether c holds at base: Eval(c, base, env).OK, without
// collecting witnesses and stopping at the first test that decides.
func Holds(c *Cond, base *values.Node, env Env) bool {
	switch {
	case c.All != nil:
		for _, x := range c.All {
			if !Holds(x, base, env) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, x := range c.Any {
			if Holds(x, base, env) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !Holds(c.Not, base, env)
	}
	return leaf(c, base, Lookup(base, c.Path), env)
}

// All reports whether every condition of conds holds at base.
func All(conds []*Cond, base *values.Node, env Env) bool {
	for _, c := range conds {
		if !Holds(c, base, env) {
			return false
		}
	}
	return true
}

// leaf evaluates one test on the node n at c.Path (nil when missing).
func leaf(c *Cond, base, n *values.Node, env Env) bool {
	switch {
	case c.Flag != "":
		return env.Flag(c.Flag)
	case c.Set != nil:
		return IsSet(n) == *c.Set
	case c.Present != nil:
		return (n != nil) == *c.Present
	case c.Truthy != nil:
		return n.Truthy() == *c.Truthy
	case c.Custom != nil:
		return (n != nil && env.Custom(n)) == *c.Custom
	case c.Differs != nil:
		o := Lookup(base, *c.Differs)
		return n != nil && (o == nil || !SameValue(n.Interface(), o.Interface()))
	}
	var v any
	present := n != nil && n.Kind != values.NullKind
	if present {
		// containers are built only for the tests that compare them: a
		// check over every node (`**`) must stay linear
		if n.Kind == values.MapKind || n.Kind == values.ListKind {
			if c.IsDefault || c.SameAs != nil {
				v = n.Interface()
			} else if c.Type != "" {
				return n.Kind.String() == c.Type
			} else {
				return c.Equals == nil && c.In == nil && c.re == nil && c.Range == nil
			}
		} else {
			v = n.Value
		}
	} else if c.ChartDefault || (c.OrDefault && env.HelmTarget()) {
		def, ok := env.Default(append(base.Segments(), Split(c.Path)...))
		if !ok {
			return false
		}
		v, present = def, def != nil
	}
	if c.IsDefault {
		def, ok := env.Default(append(base.Segments(), Split(c.Path)...))
		return present && ok && Equal(v, def)
	}
	switch {
	case c.Type != "":
		return kindName(v, n, present) == c.Type
	case !present:
		return false
	case c.Equals != nil:
		return values.SameScalar(c.Equals, v)
	case c.In != nil:
		for _, x := range c.In {
			if values.SameScalar(x, v) {
				return true
			}
		}
		return false
	case c.re != nil:
		s, ok := v.(string)
		return ok && c.re().MatchString(s)
	case len(c.Range) == 2:
		f, ok := v.(float64)
		return ok && f >= c.Range[0] && f <= c.Range[1]
	case c.SameAs != nil:
		other := Lookup(base, *c.SameAs)
		if other == nil || other.Kind == values.NullKind {
			return false
		}
		return reflect.DeepEqual(values.Normalize(v), other.Interface())
	}
	return present
}

func kindName(v any, n *values.Node, present bool) string {
	if !present {
		return "null"
	}
	switch v.(type) {
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "map"
	}
	if n != nil {
		return n.Kind.String()
	}
	return ""
}

// IsSet reports whether a key has a value that configures something: not
// missing, null, "" or an empty map or list.
func IsSet(n *values.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case values.NullKind:
		return false
	case values.StringKind:
		return n.Value != ""
	case values.MapKind:
		return len(n.Live()) > 0
	case values.ListKind:
		return len(n.Items) > 0
	}
	return true
}

// Get returns the value at segs in plain decoded data (maps of
// map[string]any), and whether there is one.
func Get(data any, segs []string) (any, bool) {
	for _, s := range segs {
		m, ok := data.(map[string]any)
		if !ok {
			return nil, false
		}
		if data, ok = m[s]; !ok {
			return nil, false
		}
	}
	return data, true
}

// Split splits a dotted path into keys ("" is no key).
func Split(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

// Lookup follows a relative dotted path from base (nil when missing).
func Lookup(base *values.Node, rel string) *values.Node {
	return base.Lookup(Split(rel)...)
}

// Equal compares two values in Helm's types: lists and maps element by
// element, scalars with values.SameScalar.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	}
	return values.SameScalar(a, b)
}

// SameValue compares Helm values: numbers by value, and null equal to an
// empty map, list or string (as the chart templates read them).
func SameValue(a, b any) bool {
	return reflect.DeepEqual(Normalize(a), Normalize(b))
}

// Normalize reads v as Helm does (values.Normalize) and then treats empty
// maps, lists and strings as null, as the chart templates do.
func Normalize(v any) any { return pruneEmpty(values.Normalize(v)) }

func pruneEmpty(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if x[k] = pruneEmpty(e); x[k] == nil {
				delete(x, k)
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i, e := range x {
			x[i] = pruneEmpty(e)
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}
