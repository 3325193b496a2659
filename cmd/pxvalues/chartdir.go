package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/chart"
	"github.com/pxvalues/pxvalues/values"
)

// chartCheck is `pxvalues lint --chart-dir DIR|TGZ`: each linted input is
// also checked against a real chart (lint/chart). Only this file imports
// lint/chart, and nothing here runs without --chart-dir.
type chartCheck struct {
	ch    *chart.Chart
	opts  chart.Options
	stdin []byte
	// note is said once on stderr (no Helm to render with).
	note string
}

// newChartCheck loads the chart and prepares the check; it returns nil when
// dir is empty. It fills opts.Chart and opts.Major from a Polyaxon chart's
// name and version when the user gave none, and makes standard input
// readable twice (once by the lint, once by the check).
func newChartCheck(e *env, l *lint.Linter, cat *cue.Catalog, dir string, opts *lint.Options, inputs []input, layerFiles []string, lim values.Limits) (*chartCheck, error) {
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
	enabled := map[string]bool{}
	for _, r := range l.Rules().All() {
		enabled[r.ID] = r.Enabled
	}
	for _, id := range opts.Enable {
		enabled[id] = true
	}
	for _, id := range opts.Disable {
		enabled[id] = false
	}
	k.opts = chart.Options{
		Rules:       l.Rules(),
		Enabled:     func(id string) bool { on, ok := enabled[id]; return on || !ok },
		IsSecret:    secrets.IsSecret,
		Lint:        l,
		LintOptions: *opts,
	}
	k.opts.Helm, k.note = findHelm(e)
	usesStdin := false
	for _, in := range inputs {
		usesStdin = usesStdin || in.stdin
	}
	for _, f := range layerFiles {
		usesStdin = usesStdin || f == "-"
	}
	if usesStdin {
		// One byte over the limit is enough for values.Read to refuse it.
		b, err := io.ReadAll(io.LimitReader(e.stdin, lim.MaxBytes+1))
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		k.stdin = b
		e.stdin = bytes.NewReader(b)
	}
	return k, nil
}

// findHelm returns the Helm binary: $HELM_BIN (set by Helm for plugins),
// else helm on $PATH; or "" and a note saying the render is skipped.
func findHelm(e *env) (string, string) {
	if b := e.getenv("HELM_BIN"); b != "" {
		return b, ""
	}
	for _, dir := range filepath.SplitList(e.getenv("PATH")) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "helm")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, ""
		}
	}
	return "", "pxvalues: --chart-dir: no helm on PATH (nor HELM_BIN): the chart's templates were not rendered"
}

// run checks every input that linted (results[i] belongs to inputs[i]) and
// adds the findings to its result. An input whose check cannot run (Helm
// cannot be started, say) is said on stderr and marked broken (exit code 2);
// the others are still checked and reported.
func (k *chartCheck) run(e *env, inputs []input, results []*lint.Result, broken []bool, lim values.Limits, lay *layers) {
	if k.note != "" {
		fmt.Fprintln(e.stderr, k.note)
	}
	// Each check renders the chart once (a helm process): run them on every
	// core, then report in input order.
	diags := make([][]lint.Diagnostic, len(inputs))
	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				diags[i], errs[i] = k.check(inputs[i], lim, lay)
			}
		}()
	}
	for i := range inputs {
		if !broken[i] && results[i] != nil {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	for i, r := range results {
		if errs[i] != nil {
			fmt.Fprintf(e.stderr, "pxvalues: %s: checking against chart %s: %v\n", r.Path, k.ch.Path, errs[i])
			broken[i] = true
			continue
		}
		if len(diags[i]) == 0 {
			continue
		}
		r.Diagnostics = append(r.Diagnostics, diags[i]...)
		sort.SliceStable(r.Diagnostics, func(a, b int) bool {
			x, y := r.Diagnostics[a], r.Diagnostics[b]
			if x.File != y.File {
				return x.File < y.File
			}
			if x.Line != y.Line {
				return x.Line < y.Line
			}
			return x.Column < y.Column
		})
	}
}

// check reads the input again as lintOne did (stdin from the saved bytes)
// and checks it against the chart.
func (k *chartCheck) check(in input, lim values.Limits, lay *layers) ([]lint.Diagnostic, error) {
	var doc *values.Document
	var err error
	switch {
	case in.stdin:
		doc, err = values.Read(in.name, bytes.NewReader(k.stdin), lim)
	case in.name != "":
		doc, err = values.ReadFile(in.name, lim)
	}
	if err == nil && lay != nil {
		doc, err = lay.on(doc)
	}
	if err != nil {
		return nil, err
	}
	return k.ch.Check(context.Background(), doc, k.opts)
}
