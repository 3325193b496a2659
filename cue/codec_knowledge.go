package cue

import (
	"encoding/binary"
	"errors"
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

func (e *encoder) strs(l []string) {
	if l == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(l)) + 1)
	for _, s := range l {
		e.str(s)
	}
}

func (e *encoder) strMap(m map[string]string) {
	if m == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(m)) + 1)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		e.str(m[k])
	}
}

func (e *encoder) rule(r *Rule) {
	for _, s := range []string{r.ID, r.Severity, r.Category, r.Summary, r.Message, r.Hint, r.Doc, r.Polyaxon, r.Bad, r.Good, r.ExampleChart, r.ExampleMajor} {
		e.str(s)
	}
	for _, l := range [][]string{r.Charts, r.Majors, r.ExampleFlags, r.Targets} {
		e.strs(l)
	}
	e.bool(r.Enabled)
	e.bool(r.Fixable)
	e.bool(r.Checks != nil)
	e.str(string(r.Checks))
}

func (e *encoder) signals(l []Signal) error {
	if l == nil {
		e.uint(0)
		return nil
	}
	e.uint(uint64(len(l)) + 1)
	for _, s := range l {
		for _, x := range []string{s.Path, s.Matches, s.Why} {
			e.str(x)
		}
		if err := e.value(s.Equals); err != nil {
			return fmt.Errorf("signal %s: %w", s.Path, err)
		}
		e.strs(s.With)
		e.strs(s.Without)
		e.int(s.Weight)
	}
	return nil
}

func (e *encoder) signalMap(m map[string][]Signal) error {
	if m == nil {
		e.uint(0)
		return nil
	}
	e.uint(uint64(len(m)) + 1)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		if err := e.signals(m[k]); err != nil {
			return err
		}
	}
	return nil
}

// encodeKnowledge writes the lint path's part of k (not the migrations).
func encodeKnowledge(k *Knowledge) ([]byte, error) {
	e := &encoder{}
	e.uint(codecVersion)
	if k.Rules == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(k.Rules)) + 1)
		for _, id := range slices.Sorted(maps.Keys(k.Rules)) {
			e.str(id)
			e.rule(k.Rules[id])
		}
	}
	d := &k.Detect
	f := d.Fit
	for _, n := range []int{f.Unique, f.Shared, f.Newer, f.WeakMargin, f.UmbrellaKeys} {
		e.int(n)
	}
	e.float(f.MinKnown)
	e.float(f.UmbrellaKnown)
	for _, set := range []*SignalSet{&d.Chart, &d.Major} {
		e.strs(set.Order)
		if err := e.signalMap(set.Signals); err != nil {
			return nil, err
		}
		if err := e.signalMap(set.Prefer); err != nil {
			return nil, err
		}
	}
	if err := e.signals(d.NotValues); err != nil {
		return nil, err
	}
	e.strs(k.Secrets.Names)
	e.strs(k.Secrets.Subtrees)
	if k.Hints == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(k.Hints)) + 1)
		for _, chart := range slices.Sorted(maps.Keys(k.Hints)) {
			e.str(chart)
			steps := k.Hints[chart]
			if steps == nil {
				e.uint(0)
				continue
			}
			e.uint(uint64(len(steps)) + 1)
			for _, step := range slices.Sorted(maps.Keys(steps)) {
				e.str(step)
				e.strMap(steps[step])
			}
		}
	}
	if k.KeyDocs == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(k.KeyDocs)) + 1)
		for _, chart := range slices.Sorted(maps.Keys(k.KeyDocs)) {
			e.str(chart)
			e.strMap(k.KeyDocs[chart])
		}
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

func (d *decoder) strs() []string {
	n := d.count()
	if n < 0 {
		return nil
	}
	l := make([]string, 0, n)
	for ; n > 0 && d.err == nil; n-- {
		l = append(l, d.str())
	}
	return l
}

func (d *decoder) strMap() map[string]string {
	n := d.count()
	if n < 0 {
		return nil
	}
	m := make(map[string]string, n)
	for ; n > 0 && d.err == nil; n-- {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *decoder) rule() *Rule {
	r := &Rule{}
	for _, p := range []*string{&r.ID, &r.Severity, &r.Category, &r.Summary, &r.Message, &r.Hint, &r.Doc, &r.Polyaxon, &r.Bad, &r.Good, &r.ExampleChart, &r.ExampleMajor} {
		*p = d.str()
	}
	for _, p := range []*[]string{&r.Charts, &r.Majors, &r.ExampleFlags, &r.Targets} {
		*p = d.strs()
	}
	r.Enabled, r.Fixable = d.byte() == 1, d.byte() == 1
	hasChecks := d.byte() == 1
	if checks := d.str(); hasChecks {
		r.Checks = []byte(checks)
	}
	return r
}

func (d *decoder) signals() []Signal {
	n := d.count()
	if n < 0 {
		return nil
	}
	l := make([]Signal, n)
	for i := range l {
		s := &l[i]
		s.Path, s.Matches, s.Why = d.str(), d.str(), d.str()
		s.Equals = d.value()
		s.With, s.Without = d.strs(), d.strs()
		s.Weight = d.int()
		if d.err != nil {
			return nil
		}
	}
	return l
}

func (d *decoder) signalMap() map[string][]Signal {
	n := d.count()
	if n < 0 {
		return nil
	}
	m := make(map[string][]Signal, n)
	for ; n > 0 && d.err == nil; n-- {
		k := d.str()
		m[k] = d.signals()
	}
	return m
}

// decodeKnowledge reads what encodeKnowledge wrote.
func decodeKnowledge(src string) (*Knowledge, error) {
	d := newDecoder(src)
	if v := d.uint(); d.err == nil && v != codecVersion {
		return nil, fmt.Errorf("version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	k := &Knowledge{}
	if n := d.count(); n >= 0 {
		k.Rules = make(map[string]*Rule, n)
		for ; n > 0 && d.err == nil; n-- {
			id := d.str()
			k.Rules[id] = d.rule()
		}
	}
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
	if n := d.count(); n >= 0 {
		k.Hints = make(map[string]map[string]map[string]string, n)
		for ; n > 0 && d.err == nil; n-- {
			chart := d.str()
			m := d.count()
			if m < 0 {
				k.Hints[chart] = nil
				continue
			}
			steps := make(map[string]map[string]string, m)
			for ; m > 0 && d.err == nil; m-- {
				step := d.str()
				steps[step] = d.strMap()
			}
			k.Hints[chart] = steps
		}
	}
	if n := d.count(); n >= 0 {
		k.KeyDocs = make(map[string]map[string]string, n)
		for ; n > 0 && d.err == nil; n-- {
			chart := d.str()
			k.KeyDocs[chart] = d.strMap()
		}
	}
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, d.err
	}
	return k, nil
}
