package verify

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// locate names the values key that controls the setting in the new chart:
// the first candidate key a --set or a values file sets (later layers
// win), else the candidate as a chart default; without a candidate, the
// one key of the migrated files that holds the new value.
func (c *comparison) locate(d *Difference) {
	if d.Setting == "(object)" {
		return
	}
	cands := c.v.k.keys(c.rep.New.Chart, c.rep.New.Major, d.Workload, d.Setting)
	if path, ok := strings.CutPrefix(d.Setting, "mount "); ok {
		// The candidate whose values name the mount path first.
		var with, without []string
		for _, key := range cands {
			found := false
			for _, doc := range c.docs {
				if n := doc.Root.Lookup(strings.Split(key, ".")...); n != nil && holding(n, path) != nil {
					found = true
				}
			}
			if found {
				with = append(with, key)
			} else {
				without = append(without, key)
			}
		}
		cands = append(with, without...)
	}
	for _, key := range cands {
		segs := strings.Split(key, ".")
		for i := len(c.opts.New.Sets) - 1; i >= 0; i-- {
			for _, expr := range strings.Split(c.opts.New.Sets[i], ",") {
				k, _, _ := strings.Cut(expr, "=")
				if k == key || strings.HasPrefix(k, key+".") || strings.HasPrefix(k, key+"[") {
					d.Key, d.File = key, fmt.Sprintf("--set[%d]", i)
					return
				}
			}
		}
		for i := len(c.docs) - 1; i >= 0; i-- {
			if n := c.docs[i].Root.Lookup(segs...); n != nil {
				d.Key, d.File, d.Line = key, c.docs[i].Name, n.KeyPos.Line
				// A section: the one value under it the setting now holds.
				if leaf := holding(n, d.New); leaf != nil {
					d.Key, d.Line = leaf.Path(), leaf.KeyPos.Line
				}
				return
			}
		}
	}
	if len(cands) > 0 {
		d.Key, d.File = cands[0], ChartDefault
		return
	}
	var found []*values.Node
	var names []string
	for _, doc := range c.docs {
		if n := holding(doc.Root, d.New); n != nil {
			found = append(found, n)
			names = append(names, doc.Name)
		}
	}
	if len(found) == 1 {
		d.Key, d.File, d.Line = found[0].Path(), names[0], found[0].KeyPos.Line
	}
}

// scalarText is a scalar as a template renders it ("x", not "\"x\"").
func scalarText(n *values.Node) string {
	if s, ok := n.Value.(string); ok {
		return s
	}
	return n.Text()
}

// holding returns the one scalar under n whose text is value (nil when
// none or several do, or for a value that is absent or a hash).
func holding(n *values.Node, value string) *values.Node {
	if value == absent || value == "" || strings.HasPrefix(value, "sha256:") || strings.HasPrefix(value, "(") {
		return nil
	}
	var found []*values.Node
	n.Walk(func(x *values.Node) bool {
		if x.Kind != values.MapKind && x.Kind != values.ListKind && x.Kind != values.NullKind && scalarText(x) == value {
			found = append(found, x)
		}
		return true
	})
	if len(found) == 1 && found[0].Parent != nil {
		return found[0]
	}
	return nil
}
