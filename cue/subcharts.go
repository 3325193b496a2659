package cue

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// The sub-charts a Polyaxon release bundles (PostgreSQL, Redis, RabbitMQ,
// rabbitmq-ha, docker-registry) read their own keys under their section of
// Polyaxon's values. What each pinned version declares is derived data,
// generated from ../shared/reference/subcharts by
// `go run ./cue/internal/subcharts` into cue/facts/subcharts/subcharts.json
// (TestSubchartFactsUpToDate checks it); `go generate ./cue` compiles it
// into cue/compiled/subcharts.bin, the form the runtime reads: a chart's
// key paths are decoded only when a lint first asks about that chart.

// SubchartData is the JSON form of the sub-chart facts
// (cue/facts/subcharts/subcharts.json).
type SubchartData struct {
	// Source names where the facts were derived from.
	Source string `json:"source"`
	// Charts are the sub-chart versions by id ("postgresql-8.2.1").
	Charts map[string]*Subchart `json:"charts"`
	// Releases lists, per Polyaxon chart and release ("1.20.0"), the
	// sub-charts it bundles.
	Releases map[string]map[string][]SubchartDep `json:"releases"`
}

// Subchart is one version of a sub-chart and the keys its values.yaml declares.
type Subchart struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Source is the upstream chart (owner/repo@commit:path).
	Source string        `json:"source"`
	Keys   []SubchartKey `json:"keys"`
}

// SubchartKey is a declared key: its dotted path (a `.` inside a key is
// written `\.`), its type and, for scalars, its default.
type SubchartKey struct {
	Path    string `json:"path"`
	Type    string `json:"type"`
	Default any    `json:"default,omitempty"`
}

// SubchartDep is a dependency of a Polyaxon release.
type SubchartDep struct {
	// Chart is the id of the sub-chart version ("postgresql-8.2.1").
	Chart string `json:"chart"`
	// Section is the key of Polyaxon's values the sub-chart reads (its
	// alias, else its name).
	Section   string `json:"section"`
	Condition string `json:"condition,omitempty"`
}

// SubchartFactsFile is the facts file, relative to cue/.
const SubchartFactsFile = "facts/subcharts/subcharts.json"

// SubchartsFile is the file of cue/compiled holding the compiled facts.
const SubchartsFile = "subcharts.bin"

// SubchartFacts are the compiled sub-chart facts the lint reads: which
// sub-chart versions a release bundles, and which keys each declares. It
// is safe for concurrent use. Nothing is decoded before a lint first asks
// (most files set no key of a sub-chart's section that pxvalues does not
// know): the embedded data is fixed at build time and TestSubchartCodec
// decodes all of it, so a decoding error cannot happen in a built binary;
// were it to, the facts would declare nothing.
type SubchartFacts struct {
	src  string
	once sync.Once
	idx  *subchartIndex
}

// subchartIndex is the decoded index of the facts.
type subchartIndex struct {
	releases map[string]map[string][]SubchartDep
	charts   map[string]*subchartKeys
}

// index decodes the index once.
func (f *SubchartFacts) index() *subchartIndex {
	f.once.Do(func() {
		idx, err := decodeSubcharts(f.src)
		if err != nil {
			idx = &subchartIndex{}
		}
		f.idx = idx
	})
	return f.idx
}

// subchartKeys are the declared paths of one sub-chart version, decoded
// from raw when first asked for.
type subchartKeys struct {
	raw  string
	once sync.Once
	// keys[path] is keyKnown, plus keyOpen for a map without declared
	// children or a list: user data below it.
	keys map[string]uint8
}

const (
	keyKnown = 1 << iota
	keyOpen
)

// Has reports whether the facts hold the sub-chart version id.
func (f *SubchartFacts) Has(id string) bool { return f.index().charts[id] != nil }

// Deps returns the sub-charts release of chart bundles, and whether the
// facts list that release.
func (f *SubchartFacts) Deps(chart, release string) ([]SubchartDep, bool) {
	d, ok := f.index().releases[chart][release]
	return d, ok
}

// lastDot returns the index of the last unescaped `.` of a path, or -1.
func lastDot(p string) int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] != '.' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && p[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
	}
	return -1
}

// escapeKey writes a key as a path segment of the facts.
func escapeKey(k string) string {
	if !strings.ContainsAny(k, `\.`) {
		return k
	}
	return strings.NewReplacer(`\`, `\\`, `.`, `\.`).Replace(k)
}

// SubchartFacts returns the compiled sub-chart facts (indexed when first
// asked about; the keys of a sub-chart version are decoded when first
// asked for).
func (c *Catalog) SubchartFacts() (*SubchartFacts, error) {
	c.subOnce.Do(func() { c.sub = &SubchartFacts{src: subchartsBin} })
	return c.sub, nil
}

// Pinned returns the ids of the versions of the sub-chart read under
// section that the given releases of chart bundle, sorted.
func (f *SubchartFacts) Pinned(chart, section string, releases []string) []string {
	// a handful of ids: a sorted slice is the set
	var out []string
	idx := f.index()
	for _, r := range releases {
		for _, d := range idx.releases[chart][r] {
			if d.Section != section {
				continue
			}
			if i, found := slices.BinarySearch(out, d.Chart); !found {
				out = slices.Insert(out, i, d.Chart)
			}
		}
	}
	return out
}

// Reads returns the sub-chart versions among ids that declare the key at
// segs (below the sub-chart's section): the key itself, or a map or list
// of user data above it.
func (f *SubchartFacts) Reads(ids []string, segs []string) []string {
	var out []string
	var path []byte
	for _, id := range ids {
		keys := f.keysOf(id)
		path = path[:0]
		for i, s := range segs {
			if i > 0 {
				path = append(path, '.')
			}
			path = append(path, escapeKey(s)...)
			if keys[string(path)]&keyOpen != 0 && i < len(segs)-1 {
				out = append(out, id)
				break
			}
			if i == len(segs)-1 && keys[string(path)]&keyKnown != 0 {
				out = append(out, id)
			}
		}
	}
	return out
}

// keysOf returns the declared paths of id (nil for an unknown id).
func (f *SubchartFacts) keysOf(id string) map[string]uint8 {
	k := f.index().charts[id]
	if k == nil {
		return nil
	}
	k.once.Do(func() {
		// a block that does not decode declares nothing here; it cannot
		// happen with the embedded facts, whose every block
		// TestSubchartCodec decodes
		k.keys, _ = decodeSubchartKeys(k.raw)
	})
	return k.keys
}

// EncodeSubcharts returns the compiled form of the sub-chart facts (what
// the runtime decodes): per sub-chart version its key paths with their
// known/open flags, and per release its dependency list.
func EncodeSubcharts(d *SubchartData) []byte {
	e := &encoder{}
	e.uint(codecVersion)
	ids := slices.Sorted(maps.Keys(d.Charts))
	e.uint(uint64(len(ids)))
	for _, id := range ids {
		e.str(id)
		e.str(string(encodeSubchartKeys(d.Charts[id])))
	}
	charts := slices.Sorted(maps.Keys(d.Releases))
	e.uint(uint64(len(charts)))
	for _, chart := range charts {
		e.str(chart)
		rels := slices.Sorted(maps.Keys(d.Releases[chart]))
		e.uint(uint64(len(rels)))
		for _, r := range rels {
			e.str(r)
			deps := d.Releases[chart][r]
			e.uint(uint64(len(deps)))
			for _, dep := range deps {
				e.str(dep.Chart)
				e.str(dep.Section)
				e.str(dep.Condition)
			}
		}
	}
	return e.b
}

func encodeSubchartKeys(c *Subchart) []byte {
	parents := map[string]bool{}
	for _, k := range c.Keys {
		if i := lastDot(k.Path); i >= 0 {
			parents[k.Path[:i]] = true
		}
	}
	e := &encoder{}
	e.uint(uint64(len(c.Keys)))
	for _, k := range c.Keys {
		e.str(k.Path)
		fl := byte(keyKnown)
		if (k.Type == "map" && !parents[k.Path]) || k.Type == "list" {
			fl |= keyOpen
		}
		e.b = append(e.b, fl)
	}
	return e.b
}

// decodeSubcharts indexes the compiled facts; a sub-chart version's key
// block is decoded when first asked for (keysOf).
func decodeSubcharts(src string) (*subchartIndex, error) {
	d := newDecoder(src)
	if v := d.uint(); d.err == nil && v != codecVersion {
		return nil, fmt.Errorf("compiled sub-chart facts: version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	f := &subchartIndex{charts: map[string]*subchartKeys{}, releases: map[string]map[string][]SubchartDep{}}
	for n := d.len(); n > 0 && d.err == nil; n-- {
		id, raw := d.str(), d.str()
		f.charts[id] = &subchartKeys{raw: raw}
	}
	for n := d.len(); n > 0 && d.err == nil; n-- {
		chart := d.str()
		rels := map[string][]SubchartDep{}
		for m := d.len(); m > 0 && d.err == nil; m-- {
			r := d.str()
			deps := make([]SubchartDep, d.len())
			for i := range deps {
				deps[i] = SubchartDep{Chart: d.str(), Section: d.str(), Condition: d.str()}
			}
			rels[r] = deps
		}
		f.releases[chart] = rels
	}
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, fmt.Errorf("compiled sub-chart facts (go generate ./cue): %w", d.err)
	}
	return f, nil
}

// decodeSubchartKeys decodes the key block of one sub-chart version.
func decodeSubchartKeys(raw string) (map[string]uint8, error) {
	d := newDecoder(raw)
	n := d.len()
	keys := make(map[string]uint8, n)
	for ; n > 0 && d.err == nil; n-- {
		p := d.str()
		keys[p] = d.byte()
	}
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	return keys, d.err
}
