package cue

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/internal/message"
)

// decide fills det from the fit and the explicit signals.
func (r *DetectRules) decide(det *Detection, f *fit, pins Pins) {
	cands := r.candidates()
	if det.NotValues == "" {
		det.NotValues = f.notValues
	}
	if pins.Chart != "" {
		det.Chart = pins.Chart
		det.DetectedBy = append(det.DetectedBy, "--chart "+pins.Chart)
	} else {
		r.decideChart(det, f, cands)
	}
	if pins.Major != "" {
		det.Major = pins.Major
		det.Confidence = Pinned
		det.DetectedBy = append(det.DetectedBy, "--major "+pins.Major)
		return
	}
	r.decideMajor(det, f, cands)
}

func (r *DetectRules) decideChart(det *Detection, f *fit, cands []candidate) {
	score := map[string]int{}
	why := map[string][]string{}
	only := map[string][]string{}
	for _, e := range f.entries {
		cm, pm := chartsOf(cands, e.mask), chartsOf(cands, e.parent)
		if (!e.top && cm == pm) || popcount(uint16(cm)) != 1 {
			continue
		}
		for ci, ch := range charts {
			if cm&(1<<ci) != 0 {
				score[ch] += r.Fit.Unique
				only[ch] = append(only[ch], e.path)
			}
		}
	}
	for _, ch := range r.Chart.Order {
		if len(only[ch]) > 0 {
			why[ch] = append(why[ch], fmt.Sprintf("keys only the %s chart knows: %s", ch, message.Sample(only[ch])))
		}
		for _, s := range r.Chart.Signals[ch] {
			if s.match(f.root) {
				score[ch] += max(1, s.Weight)
				why[ch] = append(why[ch], s.why())
			}
		}
	}
	var tied []string
	for _, ch := range r.Chart.Order {
		switch {
		case len(tied) == 0 || score[ch] > score[tied[0]]:
			tied = []string{ch}
		case score[ch] == score[tied[0]]:
			tied = append(tied, ch)
		}
	}
	det.Chart = tied[0]
	if len(tied) == 1 {
		det.DetectedBy = append(det.DetectedBy, why[det.Chart]...)
		return
	}
	det.AmbiguousCharts = tied
	reason := "the first chart"
	for _, ch := range tied {
		for _, s := range r.Chart.Prefer[ch] {
			if s.match(f.root) {
				det.Chart, reason = ch, s.why()
				break
			}
		}
		if reason != "the first chart" {
			break
		}
	}
	if reason == "the first chart" {
		det.ChartUndecided = true
		reason += "; pass --chart to choose"
	}
	det.DetectedBy = append(det.DetectedBy, fmt.Sprintf("no key tells %s apart: took %s (%s)", strings.Join(tied, " from "), det.Chart, reason))
}

func (r *DetectRules) decideMajor(det *Detection, f *fit, cands []candidate) {
	ms := majors[det.Chart]
	cm := chartMask(cands, det.Chart)
	bit := func(m string) uint16 {
		for i, c := range cands {
			if c.chart == det.Chart && c.major == m {
				return 1 << i
			}
		}
		return 0
	}
	var order []string
	for _, maj := range r.Major.Order {
		if slices.Contains(ms, maj) {
			order = append(order, maj)
		}
	}
	// Explicit signals add their weight to their major in every comparison.
	sig := map[string]int{}
	var sigWhy []string
	for _, maj := range order {
		for _, s := range r.Major.Signals[maj] {
			if s.match(f.root) {
				sig[maj] += max(1, s.Weight)
				sigWhy = append(sigWhy, s.why())
			}
		}
	}
	// Majors are compared two by two: a key speaks for a against b when a
	// knows it, b does not even accept it (b would call it unknown), and
	// both knew its parent (below a section only a knows, the section
	// already said so once).
	lead := func(a, b string) int {
		ba, bb := bit(a), bit(b)
		n := sig[a] - sig[b]
		wa, wb := 1, 1 // the newer major's keys count r.Fit.Newer times
		if slices.Index(ms, a) > slices.Index(ms, b) {
			wa = max(1, r.Fit.Newer)
		} else {
			wb = max(1, r.Fit.Newer)
		}
		for _, e := range f.entries {
			m, p := e.mask&cm, e.parent&cm
			if !e.top && (p&ba == 0 || p&bb == 0 || m == p) {
				continue
			}
			w := r.Fit.weight(popcount(m), len(ms))
			switch acc := e.accepted & cm; {
			case m&ba != 0 && (m|acc)&bb == 0:
				n += w * wa
			case m&bb != 0 && (m|acc)&ba == 0:
				n -= w * wb
			}
		}
		return n
	}
	// The winners are those of the Schulze method over the leads: a major
	// wins when no other beats it through any chain of comparisons (a
	// half-migrated file where v2 beats v1, v1 beats v0 and v0 beats v2
	// still gets an answer). Several winners are an ambiguity.
	n := len(order)
	p := make([][]int, n)
	for i := range p {
		p[i] = make([]int, n)
		for j := range p[i] {
			if i != j {
				p[i][j] = max(0, lead(order[i], order[j]))
			}
		}
	}
	for k := range n {
		for i := range n {
			for j := range n {
				if i != j && i != k && j != k {
					p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
				}
			}
		}
	}
	var tied []string
	margin := 0
	for i, a := range order {
		least, beaten := 1<<30, false
		for j := range order {
			if i == j {
				continue
			}
			if p[j][i] > p[i][j] {
				beaten = true
				break
			}
			least = min(least, p[i][j]-p[j][i])
		}
		if !beaten {
			if len(tied) == 0 {
				margin = least
			}
			tied = append(tied, a)
		}
	}
	det.Major = tied[0]
	det.Scores = map[string]int{}
	var sc []string
	for _, maj := range order {
		if maj != det.Major {
			det.Scores[maj] = lead(det.Major, maj)
			sc = append(sc, fmt.Sprintf("%s by %d over %s", det.Major, det.Scores[maj], maj))
		}
	}
	win := bit(det.Major)
	det.DetectedBy = append(det.DetectedBy, r.evidence(f, cands, cm, win, ms)...)
	det.DetectedBy = append(det.DetectedBy, sigWhy...)
	switch {
	case len(tied) > 1:
		det.Confidence = Ambiguous
		det.Ambiguous = tied
		det.DetectedBy = append(det.DetectedBy, fmt.Sprintf("ambiguous: none of %s fits better than the others (%s); took %s, the newest (pass --major to choose)", strings.Join(tied, " and "), strings.Join(sc, ", "), det.Major))
	case margin < r.Fit.WeakMargin:
		det.Confidence = Weak
		det.DetectedBy = append(det.DetectedBy, fmt.Sprintf("weak: %s", strings.Join(sc, ", ")))
	default:
		det.Confidence = Strong
		det.DetectedBy = append(det.DetectedBy, strings.Join(sc, ", "))
	}
	// keys the winner does not know and another major does: a half-migrated
	// file (typos are not evidence of one, nor a key the winner accepts
	// without a template reading it: `connections[].name` in v1 is read by
	// Polyaxon's services from the list the chart passes whole)
	var other uint16
	for _, e := range f.entries {
		m := e.mask & cm
		if m == 0 || m&win != 0 || e.accepted&win != 0 || e.typo != "" || (!e.top && e.parent&win == 0) {
			continue
		}
		other |= m
		det.MixedPaths = append(det.MixedPaths, e.path)
		det.Mixed = append(det.Mixed, fmt.Sprintf("`%s` is a %s key", e.path, strings.Join(names(cands, m, false), "/")))
	}
	det.MixedMajors = names(cands, other, false)
}

// evidence describes the keys that speak for the major win: grouped by the
// majors that know them, the most telling first.
func (r *DetectRules) evidence(f *fit, cands []candidate, cm, win uint16, ms []string) []string {
	var groups []uint16
	byGroup := map[uint16][]string{}
	var typos []string
	for _, e := range f.entries {
		m, p := e.mask&cm, e.parent&cm
		if m&win == 0 || (!e.top && m == p) || popcount(m) >= len(ms) {
			continue
		}
		if _, ok := byGroup[m]; !ok {
			groups = append(groups, m)
		}
		byGroup[m] = append(byGroup[m], e.path)
		if e.typo != "" {
			typos = append(typos, fmt.Sprintf("`%s` read as `%s` (a typo?)", e.path, e.typo))
		}
	}
	slices.SortStableFunc(groups, func(a, b uint16) int { return popcount(a) - popcount(b) })
	var out []string
	for _, g := range groups {
		n := names(cands, g, false)
		what := "only " + n[0] + " knows"
		if len(n) > 1 {
			what = strings.Join(n, " and ") + " know"
		}
		out = append(out, fmt.Sprintf("keys %s: %s", what, message.Sample(byGroup[g])))
	}
	return append(out, typos...)
}
