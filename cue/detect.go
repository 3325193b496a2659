package cue

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// Signal is one piece of evidence for a chart or a major version; the
// signals themselves are data (cue/detect.cue).
type Signal struct {
	Path    string   `json:"path"`
	Equals  any      `json:"equals,omitempty"`
	Matches string   `json:"matches,omitempty"`
	With    []string `json:"with,omitempty"`
	Without []string `json:"without,omitempty"`
	Weight  int      `json:"weight"`
	Why     string   `json:"why,omitempty"`

	re *regexp.Regexp
}

// SignalSet scores the candidates of one question (which chart, which major).
type SignalSet struct {
	// Order lists the candidates; on a tie the earlier one wins.
	Order   []string            `json:"order"`
	Signals map[string][]Signal `json:"signals"`
}

// DetectRules are the signals for the chart and for the major version.
type DetectRules struct {
	Chart SignalSet `json:"chart"`
	Major SignalSet `json:"major"`
}

// Compile checks the signals' regexps once.
func (r *DetectRules) Compile() error {
	for _, set := range []*SignalSet{&r.Chart, &r.Major} {
		for cand, sigs := range set.Signals {
			for i := range sigs {
				if sigs[i].Matches == "" {
					continue
				}
				re, err := regexp.Compile(sigs[i].Matches)
				if err != nil {
					return fmt.Errorf("detect signal %s %s: %w", cand, sigs[i].Path, err)
				}
				sigs[i].re = re
			}
		}
	}
	return nil
}

// Detection says which chart and major a document is, and why.
type Detection struct {
	Chart string `json:"chart"`
	Major string `json:"major"`
	// DetectedBy lists the signals that decided, or "--chart"/"--major"
	// when given, or "default" when nothing matched.
	DetectedBy []string `json:"detectedBy"`
	// Mixed lists the key signals (weight 2 or more) of other majors that
	// matched too: a half-migrated file.
	Mixed []string `json:"mixed,omitempty"`
	// MixedMajors names the majors those signals point to, and MixedPaths
	// the keys that matched them (in the order of Mixed).
	MixedMajors []string `json:"mixedMajors,omitempty"`
	MixedPaths  []string `json:"-"`
}

// Detect picks the chart and the major of doc. chart and major, when not
// empty, override detection.
func Detect(doc *values.Document, rules *DetectRules, chart, major string) Detection {
	var det Detection
	if chart != "" {
		det.Chart = chart
		det.DetectedBy = append(det.DetectedBy, "--chart "+chart)
	} else {
		c, why := best(doc.Root, &rules.Chart)
		det.Chart = c
		det.DetectedBy = append(det.DetectedBy, why...)
	}
	if major != "" {
		det.Major = major
		det.DetectedBy = append(det.DetectedBy, "--major "+major)
		return det
	}
	scores := score(doc.Root, &rules.Major)
	m, why := pickCandidate(scores, &rules.Major)
	if det.Chart == "agent" && m == "v0" {
		m = "v1" // there is no 0.x agent chart
	}
	det.Major = m
	det.DetectedBy = append(det.DetectedBy, why...)
	for _, cand := range rules.Major.Order {
		if cand == m || len(scores[cand].strong) == 0 || (cand == "v0" && det.Chart == "agent") {
			continue
		}
		det.MixedMajors = append(det.MixedMajors, cand)
		det.Mixed = append(det.Mixed, scores[cand].strong...)
		det.MixedPaths = append(det.MixedPaths, scores[cand].strongPaths...)
	}
	return det
}

type tally struct {
	score int
	why   []string
	// strong and strongPaths are the signals of weight 2 or more: keys
	// that exist in one major only (evidence of a half-migrated file,
	// unlike a pinned image tag).
	strong      []string
	strongPaths []string
}

func best(root *values.Node, set *SignalSet) (string, []string) {
	return pickCandidate(score(root, set), set)
}

func score(root *values.Node, set *SignalSet) map[string]*tally {
	out := map[string]*tally{}
	for _, cand := range set.Order {
		t := &tally{}
		for _, s := range set.Signals[cand] {
			if !s.match(root) {
				continue
			}
			why := s.Why
			if why == "" {
				why = describeSignal(s)
			}
			t.score += max(1, s.Weight)
			t.why = append(t.why, why)
			if s.Weight >= 2 {
				t.strong = append(t.strong, why)
				t.strongPaths = append(t.strongPaths, s.Path)
			}
		}
		out[cand] = t
	}
	return out
}

func pickCandidate(scores map[string]*tally, set *SignalSet) (string, []string) {
	bestCand, bestScore := "", 0
	for _, cand := range set.Order {
		if t := scores[cand]; t.score > bestScore {
			bestCand, bestScore = cand, t.score
		}
	}
	if bestCand == "" {
		return set.Order[0], []string{"default: no signal matched, assumed " + set.Order[0]}
	}
	return bestCand, scores[bestCand].why
}

func describeSignal(s Signal) string {
	switch {
	case s.Equals != nil:
		return fmt.Sprintf("`%s: %v`", s.Path, s.Equals)
	case s.Matches != "":
		return fmt.Sprintf("`%s` matches %s", s.Path, s.Matches)
	}
	return fmt.Sprintf("`%s` is set", s.Path)
}

func (s Signal) match(root *values.Node) bool {
	n := root.Lookup(strings.Split(s.Path, ".")...)
	if n == nil {
		return false
	}
	if s.Equals != nil && !values.SameScalar(n.Value, s.Equals) {
		return false
	}
	if s.re != nil {
		if n.Kind != values.StringKind && n.Kind != values.NumberKind {
			return false
		}
		if !s.re.MatchString(strings.Trim(n.Text(), `"`)) {
			return false
		}
	}
	for _, p := range s.With {
		if root.Lookup(strings.Split(p, ".")...) == nil {
			return false
		}
	}
	for _, p := range s.Without {
		if root.Lookup(strings.Split(p, ".")...) != nil {
			return false
		}
	}
	return true
}
