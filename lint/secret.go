package lint

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

const redacted = "<redacted>"

// minScrub is the shortest secret the safety net scrubs from messages.
const minScrub = 4

// markSecrets records every node whose value is a secret: by the schema's
// @px(secret), by the name patterns of cue/secrets.cue, or because it lies
// below a secret key. It runs once per lint; isSecret is then a lookup.
func (r *run) markSecrets() {
	r.secret = map[*values.Node]bool{}
	var walk func(n *values.Node, t *cue.Type, segs []string, inherited bool)
	walk = func(n *values.Node, t *cue.Type, segs []string, inherited bool) {
		for _, e := range n.Entries {
			var ft *cue.Type
			sec := inherited
			if f := t.Field(e.Key); f != nil {
				ft, sec = f.Type, sec || f.Meta.Secret
			} else if t != nil && t.Open {
				ft = t.Elem
			}
			esegs := append(segs, e.Key)
			sec = sec || r.l.secrets.IsSecret(esegs)
			if sec {
				r.secret[e] = true
			}
			walk(e, ft, esegs[:len(esegs):len(esegs)], sec)
		}
		for i, it := range n.Items {
			var et *cue.Type
			if t != nil {
				et = t.Elem
			}
			if inherited {
				r.secret[it] = true
			}
			walk(it, et, append(segs[:len(segs):len(segs)], strconv.Itoa(i)), inherited)
		}
	}
	walk(r.doc.Root, r.schema.Root, nil, false)
}

// isSecret reports whether the value of n is a secret.
func (r *run) isSecret(n *values.Node) bool { return r.secret[n] }

// show renders a scalar for a message, or <redacted>.
func (r *run) show(n *values.Node, secret bool) string {
	if secret || r.isSecret(n) {
		return redacted
	}
	return n.Text()
}

// redact is the safety net behind every rule: whatever a rule wrote, no
// diagnostic text leaves the linter carrying the value of a secret key.
func (r *run) redact() {
	var secrets []string
	for n := range r.secret {
		// Containers have no text; a boolean or null is no secret worth
		// hiding, and scrubbing "true" would blank unrelated messages.
		if n.Kind != values.StringKind && n.Kind != values.NumberKind {
			continue
		}
		// Values shorter than minScrub are common words ("yes", "1") that
		// scrubbing would blank out of unrelated messages; rules never
		// print secret values themselves (r.show).
		if len(n.Raw) >= minScrub {
			secrets = append(secrets, n.Raw)
		}
		if s, ok := n.Value.(string); ok && s != n.Raw && len(s) >= minScrub {
			secrets = append(secrets, s)
		}
		// A number is printed by Helm and Go in other forms (1.2345678901e+10).
		if f, ok := n.Value.(float64); ok {
			for _, form := range []byte{'e', 'g', 'f'} {
				if t := strconv.FormatFloat(f, form, -1, 64); len(t) >= minScrub {
					secrets = append(secrets, t)
				}
			}
		}
	}
	// Longest first: a secret may contain another.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	if len(secrets) == 0 {
		return
	}
	scrub := func(s string) string {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, redacted)
			}
		}
		return s
	}
	for i := range r.diags {
		d := &r.diags[i]
		d.Message, d.Hint = scrub(d.Message), scrub(d.Hint)
		for j := range d.Related {
			d.Related[j].Message = scrub(d.Related[j].Message)
		}
		if d.Fix != nil {
			for _, e := range d.Fix.Edits {
				if scrub(e.NewText) != e.NewText {
					d.Fix = nil
					break
				}
			}
		}
	}
}

// lookupField returns the schema field at segs, or nil.
func lookupField(t *cue.Type, segs []string) *cue.Field {
	if len(segs) == 0 {
		return nil
	}
	parent := lookupType(t, segs[:len(segs)-1])
	if parent == nil {
		return nil
	}
	return parent.Field(segs[len(segs)-1])
}

func asValuesError(err error, target **values.Error) bool { return errors.As(err, target) }
