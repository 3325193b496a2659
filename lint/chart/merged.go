package chart

import (
	"fmt"
	"strconv"

	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// lintMerged lints the user's values layered over the chart's values.yaml
// and keeps what only the combination shows: findings neither the chart's
// defaults alone nor the user's values alone produce (a cross-field rule
// whose other half is a chart default, say).
func (k *checker) lintMerged() error {
	if k.c.Defaults == nil {
		return nil
	}
	l, opts := k.opts.Lint, k.opts.LintOptions
	merged, err := values.Merge(values.Layers{Files: []*values.Document{k.c.Defaults, k.user}})
	if err != nil {
		return fmt.Errorf("merging values over the chart's defaults: %w", err)
	}
	if opts.Chart == "" || opts.Major == "" {
		// Detect on the user's values: the chart's defaults hold keys of
		// every section and would outvote them.
		res, err := l.Lint(k.user, opts)
		if err != nil {
			return err
		}
		opts.Chart, opts.Major = res.Chart, res.Major
	}
	seen := map[string]bool{}
	for _, doc := range []*values.Document{k.c.Defaults, k.user} {
		res, err := l.Lint(doc, opts)
		if err != nil {
			return err
		}
		for _, d := range res.Diagnostics {
			seen[d.Rule+"\x00"+d.Path] = true
		}
	}
	res, err := l.Lint(merged, opts)
	if err != nil {
		return err
	}
	for _, d := range res.Diagnostics {
		if seen[d.Rule+"\x00"+d.Path] || d.Rule == ruleid.MixedVersion {
			continue
		}
		if k.opts.Enabled != nil && !k.opts.Enabled(d.Rule) {
			continue
		}
		d.Fix = nil // edits of a merged document may span layers
		d.Related = append(d.Related, lint.Related{Pos: k.user.Start(), Message: "found in these values merged over the chart's defaults (" + strconv.Quote(k.c.Path) + ")"})
		k.diags = append(k.diags, d)
	}
	return nil
}
