package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/helm"
	"github.com/pxvalues/pxvalues/internal/par"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/chart"
)

// chartCheck is `pxvalues lint --chart-dir DIR|TGZ`: each linted input is
// also checked against a real chart (lint/chart). Only this file imports
// lint/chart, and nothing here runs without --chart-dir.
type chartCheck struct {
	ch   *chart.Chart
	opts chart.Options
	// note is said once on stderr (no Helm to render with).
	note string
}

// newChartCheck loads the chart and prepares the check; it returns nil when
// dir is empty. It fills opts.Chart and opts.Major from a Polyaxon chart's
// name and version when the user gave none.
func newChartCheck(e *env, l *lint.Linter, cat *cue.Catalog, dir string, opts *lint.Options) (*chartCheck, error) {
	if dir == "" {
		return nil, nil
	}
	ch, err := chart.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("--chart-dir: %w", err)
	}
	if c, m := ch.Polyaxon(cat); c != "" {
		if opts.Chart == "" {
			opts.Chart = c
		}
		if opts.Major == "" && opts.Chart == c {
			opts.Major = m
		}
	}
	secrets, err := cat.Secrets()
	if err != nil {
		return nil, err
	}
	k := &chartCheck{ch: ch}
	k.opts = chart.Options{
		Rules:       l.Rules(),
		Enabled:     l.Enabled(*opts),
		IsSecret:    secrets.IsSecret,
		Lint:        l,
		LintOptions: *opts,
	}
	k.opts.Helm, k.note = findHelm(e)
	return k, nil
}

// findHelm returns the Helm binary: $HELM_BIN (set by Helm for plugins),
// else helm on $PATH; or "" and a note saying the render is skipped.
func findHelm(e *env) (string, string) {
	if b := helm.Find(e.getenv); b != "" {
		return b, ""
	}
	return "", "pxvalues: --chart-dir: no helm on PATH (nor HELM_BIN): the chart's templates were not rendered"
}

// run checks every input that linted (outcomes from lint.Run, whose
// documents it reuses) and adds the findings to its result. An input whose
// check cannot run (Helm cannot be started, say) is said on stderr and
// marked broken (exit code 2); the others are still checked and reported.
func (k *chartCheck) run(e *env, outcomes []lint.Outcome, broken []bool) {
	if k.note != "" {
		fmt.Fprintln(e.stderr, k.note)
	}
	// Each check renders the chart once (a helm process): run them on every
	// core, then report in input order.
	diags := make([][]lint.Diagnostic, len(outcomes))
	errs := make([]error, len(outcomes))
	par.Do(len(outcomes), runtime.GOMAXPROCS(0), func(i int) {
		if o := outcomes[i]; !o.Broken && o.Result != nil {
			diags[i], errs[i] = k.ch.Check(context.Background(), o.Doc, k.opts)
		}
	})
	for i, o := range outcomes {
		r := o.Result
		if errs[i] != nil {
			e.errorf("%s: checking against chart %s: %v", r.Path, k.ch.Path, errs[i])
			broken[i] = true
			continue
		}
		if len(diags[i]) == 0 {
			continue
		}
		r.Diagnostics = append(r.Diagnostics, diags[i]...)
		lint.SortDiagnostics(r.Diagnostics)
	}
}
