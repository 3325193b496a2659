package cue

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
)

// The lint path's knowledge (rules, detection signals, secrets, hints, key
// descriptions) is compiled into cue/compiled/knowledge.bin in the binary
// form of codec.go: decoding it is a walk over the embedded string, where
// encoding/json took ~2 ms and ~360 KB per run. A nil slice or map is
// written 0 and one of n elements n+1, so that a decoded value marshals to
// the same JSON as the compiled one (TestKnowledgeCodec checks it).

func (e *encoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

// putSlice writes l's nil-or-count header, then each element with put.
func putSlice[T any](e *encoder, l []T, put func(T)) {
	if l == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(l)) + 1)
	for _, x := range l {
		put(x)
	}
}

// putMap writes m's nil-or-count header, then each key, in order, and its
// value with put.
func putMap[V any](e *encoder, m map[string]V, put func(V)) {
	if m == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(m)) + 1)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		put(m[k])
	}
}

func (e *encoder) strs(l []string) { putSlice(e, l, e.str) }

func (e *encoder) strMap(m map[string]string) { putMap(e, m, e.str) }

func (e *encoder) rule(r *Rule) {
	for _, s := range []string{r.ID, r.Severity, r.Category, r.Summary, r.Message, r.Hint, r.Doc, r.Polyaxon, r.Bad, r.Good, r.ExampleChart, r.ExampleMajor} {
		e.str(s)
	}
	for _, l := range [][]string{r.Charts, r.Majors, r.ExampleFlags, r.Targets} {
		e.strs(l)
	}
	e.bool(r.Enabled)
	e.bool(r.Fixable)
	putSlice(e, r.Checks, e.check)
}

// signal writes s; the first value it cannot write is kept in e.err.
func (e *encoder) signal(s Signal) {
	for _, x := range []string{s.Path, s.Matches, s.Why} {
		e.str(x)
	}
	if err := e.value(s.Equals); err != nil && e.err == nil {
		e.err = fmt.Errorf("signal %s: %w", s.Path, err)
	}
	e.strs(s.With)
	e.strs(s.Without)
	e.int(s.Weight)
}

func (e *encoder) signals(l []Signal) { putSlice(e, l, e.signal) }

// encodeKnowledge writes the lint path's part of k (not the migrations).
func encodeKnowledge(k *Knowledge) ([]byte, error) {
	e := &encoder{}
	e.uint(codecVersion)
	putMap(e, k.Rules, e.rule)
	d := &k.Detect
	f := d.Fit
	for _, n := range []int{f.Unique, f.Shared, f.Newer, f.WeakMargin, f.UmbrellaKeys} {
		e.int(n)
	}
	e.float(f.MinKnown)
	e.float(f.UmbrellaKnown)
	for _, set := range []*SignalSet{&d.Chart, &d.Major} {
		e.strs(set.Order)
		putMap(e, set.Signals, e.signals)
		putMap(e, set.Prefer, e.signals)
	}
	e.signals(d.NotValues)
	e.strs(k.Secrets.Names)
	e.strs(k.Secrets.Subtrees)
	putMap(e, k.Hints, func(steps map[string]map[string]string) { putMap(e, steps, e.strMap) })
	putMap(e, k.KeyDocs, e.strMap)
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
}

func (d *decoder) int() int {
	u := d.uint()
	n := int64(u >> 1)
	if u&1 != 0 {
		n = ^n
	}
	return int(n)
}

// count reads a nil-or-count header: -1 for nil, else the count (at most
// the bytes left).
func (d *decoder) count() int {
	n := d.uint()
	if d.err != nil {
		return -1
	}
	if n == 0 {
		return -1
	}
	if n-1 > uint64(d.rest()) {
		d.err = errTruncated
		return -1
	}
	return int(n - 1)
}

// getSlice reads what putSlice wrote, each element with get.
func getSlice[T any](d *decoder, get func() T) []T {
	n := d.count()
	if n < 0 {
		return nil
	}
	l := make([]T, 0, n)
	for ; n > 0 && d.err == nil; n-- {
		l = append(l, get())
	}
	return l
}

// getMap reads what putMap wrote, each value with get.
func getMap[V any](d *decoder, get func() V) map[string]V {
	n := d.count()
	if n < 0 {
		return nil
	}
	m := make(map[string]V, n)
	for ; n > 0 && d.err == nil; n-- {
		k := d.str()
		m[k] = get()
	}
	return m
}

func (d *decoder) strs() []string { return getSlice(d, d.str) }

func (d *decoder) strMap() map[string]string { return getMap(d, d.str) }

func (d *decoder) rule() *Rule {
	r := &Rule{}
	for _, p := range []*string{&r.ID, &r.Severity, &r.Category, &r.Summary, &r.Message, &r.Hint, &r.Doc, &r.Polyaxon, &r.Bad, &r.Good, &r.ExampleChart, &r.ExampleMajor} {
		*p = d.str()
	}
	for _, p := range []*[]string{&r.Charts, &r.Majors, &r.ExampleFlags, &r.Targets} {
		*p = d.strs()
	}
	r.Enabled, r.Fixable = d.byte() == 1, d.byte() == 1
	r.Checks = getSlice(d, d.check)
	return r
}

func (d *decoder) signal() Signal {
	var s Signal
	s.Path, s.Matches, s.Why = d.str(), d.str(), d.str()
	s.Equals = d.value()
	s.With, s.Without = d.strs(), d.strs()
	s.Weight = d.int()
	return s
}

func (d *decoder) signals() []Signal { return getSlice(d, d.signal) }

func (d *decoder) signalMap() map[string][]Signal { return getMap(d, d.signals) }

// decodeKnowledge reads what encodeKnowledge wrote.
func decodeKnowledge(src string) (*Knowledge, error) {
	return decodeFile(src, func(d *decoder) *Knowledge {
		k := &Knowledge{}
		k.Rules = getMap(d, d.rule)
		f := &k.Detect.Fit
		for _, p := range []*int{&f.Unique, &f.Shared, &f.Newer, &f.WeakMargin, &f.UmbrellaKeys} {
			*p = d.int()
		}
		f.MinKnown, f.UmbrellaKnown = d.float(), d.float()
		for _, set := range []*SignalSet{&k.Detect.Chart, &k.Detect.Major} {
			set.Order = d.strs()
			set.Signals = d.signalMap()
			set.Prefer = d.signalMap()
		}
		k.Detect.NotValues = d.signals()
		k.Secrets.Names, k.Secrets.Subtrees = d.strs(), d.strs()
		k.Hints = getMap(d, func() map[string]map[string]string { return getMap(d, d.strMap) })
		k.KeyDocs = getMap(d, d.strMap)
		return k
	})
}
