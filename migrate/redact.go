package migrate

import (
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// redactedText is what replaces a secret value in a redacted text.
const redactedText = `"<redacted>"`

// RedactedDiff is Diff of the result's input and output with the values of
// secret keys (passwords, tokens, keys: the catalogue's secret names and
// the fields the schemas of both majors mark secret) replaced by
// "<redacted>" on both sides, so that a diff printed in CI logs shows no
// secret. The rest of the diff is unchanged.
func (m *Migrator) RedactedDiff(nameA, nameB string, res *Result) string {
	return Diff(nameA, nameB, m.redact(res, res.Input, res.From), m.redact(res, res.Output, res.To))
}

// redact returns src with the values of secret keys replaced; a text that
// does not parse comes back with every line after a key redacted from its
// first colon, so that nothing leaks either.
func (m *Migrator) redact(res *Result, src []byte, major string) []byte {
	doc, err := values.Load(res.Path, src, values.DefaultLimits())
	if err != nil {
		var b strings.Builder
		for _, l := range strings.SplitAfter(string(src), "\n") {
			if k, _, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(strings.TrimSpace(l), "#") {
				b.WriteString(k + ": " + redactedText + "\n")
				continue
			}
			b.WriteString(l)
		}
		return []byte(b.String())
	}
	var schemas []*cue.Schema
	for _, mj := range []string{res.From, res.To, major} {
		if s, err := m.cat.Schema(res.Chart, mj); err == nil {
			schemas = append(schemas, s)
		}
	}
	var edits []values.Edit
	doc.Root.Walk(func(n *values.Node) bool {
		if n.Parent == nil || n.Kind == values.MapKind || n.Kind == values.ListKind || n.Kind == values.NullKind || n.Alias || n.Merged {
			return true
		}
		if !m.secretAt(schemas, n.Segments()) || n.Pos.Line == 0 {
			return true
		}
		end, ok := scalarEnd(doc, n)
		if !ok {
			// a block or multi-line scalar: up to the end of its last line
			end = doc.LineStart(max(n.EndLine, n.Pos.Line) + 1)
			for end > n.Pos.Offset && (src[end-1] == '\n' || src[end-1] == '\r') {
				end--
			}
		}
		if end > n.Pos.Offset {
			edits = append(edits, values.Edit{Start: n.Pos.Offset, End: end, NewText: redactedText})
		}
		return true
	})
	out, err := values.ApplyEdits(src, edits)
	if err != nil {
		return []byte("<redacted: " + err.Error() + ">\n")
	}
	return out
}

// secretAt reports whether segs names a secret: by the catalogue's secret
// key names, or by the Meta.Secret of the field in one of the schemas.
func (m *Migrator) secretAt(schemas []*cue.Schema, segs []string) bool {
	if m.secrets.IsSecret(segs) {
		return true
	}
	for _, s := range schemas {
		t := s.Root
		var f *cue.Field
		for _, k := range segs {
			if f = t.Field(k); f == nil {
				if t != nil && t.Open && t.Elem != nil {
					t = t.Elem
					continue
				}
				break
			}
			t = f.Type
		}
		if f != nil && f.Meta.Secret {
			return true
		}
	}
	return false
}
