package migrate

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

// redactedText is what replaces a secret value in a redacted text.
const redactedText = `"<redacted>"`

// RedactedDiff is Diff of the result's input and output with every secret
// value replaced by "<redacted>" on both sides, so that a diff printed in CI
// logs shows no secret: a value at or below a secret key (cue/secrets.cue,
// the one definition) and the same text anywhere else (an anchor shared with
// a plain key, a value an alias or merge carries to a secret key). The rest
// of the diff is unchanged.
func (m *Migrator) RedactedDiff(nameA, nameB string, res *Result) string {
	in, inErr := values.Load(res.Path, res.Input, values.DefaultLimits())
	out, outErr := values.Load(res.Path, res.Output, values.DefaultLimits())
	var docs []*values.Document
	for i, d := range []*values.Document{in, out} {
		if []error{inErr, outErr}[i] == nil {
			docs = append(docs, d)
		}
	}
	isSecret := m.secrets.IsSecret
	if vp := res.ValuesPath; vp != "" {
		// an umbrella file: Polyaxon's secrets are under its section
		isSecret = func(path []string) bool { return len(path) > 1 && path[0] == vp && m.secrets.IsSecret(path[1:]) }
	}
	secrets := redact.Collect(isSecret, docs...)
	return Diff(nameA, nameB, redactDoc(in, inErr, res.Input, secrets, isSecret), redactDoc(out, outErr, res.Output, secrets, isSecret))
}

// redactDoc returns src (parsed as doc, unless err) with every secret
// scalar (at a path isSecret names, or of a text secrets hides) replaced. A
// text that does not parse comes back with every line after a key redacted
// from its first colon, so that nothing leaks either.
func redactDoc(doc *values.Document, err error, src []byte, secrets *redact.Set, isSecret func([]string) bool) []byte {
	if err != nil {
		return redactLines(src)
	}
	var edits []values.Edit
	var walk func(n *values.Node, segs []string, secret bool)
	walk = func(n *values.Node, segs []string, secret bool) {
		if n.Kind != values.MapKind && n.Kind != values.ListKind {
			if n.Kind != values.NullKind && (secret || secrets.Hides(n.Raw) || secrets.Hides(n.Text())) {
				if s, e, ok := doc.ScalarSpan(n); ok {
					edits = append(edits, values.Edit{Start: s, End: e, NewText: redactedText})
				}
			}
			return
		}
		for _, e := range n.Entries {
			es := append(segs[:len(segs):len(segs)], e.Key)
			walk(e, es, secret || isSecret(es))
		}
		for i, it := range n.Items {
			is := append(segs[:len(segs):len(segs)], strconv.Itoa(i))
			walk(it, is, secret || isSecret(is))
		}
	}
	walk(doc.Root, nil, false)
	// the same token reached twice (an anchor and its alias): once
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	kept := edits[:0]
	for _, e := range edits {
		if len(kept) > 0 && e.Start < kept[len(kept)-1].End {
			continue
		}
		kept = append(kept, e)
	}
	out, err := values.ApplyEdits(src, kept)
	if err != nil {
		return redactLines(src)
	}
	return out
}

// redactLines replaces everything after the first colon of every line that
// is not a comment, and the whole of a line without a colon.
func redactLines(src []byte) []byte {
	var b strings.Builder
	for _, l := range strings.SplitAfter(string(src), "\n") {
		t := strings.TrimSpace(l)
		switch k, _, ok := strings.Cut(l, ":"); {
		case t == "" || strings.HasPrefix(t, "#"):
			b.WriteString(l)
		case ok:
			b.WriteString(k + ": " + redactedText + "\n")
		default:
			b.WriteString(l[:len(l)-len(strings.TrimLeft(l, " "))] + redactedText + "\n")
		}
	}
	return []byte(b.String())
}
