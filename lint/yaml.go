package lint

import (
	"strconv"

	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/values"
)

// checkYAML reports where Helm's reading of the text differs from what the
// author likely meant: duplicate keys and YAML 1.1-only scalars.
func (r *run) checkYAML(root *values.Node) {
	var walk func(n *values.Node, secret bool)
	walk = func(n *values.Node, secret bool) {
		for _, e := range n.Entries {
			esecret := secret || r.isSecret(e)
			if e.Shadowed && !e.Merged && e.Shadow != nil && !e.Shadow.Merged {
				r.report(ruleid.DuplicateKey, e.Shadow.KeyPos, e.Shadow.Path(), map[string]string{
					"key": e.Key, "firstLine": strconv.Itoa(e.KeyPos.Line),
				}, Related{Pos: e.KeyPos, Path: e.Path(), Message: "first `" + e.Key + "`, ignored by Helm"})
			}
			if e.Shadowed && !e.Merged && e.Shadow != nil && e.Shadow.Merged {
				r.report(ruleid.MergeOverride, e.KeyPos, e.Path(), map[string]string{
					"key": e.Key, "mergeLine": strconv.Itoa(e.Shadow.MergePos.Line),
				}, Related{Pos: e.Shadow.MergePos, Path: e.Path(), Message: "the `<<` merge that wins"})
			}
			if e.RawKey != "" && e.RawKey != e.Key && !e.Merged {
				r.report(ruleid.Yaml11Key, e.KeyPos, e.Path(), map[string]string{"raw": e.RawKey, "key": e.Key})
			}
			if !e.Merged && !e.Alias {
				walk(e, esecret)
			}
		}
		for _, it := range n.Items {
			if !it.Alias {
				walk(it, secret)
			}
		}
		if n.Kind != values.MapKind && n.Kind != values.ListKind && n.Plain && !n.Alias {
			r.checkYAML11(n, secret)
		}
	}
	walk(root, false)
}

func (r *run) checkYAML11(n *values.Node, secret bool) {
	y12 := values.Resolve12(n.Raw)
	if values.SameScalar(y12, n.Value) {
		return
	}
	helm, yaml12, canonical := describeScalar(n.Value), describeScalar(y12), values.ScalarText(n.Value)
	raw := n.Raw
	if secret {
		raw, helm, yaml12, canonical = redacted, redacted, redacted, redacted
	}
	d := r.report(ruleid.Yaml11Scalar, n.Pos, n.Path(), map[string]string{"raw": raw, "helm": helm, "yaml12": yaml12, "canonical": canonical})
	if d == nil || secret {
		return
	}
	start, end := n.Pos.Offset, n.Pos.Offset+len(n.Raw)
	if src := r.doc.Source(n.Pos.File); end <= len(src) && string(src[start:end]) == n.Raw {
		d.Fix = &Fix{Message: "write what Helm reads", Edits: []values.Edit{{Start: start, End: end, NewText: canonical}}}
	}
}

func describeScalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	case float64:
		return "the number " + num(x)
	case string:
		return "the string " + strconv.Quote(x)
	}
	return "?"
}
