package verify

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// knowledge.json is cue/verify compiled (cue/internal/verifygen, whose test
// checks it is up to date).
//
//go:generate go run ../../cue/internal/verifygen -src ../../cue/verify -out knowledge.json
//go:embed knowledge.json
var knowledgeJSON []byte

// Knowledge is what verify compares: cue/verify as Go structures.
type Knowledge struct {
	Kinds       []string                                `json:"kinds"`
	Pairs       []Pair                                  `json:"pairs"`
	Sections    map[string]map[string]map[string]string `json:"sections"`
	Keys        []KeyRule                               `json:"keys"`
	MustSurvive []Match                                 `json:"mustSurvive"`
	Intended    []IntendedRule                          `json:"intended"`
	Subcharts   map[string]Subchart                     `json:"subcharts"`
	Connections []string                                `json:"connections"`
}

// Pair maps the objects of one major to the next.
type Pair struct {
	Chart   string            `json:"chart"`
	From    string            `json:"from"`
	To      string            `json:"to"`
	Objects map[string]string `json:"objects"`
	Reasons map[string]string `json:"reasons"`
	// Settings renamed: old setting -> new setting.
	Settings map[string]string `json:"settings"`
	// Switches renamed: old values key -> new values key.
	Switches map[string]string `json:"switches"`
}

// KeyRule names the values keys that control a setting.
type KeyRule struct {
	Object  string   `json:"object"`
	Setting string   `json:"setting"`
	Keys    []string `json:"keys"`
	match   matcher
}

// Match selects settings that must survive.
type Match struct {
	Object  string `json:"object"`
	Setting string `json:"setting"`
	Why     string `json:"why"`
	match   matcher
}

// IntendedRule is a difference the migration guide intends.
type IntendedRule struct {
	Object    string   `json:"object"`
	Setting   string   `json:"setting"`
	Reason    string   `json:"reason"`
	From      []string `json:"from"`
	OldAbsent bool     `json:"oldAbsent"`
	OldValue  string   `json:"oldValue"`
	NewValue  string   `json:"newValue"`
	match     matcher
	values    [2]*regexp.Regexp
}

// Subchart is a sub-chart a Polyaxon chart may carry.
type Subchart struct {
	// Defaults are the values of the sub-chart that Polyaxon's own
	// templates read; they are given when the sub-chart is absent.
	Defaults map[string]any `json:"defaults"`
}

type matcher struct{ object, setting *regexp.Regexp }

func newMatcher(object, setting string) (matcher, error) {
	if object == "" {
		object = ".*"
	}
	o, err := regexp.Compile("^(?:" + object + ")$")
	if err != nil {
		return matcher{}, err
	}
	s, err := regexp.Compile("^(?:" + setting + ")$")
	if err != nil {
		return matcher{}, err
	}
	return matcher{o, s}, nil
}

func (m matcher) matches(object, setting string) bool {
	return m.object.MatchString(object) && m.setting.MatchString(setting)
}

// LoadKnowledge decodes the embedded knowledge.
func LoadKnowledge() (*Knowledge, error) {
	var k Knowledge
	dec := json.NewDecoder(bytes.NewReader(knowledgeJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("verify knowledge: %w", err)
	}
	var err error
	for i := range k.Keys {
		if k.Keys[i].match, err = newMatcher(k.Keys[i].Object, k.Keys[i].Setting); err != nil {
			return nil, fmt.Errorf("verify knowledge: keys: %w", err)
		}
	}
	for i := range k.MustSurvive {
		if k.MustSurvive[i].match, err = newMatcher(k.MustSurvive[i].Object, k.MustSurvive[i].Setting); err != nil {
			return nil, fmt.Errorf("verify knowledge: mustSurvive: %w", err)
		}
	}
	for i := range k.Intended {
		r := &k.Intended[i]
		if r.match, err = newMatcher(r.Object, r.Setting); err != nil {
			return nil, fmt.Errorf("verify knowledge: intended: %w", err)
		}
		for j, src := range []string{r.OldValue, r.NewValue} {
			if src == "" {
				src = ".*"
			}
			if r.values[j], err = regexp.Compile("^(?:" + src + ")$"); err != nil {
				return nil, fmt.Errorf("verify knowledge: intended: %w", err)
			}
		}
	}
	return &k, nil
}

// pair returns the object mapping from one major to another (nil when
// the majors are the same or unknown).
func (k *Knowledge) pair(chart, from, to string) *Pair {
	for i := range k.Pairs {
		p := &k.Pairs[i]
		if p.Chart == chart && p.From == from && p.To == to {
			return p
		}
	}
	return nil
}

func (k *Knowledge) compared(kind string) bool { return slices.Contains(k.Kinds, kind) }

// mustSurvive returns why the setting must survive, or "".
func (k *Knowledge) mustSurvive(object, setting string) string {
	for _, m := range k.MustSurvive {
		if m.match.matches(object, setting) {
			return m.Why
		}
	}
	return ""
}

// intended returns the migration guide's reason for the difference, or "".
func (k *Knowledge) intended(object, setting, from, old, new string) string {
	for _, r := range k.Intended {
		if len(r.From) > 0 && !slices.Contains(r.From, from) {
			continue
		}
		if r.OldAbsent && old != absent {
			continue
		}
		if !r.values[0].MatchString(old) || !r.values[1].MatchString(new) {
			continue
		}
		if r.match.matches(object, setting) {
			return r.Reason
		}
	}
	return ""
}

// keys returns the values keys that control the setting of object in
// chart's major, with the object's section filled in.
func (k *Knowledge) keys(chart, major, object, setting string) []string {
	section := k.Sections[chart][major][object]
	var out []string
	for _, r := range k.Keys {
		if !r.match.matches(object, setting) {
			continue
		}
		for _, key := range r.Keys {
			if strings.Contains(key, "{s}") {
				if section == "" {
					continue
				}
				key = strings.ReplaceAll(key, "{s}", section)
			}
			if !slices.Contains(out, key) {
				out = append(out, key)
			}
		}
	}
	return out
}
