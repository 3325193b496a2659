package lint

import (
	"errors"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

const redacted = "<redacted>"

// minScrub is the shortest secret the safety net scrubs from messages.
const minScrub = 4

// isSecret reports whether the value of n is a secret, by the schema's
// @px(secret) or by the name patterns of cue/secrets.cue.
func (r *run) isSecret(n *values.Node) bool {
	segs := n.Segments()
	if r.l.secrets.IsSecret(segs) {
		return true
	}
	if t := lookupField(r.schema.Root, segs); t != nil && t.Meta.Secret {
		return true
	}
	return false
}

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
	var walk func(n *values.Node, secret bool)
	walk = func(n *values.Node, secret bool) {
		secret = secret || (n.Parent != nil && r.isSecret(n))
		switch n.Kind {
		case values.MapKind:
			for _, e := range n.Entries {
				walk(e, secret)
			}
		case values.ListKind:
			for _, it := range n.Items {
				walk(it, secret)
			}
		default:
			// Values shorter than minScrub are common words ("yes", "1")
			// that scrubbing would blank out of unrelated messages; rules
			// never print secret values themselves (r.show).
			if secret && len(n.Raw) >= minScrub {
				secrets = append(secrets, n.Raw)
			}
			if s, ok := n.Value.(string); secret && ok && s != n.Raw && len(s) >= minScrub {
				secrets = append(secrets, s)
			}
		}
	}
	walk(r.doc.Root, false)
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
