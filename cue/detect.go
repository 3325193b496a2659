package cue

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// Signal is one piece of explicit evidence for a chart or a major version;
// the signals themselves are data (cue/detect.cue).
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
	// Prefer lists, per candidate, the signals that win it a tie.
	Prefer map[string][]Signal `json:"prefer,omitempty"`
}

// FitParams are the weights of the schema-fit score (cue/detect.cue `fit`).
type FitParams struct {
	Unique        int     `json:"unique"`
	Shared        int     `json:"shared"`
	Newer         int     `json:"newer"`
	WeakMargin    int     `json:"weakMargin"`
	MinKnown      float64 `json:"minKnown"`
	UmbrellaKnown float64 `json:"umbrellaKnown"`
	UmbrellaKeys  int     `json:"umbrellaKeys"`
}

// DetectRules are the weights and signals for the chart and the major
// version, with the schemas the fit is measured against (attached by
// Catalog.DetectRules).
type DetectRules struct {
	Fit       FitParams `json:"fit"`
	Chart     SignalSet `json:"chart"`
	Major     SignalSet `json:"major"`
	NotValues []Signal  `json:"notValues"`

	// schemas[chart][i] is the schema of Majors(chart)[i].
	schemas map[string][]*Schema
}

// Compile checks the signals' regexps once.
func (r *DetectRules) Compile() error { return r.compile(nil) }

// compile compiles the signals' regexps, each source once with res.
func (r *DetectRules) compile(res *regexpCache) error {
	compile := func(what string, sigs []Signal) error {
		for i := range sigs {
			if sigs[i].Matches == "" {
				continue
			}
			re, err := res.compile(sigs[i].Matches)
			if err != nil {
				return fmt.Errorf("detect signal %s %s: %w", what, sigs[i].Path, err)
			}
			sigs[i].re = re
		}
		return nil
	}
	for _, set := range []*SignalSet{&r.Chart, &r.Major} {
		for cand, sigs := range set.Signals {
			if err := compile(cand, sigs); err != nil {
				return err
			}
		}
		for cand, sigs := range set.Prefer {
			if err := compile(cand, sigs); err != nil {
				return err
			}
		}
	}
	return compile("notValues", r.NotValues)
}

// Confidence levels of a Detection.
const (
	// Pinned: the chart and major were given (flag or configuration).
	Pinned = "pinned"
	// Strong: the winner leads by at least one key only it knows.
	Strong = "strong"
	// Weak: the winner leads by less than that.
	Weak = "weak"
	// Ambiguous: several majors fit equally; the newest was taken.
	Ambiguous = "ambiguous"
)

// Detection says which chart and major a document is, and why.
type Detection struct {
	Chart string `json:"chart"`
	Major string `json:"major"`
	// DetectedBy lists the evidence that decided, or "--chart"/"--major"
	// when given.
	DetectedBy []string `json:"detectedBy"`
	// Confidence is Pinned, Strong, Weak or Ambiguous.
	Confidence string `json:"confidence,omitempty"`
	// Ambiguous lists the majors of Chart that fit equally well (Major is
	// one of them), newest first; nil when one major fits best.
	Ambiguous []string `json:"ambiguous,omitempty"`
	// AmbiguousCharts lists the charts that fit equally well when the file
	// does not tell platform from agent.
	AmbiguousCharts []string `json:"ambiguousCharts,omitempty"`
	// ChartUndecided is set when nothing (no key, no preference signal)
	// told the tied charts apart: Chart is then the first of the order, a
	// guess that advice naming a command must pin (--chart).
	ChartUndecided bool `json:"chartUndecided,omitempty"`
	// Scores are the lead of Major over each other major of Chart: the
	// weights of the keys and signals that speak for it minus those against.
	Scores map[string]int `json:"scores,omitempty"`
	// ValuesPath is the top-level key the Polyaxon values sit under in an
	// umbrella chart's values ("" for the root).
	ValuesPath string `json:"valuesPath,omitempty"`
	// NotValues, when not empty, says why the file does not look like
	// Polyaxon values.
	NotValues string `json:"notValues,omitempty"`
	// Mixed lists the keys of other majors only (a half-migrated file), as
	// evidence text; MixedMajors names those majors and MixedPaths the keys
	// (dotted, from the values root).
	Mixed       []string `json:"mixed,omitempty"`
	MixedMajors []string `json:"mixedMajors,omitempty"`
	MixedPaths  []string `json:"-"`
}

// Candidates returns the majors the file may be: the tied majors when
// ambiguous, else the detected major alone.
func (d Detection) Candidates() []string {
	if len(d.Ambiguous) > 0 {
		return d.Ambiguous
	}
	return []string{d.Major}
}

// Uncertain reports whether the answer is ambiguous or weak: advice that
// depends on the major must then name it (--major, --from).
func (d Detection) Uncertain() bool {
	return d.Confidence == Ambiguous || d.Confidence == Weak
}

// Pins are what the user fixed: chart, major, and where the values sit.
type Pins struct {
	Chart, Major string
	// ValuesPath is the top-level key of an umbrella chart's values that
	// holds Polyaxon's values; "." pins the root (no umbrella detection).
	ValuesPath string
}

// Detect picks the chart and the major of doc. chart and major, when not
// empty, override detection.
func Detect(doc *values.Document, rules *DetectRules, chart, major string) Detection {
	return DetectPinned(doc, rules, Pins{Chart: chart, Major: major, ValuesPath: "."})
}

// DetectPinned detects what pins leave open, including, unless
// pins.ValuesPath is set, Polyaxon values nested under one top-level key of
// an umbrella chart (Detection.ValuesPath; see ValuesRoot).
func DetectPinned(doc *values.Document, rules *DetectRules, pins Pins) Detection {
	root := doc.Root
	var det Detection
	switch pins.ValuesPath {
	case "", ".":
	default:
		det.ValuesPath = pins.ValuesPath
		root = doc.Root.Get(pins.ValuesPath)
		det.DetectedBy = append(det.DetectedBy, "--values-path "+pins.ValuesPath)
		if root == nil || root.Kind != values.MapKind {
			det.NotValues = fmt.Sprintf("no map under `%s`", pins.ValuesPath)
			det.Chart, det.Major = pinOr(pins.Chart, rules.Chart.Order[0]), pinOr(pins.Major, "")
			return det
		}
	}
	if det.ValuesPath != "" {
		root = doc.Sub(root).Root // paths relative to the values root
	}
	f := rules.measure(root)
	if pins.ValuesPath == "" && f.known < rules.Fit.MinKnown && !f.decided {
		if key, sub := rules.umbrella(root, f); sub != nil {
			det.ValuesPath = key
			det.DetectedBy = append(det.DetectedBy, fmt.Sprintf("Polyaxon values under `%s` (%.0f%% of its keys known, %.0f%% at the top level)", key, sub.known*100, f.known*100))
			f = rules.measure(doc.Sub(root.Get(key)).Root)
		}
	}
	rules.decide(&det, f, pins)
	return det
}

func pinOr(pin, def string) string {
	if pin != "" {
		return pin
	}
	return def
}

// ValuesRoot returns the document det applies to: doc itself, or, for
// values under an umbrella chart's key, a document whose root is that
// subtree (positions and source unchanged, paths relative to the subtree).
func ValuesRoot(doc *values.Document, det Detection) *values.Document {
	if det.ValuesPath == "" {
		return doc
	}
	sub := doc.Root.Get(det.ValuesPath)
	if sub == nil || sub.Kind != values.MapKind {
		return doc
	}
	return doc.Sub(sub)
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

func (s Signal) why() string {
	if s.Why != "" {
		return s.Why
	}
	return describeSignal(s)
}

func (s Signal) match(root *values.Node) bool {
	for _, n := range lookupAll(root, s.Path) {
		if s.matchNode(root, n) {
			return true
		}
	}
	return false
}

// lookupAll returns the nodes at a dotted path whose `*` segments match
// every key of a map; where a key is missing, keys one edit away stand in.
func lookupAll(root *values.Node, path string) []*values.Node {
	cur := []*values.Node{root}
	for _, seg := range strings.Split(path, ".") {
		var next []*values.Node
		for _, n := range cur {
			switch c := n.Get(seg); {
			case seg == "*":
				next = append(next, n.Live()...)
			case c != nil:
				next = append(next, c)
			default:
				// a key one edit away is that key misspelt: a typo does not
				// change what the file says
				for _, e := range n.Live() {
					if oneEdit(e.Key, seg) {
						next = append(next, e)
					}
				}
			}
		}
		cur = next
	}
	return cur
}

func (s Signal) matchNode(root, n *values.Node) bool {
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
		if len(lookupAll(root, p)) == 0 {
			return false
		}
	}
	for _, p := range s.Without {
		if len(lookupAll(root, p)) != 0 {
			return false
		}
	}
	return true
}
