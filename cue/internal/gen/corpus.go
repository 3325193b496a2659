package main

import (
	"github.com/pxvalues/pxvalues/cue/facts"

	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/encoding/yaml"
)

type corpusFile struct {
	chart   string
	version string
	major   int
	value   cue.Value
}

// corpusNameRE matches a corpus file name, e.g. v1.22.0.yaml.
var corpusNameRE = regexp.MustCompile(`^v((\d+)\.\d+\.\d+)\.yaml$`)

// loadCorpus rebuilds every chart release's values file from the facts of
// dir (cue/facts/releases), oldest first.
func loadCorpus(ctx *cue.Context, dir string) ([]corpusFile, error) {
	rs, err := facts.Releases(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the release facts (-facts): %w", err)
	}
	var out []corpusFile
	for _, r := range rs {
		// 1.21.0 and 1.22.0 were tagged but never published and are
		// already v2-shaped (domain.md section 1): they belong to v2.
		major, err := strconv.Atoi(strings.TrimPrefix(r.Major(), "v"))
		if err != nil {
			return nil, fmt.Errorf("release %s: %w", r.Name(), err)
		}
		f, err := yaml.Extract(r.Name(), r.YAML)
		if err != nil {
			return nil, fmt.Errorf("parsing release %s: %w", r.Name(), err)
		}
		v := ctx.BuildFile(f)
		if err := v.Err(); err != nil {
			return nil, fmt.Errorf("building release %s: %w", r.Name(), err)
		}
		out = append(out, corpusFile{chart: r.Chart, version: r.Version, major: major, value: v})
	}
	slices.SortStableFunc(out, func(a, b corpusFile) int { return compareSemver(a.version, b.version) })
	return out, nil
}

// walkKeys calls fn for every key path of v, parents first; list items are "[]".
func walkKeys(v cue.Value, segs []string, fn func(segs []string, v cue.Value) error) error {
	switch v.IncompleteKind() {
	case cue.StructKind:
		it, err := v.Fields(cue.Optional(true))
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(segs, "."), err)
		}
		for it.Next() {
			s := append(slices.Clip(segs), it.Selector().Unquoted())
			if err := fn(s, it.Value()); err != nil {
				return err
			}
			if err := walkKeys(it.Value(), s, fn); err != nil {
				return err
			}
		}
	case cue.ListKind:
		it, err := v.List()
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(segs, "."), err)
		}
		s := append(slices.Clip(segs), "[]")
		for it.Next() {
			if err := walkKeys(it.Value(), s, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolution is the result of looking a key path up in a tree.
type resolution int

const (
	resolved     resolution = iota // a node of the tree is the key
	accepted                       // a user-defined map, `_` or an untyped list accepts it
	acceptedOpen                   // an open struct (sub-chart passthrough, free-form) accepts it
	missing                        // no field of a closed struct matches
)

// resolve looks segs up in the tree. It returns the node reached, how, and on a miss the
// index of the first segment not found (its parent is the node returned).
func resolve(root *node, segs []string) (*node, resolution, int) {
	n, open := root, false
	for i, s := range segs {
		if n != root && n.acceptsAnyKey() {
			return n, accepted, i
		}
		if k := n.kids[s]; k != nil {
			n = k
		} else if k := n.kids["*"]; k != nil && s != "[]" {
			n = k
		} else if s == "[]" && n.baseType() == "list" {
			return n, accepted, i
		} else if open && s != "[]" {
			return n, acceptedOpen, i
		} else {
			return n, missing, i
		}
		if i == 0 && passthrough[s] || freeForm[n.path] {
			open = true
		}
	}
	return n, resolved, len(segs)
}

// addBridges adds the keys of the corpus files of spec that the catalogue does not list.
// The type comes from the next major's catalogue when it lists the same path (the files
// concerned are v2-shaped), else from the YAML value. Keys below a sub-chart passthrough are
// added only when the next catalogue types them (they are accepted anyway).
func addBridges(c *catalogue, spec chartSpec, next *catalogue, files []corpusFile) error {
	for _, f := range files {
		if f.chart != spec.chart || f.major != spec.major {
			continue
		}
		err := walkKeys(f.value, nil, func(segs []string, v cue.Value) error {
			n, res, i := resolve(c.root, segs)
			switch res {
			case resolved:
				if n.bridge != nil && !slices.Contains(n.bridge.versions, f.version) {
					n.bridge.versions = append(n.bridge.versions, f.version)
				}
				return nil
			case accepted:
				return nil
			case acceptedOpen:
				if next == nil || i != len(segs)-1 {
					return nil
				}
			}
			if i != len(segs)-1 {
				return fmt.Errorf("%s %s: key %s: parent %s is not in the schema",
					spec.chart, f.version, strings.Join(segs, "."), strings.Join(segs[:i+1], "."))
			}
			var borrowed *node
			if next != nil {
				if bn, res, _ := resolve(next.root, segs); res == resolved && bn.entry != nil {
					borrowed = bn
				}
			}
			if borrowed == nil && res == acceptedOpen {
				return nil
			}
			k := n.child(segs[i])
			k.bridge = &bridge{versions: []string{f.version}}
			if borrowed != nil {
				k.entry = &entry{Type: borrowed.entry.Type, Enum: borrowed.entry.Enum}
				k.bridge.source = next.file
				k.bridge.section = len(borrowed.kids) > 0
				return nil
			}
			if segs[i] == "[]" {
				return nil // an element struct: typed by its keys
			}
			t, err := inferType(v)
			if err != nil {
				return fmt.Errorf("%s %s: key %s: %w", spec.chart, f.version, strings.Join(segs, "."), err)
			}
			k.entry = &entry{Type: t}
			return nil
		})
		if err != nil {
			return fmt.Errorf("corpus %s %s: %w", f.chart, f.version, err)
		}
	}
	return nil
}

// inferType returns the catalogue type of a YAML value.
