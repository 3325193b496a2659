package cue

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/internal/cond"
)

// knowledge is the decoded small data: rules, signals, secrets, hints.
type knowledge struct {
	rules  *Rules
	detect *DetectRules
	// secretName is the alternation of cue/secrets.cue's name patterns:
	// one pass over a key name instead of one per pattern.
	secretName     *regexp.Regexp
	secretSubtrees [][]string
	hints          map[string]map[string]map[string]string
	keyDocs        map[string]map[string]string
	// names caches secretName matches by key: keys repeat across files.
	names sync.Map
}

func (c *Catalog) knowledge() (*knowledge, error) {
	c.knowOnce.Do(func() { c.know, c.knowErr = buildKnowledge(&c.res) })
	return c.know, c.knowErr
}

func buildKnowledge(res *regexpCache) (*knowledge, error) {
	ck, err := loadKnowledge()
	if err != nil {
		return nil, err
	}
	if err := ck.Detect.compile(res); err != nil {
		return nil, fmt.Errorf("cue/detect.cue: %w", err)
	}
	for _, r := range ck.Rules {
		for i, c := range r.Checks {
			// compiled once here, read-only after: every Linter of the
			// catalog shares them
			for _, x := range []*cond.Cond{c.When, c.Then} {
				if err := x.Compile(nil); err != nil {
					return nil, fmt.Errorf("rule %s check %d: %w", r.ID, i, err)
				}
			}
		}
	}
	k := &knowledge{rules: newRules(ck.Rules), detect: &ck.Detect, hints: ck.Hints, keyDocs: ck.KeyDocs}
	alts := make([]string, 0, len(ck.Secrets.Names))
	for _, n := range ck.Secrets.Names {
		if _, err := syntax.Parse(n, syntax.Perl); err != nil {
			return nil, fmt.Errorf("cue/secrets.cue: %w", err)
		}
		// a group keeps a pattern's flags and anchors its own
		alts = append(alts, "(?:"+n+")")
	}
	if len(alts) > 0 {
		re, err := regexp.Compile(strings.Join(alts, "|"))
		if err != nil {
			return nil, fmt.Errorf("cue/secrets.cue: %w", err)
		}
		k.secretName = re
	}
	for _, s := range ck.Secrets.Subtrees {
		k.secretSubtrees = append(k.secretSubtrees, strings.Split(s, "."))
	}
	return k, nil
}

// Secrets decides which values are secrets.
type Secrets struct{ k *knowledge }

// Secrets returns the secret-key patterns of cue/secrets.cue.
func (c *Catalog) Secrets() (Secrets, error) {
	k, err := c.knowledge()
	return Secrets{k}, err
}

// IsSecret reports whether the value at segs (keys from the root; list
// indices allowed) is a secret: at or below a key whose name or place
// cue/secrets.cue marks. It is the one definition of a secret key.
func (s Secrets) IsSecret(segs []string) bool {
	if s.k == nil || len(segs) == 0 {
		return false
	}
	for _, seg := range segs {
		if s.k.nameIsSecret(seg) {
			return true
		}
	}
	for _, pat := range s.k.secretSubtrees {
		if matchPrefix(pat, segs) {
			return true
		}
	}
	return false
}

// matchPrefix reports whether pat matches a prefix of segs at any depth
// for a leading `*`, or from the root otherwise.
func matchPrefix(pat, segs []string) bool {
	for start := 0; start < len(segs); start++ {
		if start > 0 && pat[0] != "*" {
			return false
		}
		if len(segs)-start < len(pat) {
			return false
		}
		ok := true
		for i, p := range pat {
			if p != "*" && p != segs[start+i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (k *knowledge) nameIsSecret(name string) bool {
	if v, ok := k.names.Load(name); ok {
		return v.(bool)
	}
	secret := k.secretName != nil && k.secretName.MatchString(name)
	k.names.Store(name, secret)
	return secret
}

// MoveNote returns the hint for a key of major from that a file of major to
// carries, following the steps between them, or "". A "{to}" in the hint
// becomes the target major.
func (c *Catalog) MoveNote(chart, from, to, path string) string {
	k, err := c.knowledge()
	if err != nil {
		return ""
	}
	ms := majors[chart]
	fi, ti := slices.Index(ms, from), slices.Index(ms, to)
	if fi < 0 || ti < 0 || fi >= ti {
		return ""
	}
	for i := fi; i < ti; i++ {
		step := ms[i] + "->" + ms[i+1]
		h := k.hints[chart][step]
		// the key itself or its closest listed ancestor
		for p := path; p != ""; p = parentPath(p) {
			if note, ok := h[p]; ok {
				return strings.ReplaceAll(note, "{to}", to)
			}
		}
	}
	return ""
}

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// KeyDocs returns what the keys of chart operators set most are for
// (cue/keydocs.cue), by dotted path, `*` standing for any one key: the
// descriptions of the exported JSON Schema (ExportOptions.Docs).
func (c *Catalog) KeyDocs(chart string) (map[string]string, error) {
	k, err := c.knowledge()
	if err != nil {
		return nil, err
	}
	return k.keyDocs[chart], nil
}
