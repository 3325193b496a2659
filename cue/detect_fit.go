package cue

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/values"
)

// A candidate is one (chart, major); masks are sets of candidates, one bit
// each, in the order of DetectRules.cands.
type candidate struct {
	chart, major string
	schema       *Schema
}

// fitEntry is one key of the file that tells something: the candidates that
// know it (mask) and those that knew its parent (parent).
type fitEntry struct {
	path         string
	mask, parent uint16
	// accepted: the candidates that accept the key without knowing it (no
	// unknown-key there, so no evidence against them)
	accepted uint16
	// typo is the key it was read as, when the key itself is unknown.
	typo string
	top  bool
}

// fit is the measure of one values root against every candidate.
type fit struct {
	entries []fitEntry
	// counted keys (under known sections) and how many of them are known
	counted, knownN int
	known           float64
	unknown         []string // the first few
	unknownN        int
	// decided: an explicit chart signal matched (deploymentChart)
	decided   bool
	notValues string
	root      *values.Node
}

func (r *DetectRules) candidates() []candidate {
	var out []candidate
	for _, c := range charts {
		for i, m := range majors[c] {
			var s *Schema
			if ss := r.schemas[c]; i < len(ss) {
				s = ss[i]
			}
			out = append(out, candidate{chart: c, major: m, schema: s})
		}
	}
	return out
}

// measure walks root against every candidate schema.
func (r *DetectRules) measure(root *values.Node) *fit {
	f := &fit{root: root}
	cands := r.candidates()
	types := make([]*Type, len(cands))
	for i, c := range cands {
		if c.schema != nil {
			types[i] = c.schema.Root
		}
	}
	f.walk(root, types, 0, true)
	if f.counted > 0 {
		f.known = float64(f.knownN) / float64(f.counted)
	} else {
		f.known = 1
	}
	for _, sigs := range r.Chart.Signals {
		for _, s := range sigs {
			if s.Weight >= 100 && s.match(root) {
				f.decided = true
			}
		}
	}
	for _, s := range r.NotValues {
		if s.match(root) {
			f.notValues = s.why()
			break
		}
	}
	if f.notValues == "" && !f.decided && f.known < r.Fit.MinKnown {
		f.notValues = fmt.Sprintf("%d of its %d keys are no Polyaxon chart's keys (%s)", f.counted-f.knownN, f.counted, message.Sample(f.unknown))
	}
	return f
}

// walk measures the entries of map n; types[i] is candidate i's type of n
// (nil when the candidate does not know n as a section).
func (f *fit) walk(n *values.Node, types []*Type, parent uint16, top bool) {
	for _, e := range n.Live() {
		mask, accepted, child := look(types, e.Key, e)
		typo := ""
		// past a thousand unknown keys the file is no Polyaxon values file
		// with typos: stop looking for them (hostile input stays cheap)
		if mask == 0 && accepted == 0 && f.unknownN < 1000 {
			if name := typoOf(types, e.Key); name != "" {
				typo = name
				mask, accepted, child = look(types, name, e)
			}
		}
		f.counted++
		if mask != 0 || accepted != 0 {
			f.knownN++
		} else {
			f.unknownN++
			if len(f.unknown) < 5 {
				f.unknown = append(f.unknown, e.Path())
			}
		}
		if mask != 0 && (top || mask != parent) {
			f.entries = append(f.entries, fitEntry{path: e.Path(), mask: mask, accepted: accepted, parent: parent, typo: typo, top: top})
		}
		if mask == 0 {
			continue
		}
		switch e.Kind {
		case values.MapKind:
			if structured(child) {
				f.walk(e, child, mask, false)
			}
		case values.ListKind:
			elems := make([]*Type, len(child))
			for i, t := range child {
				if t != nil {
					elems[i] = t.Elem
				}
			}
			if !structured(elems) {
				continue
			}
			for _, it := range e.Items {
				if it.Kind == values.MapKind {
					f.walk(it, elems, mask, false)
				}
			}
		}
	}
}

// structured reports whether one of types names fields worth walking.
func structured(types []*Type) bool {
	for _, t := range types {
		if t != nil && len(t.Fields) > 0 {
			return true
		}
	}
	return false
}

// look finds key in each candidate's map type: mask holds the candidates
// that know it (declared and read by a chart, or passed to a sub-chart
// through an open section), accepted those that accept it without knowing
// it (a key only Polyaxon's CLI validator knows, a value of another kind),
// child the types of its value.
func look(types []*Type, key string, e *values.Node) (mask, accepted uint16, child []*Type) {
	for i, t := range types {
		if t == nil {
			continue
		}
		if fd := t.Field(key); fd != nil {
			if fd.Meta.CLIOnly || !kindFits(fd.Type, e) {
				accepted |= 1 << i
				continue
			}
			mask |= 1 << i
			child = setType(child, len(types), i, fd.Type)
			continue
		}
		if t.Open {
			mask |= 1 << i
			child = setType(child, len(types), i, t.Elem)
		}
	}
	return mask, accepted, child
}

// setType sets types[i] to t, making types (of n) when it is nil.
func setType(types []*Type, n, i int, t *Type) []*Type {
	if t == nil {
		return types
	}
	if types == nil {
		types = make([]*Type, n)
	}
	types[i] = t
	return types
}

func kindFits(t *Type, e *values.Node) bool {
	return t == nil || e.Kind == values.NullKind || t.Kinds.Has(e.Kind)
}

// typoOf returns the key of a candidate map type one edit away from key
// (the first in sorted order when several are), or "".
func typoOf(types []*Type, key string) string {
	var found []string
	for _, t := range types {
		if t == nil {
			continue
		}
		for i, name := range t.Names {
			if fd := t.Fields[i]; !fd.Meta.CLIOnly && oneEdit(key, name) {
				found = append(found, name)
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.Strings(found)
	return found[0]
}

// oneEdit reports whether a becomes b by one insertion, deletion,
// substitution or transposition of adjacent characters, or by case alone.
func oneEdit(a, b string) bool {
	if a == b || len(a)-len(b) > utf8.UTFMax || len(b)-len(a) > utf8.UTFMax {
		return false
	}
	if len(a) == len(b) && strings.EqualFold(a, b) {
		return true
	}
	if isASCII(a) && isASCII(b) {
		return oneEditSeq([]byte(a), []byte(b))
	}
	return oneEditSeq([]rune(a), []rune(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func oneEditSeq[T byte | rune](a, b []T) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		diff := -1
		for i := range a {
			if a[i] == b[i] {
				continue
			}
			if diff >= 0 {
				// a transposition: ab -> ba
				return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && slices.Equal(a[i+1:], b[i+1:])
			}
			diff = i
		}
		return true
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i+1:], b[i:])
	}
	return false
}

// umbrella finds the top-level map of root that holds Polyaxon values: it
// fits far better than the root (see fit.umbrella* in detect.cue).
func (r *DetectRules) umbrella(root *values.Node, rootFit *fit) (string, *fit) {
	var bestKey string
	var best *fit
	for _, e := range root.Live() {
		if e.Kind != values.MapKind {
			continue
		}
		sub := r.measure(e)
		if sub.known < r.Fit.UmbrellaKnown || sub.knownN < r.Fit.UmbrellaKeys || sub.notValues != "" {
			continue
		}
		if best == nil || sub.knownN > best.knownN {
			bestKey, best = e.Key, sub
		}
	}
	if best == nil || best.known <= rootFit.known {
		return "", nil
	}
	return bestKey, best
}

// chartMask returns the bits of chart's candidates.
func chartMask(cands []candidate, chart string) uint16 {
	var m uint16
	for i, c := range cands {
		if c.chart == chart {
			m |= 1 << i
		}
	}
	return m
}

// names lists the majors (or charts) of the candidates in mask.
func names(cands []candidate, mask uint16, chart bool) []string {
	var out []string
	for i, c := range cands {
		if mask&(1<<i) == 0 {
			continue
		}
		n := c.major
		if chart {
			n = c.chart
		}
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return out
}

// chartsOf returns the set of charts (as one bit per chart of `charts`)
// whose candidates mask holds.
func chartsOf(cands []candidate, mask uint16) uint8 {
	var out uint8
	for ci, ch := range charts {
		if mask&chartMask(cands, ch) != 0 {
			out |= 1 << ci
		}
	}
	return out
}

// weight is the score a key known to k of n majors adds to each.
func (p FitParams) weight(k, n int) int {
	switch {
	case k == 0 || k >= n:
		return 0
	case k == 1:
		return p.Unique
	}
	return p.Shared
}

func popcount(m uint16) int { return bits.OnesCount16(m) }
