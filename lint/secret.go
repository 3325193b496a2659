package lint

import (
	"errors"
	"strconv"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

const redacted = redact.Mark

// markSecrets records every node whose value is a secret: at or below a key
// that cue/secrets.cue (the one definition, covering every schema's
// @px(secret) of every major) marks. It also collects the texts of those
// values in every form (r.hide), so that the same text elsewhere (an
// anchor shared with a plain key, a lower layer) is never printed either.
// It runs once per lint; isSecret is then a lookup.
func (r *run) markSecrets() {
	r.secret = map[*values.Node]bool{}
	var walk func(n *values.Node, segs []string, inherited bool)
	walk = func(n *values.Node, segs []string, inherited bool) {
		for _, e := range n.Entries {
			esegs := append(segs[:len(segs):len(segs)], e.Key)
			sec := inherited || r.l.secrets.IsSecret(esegs)
			if sec {
				r.secret[e] = true
			}
			walk(e, esegs, sec)
		}
		for i, it := range n.Items {
			if inherited {
				r.secret[it] = true
			}
			walk(it, append(segs[:len(segs):len(segs)], strconv.Itoa(i)), inherited)
		}
	}
	walk(r.doc.Root, nil, false)
	// the texts of the marked values, and of the secrets of the layers
	// and --set flags a merged document was made of
	r.hide = redact.Collect(r.l.secrets.IsSecret, r.doc.Layers...)
	r.hide.AddSets(r.l.secrets.IsSecret, r.doc.Sets)
	for n := range r.secret {
		r.hide.AddNode(n)
	}
}

// isSecret reports whether the value of n is a secret.
func (r *run) isSecret(n *values.Node) bool { return r.secret[n] }

// show renders a scalar for a message, or <redacted> for a secret's value
// or the same text under another key.
func (r *run) show(n *values.Node, secret bool) string {
	if secret || r.isSecret(n) || r.hide.Hides(n.Raw) {
		return redacted
	}
	return n.Text()
}

// dropLeakingFixes removes a suggested fix whose new text would carry a
// secret (a fix is text to apply, not a message to redact).
func (r *run) dropLeakingFixes() {
	for i := range r.diags {
		d := &r.diags[i]
		if d.Fix == nil {
			continue
		}
		for _, e := range d.Fix.Edits {
			if r.hide.Leaks(e.NewText) || r.hide.Hides(e.NewText) {
				d.Fix = nil
				break
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
