package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/suggest"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/format"
	"github.com/pxvalues/pxvalues/values"
)

// lintFlags are the flags of `pxvalues lint`.
type lintFlags struct {
	format   string
	color    string
	failOn   string
	chart    string
	major    string
	target   string
	enable   []string
	disable  []string
	verbose  bool
	jobs     int
	maxBytes int64
	maxDepth int
	maxNodes int
	layers   layerFlags
	rules    ruleFlags
	chartDir string
	// fix applies the findings' fixes; diff previews them.
	fix, diff bool
	// quiet shows errors only; minSeverity the lowest severity shown.
	quiet        bool
	minSeverity  string
	reportUnused bool
	exclude      []string
	valuesPath   string
}

// ciFormats are the formats meant for CI, where --report-unused-ignores is
// on unless set.
var ciFormats = []string{"sarif", "github", "junit", "gitlab", "checkstyle"}

var lintHelp = helpText{
	usage: "pxvalues lint [flags] [-f FILE]... [--set K=V]... [FILE|DIR|-...]",
	description: "Checks Polyaxon Helm values files: every key, type and value against the chart of the\n" +
		"detected (or given) chart and major version, Polyaxon's own validator rules and more\n" +
		"(pxvalues rules). Directories are searched for *.yaml and *.yml; - reads standard input;\n" +
		"-f and --set layer values as Helm does. Exit codes: 0 no finding at or above --fail-on,\n" +
		"1 findings, 2 usage error or unreadable input.",
	examples: []string{
		"pxvalues lint values.yaml",
		"pxvalues lint deploy/ --exclude legacy --fail-on warning",
		"pxvalues lint -f values.yaml -f prod.yaml --set gateway.replicas=3",
		"pxvalues lint --fix values.yaml          # apply the safe fixes, then report what remains",
		"pxvalues lint --fix --diff values.yaml   # preview the fixes as a diff",
		"pxvalues lint --quiet deploy/            # errors only",
		"pxvalues lint --next values.yaml         # what the next major version changes",
		"pxvalues lint --output text --output sarif=pxvalues.sarif deploy/",
		"cat values.yaml | pxvalues lint -",
	},
}

func newLintFlagSet(e *env, f *lintFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pxvalues lint", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lim := values.DefaultLimits()
	fs.StringVar(&f.format, "format", "text", "output format: "+strings.Join(format.Names(), ", "))
	fs.StringVar(&f.color, "color", "auto", "colour the text output: auto, always, never (NO_COLOR is honoured)")
	fs.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding is at least: error, warning, info, never")
	fs.StringVar(&f.chart, "chart", "", "chart of every file: platform or agent (default: detected)")
	fs.StringVar(&f.major, "major", "", "major version of every file: v0, v1 or v2 (default: detected)")
	fs.StringVar(&f.valuesPath, "values-path", "", "the top-level key Polyaxon's values sit under in an umbrella chart's values, or . for the root (default: detected)")
	fs.StringSliceVar(&f.exclude, "exclude", nil, "skip files and folders matching these globs in directories and globs (`**` for any folders; repeatable)")
	fs.StringVar(&f.target, "target", "helm", "what must accept the file: helm, or polyaxon-cli (also what polyaxon admin deploy --check accepts)")
	fs.StringSliceVar(&f.enable, "enable", nil, "enable rules by id (comma-separated or repeated)")
	fs.StringSliceVar(&f.disable, "disable", nil, "disable rules by id (comma-separated or repeated)")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "print each file's chart, major and the signals that decided")
	fs.IntVar(&f.jobs, "jobs", runtime.GOMAXPROCS(0), "files linted in parallel")
	fs.Int64Var(&f.maxBytes, "max-bytes", lim.MaxBytes, "largest values file accepted, in bytes")
	fs.IntVar(&f.maxDepth, "max-depth", lim.MaxDepth, "deepest nesting of maps and lists accepted")
	fs.IntVar(&f.maxNodes, "max-nodes", lim.MaxNodes, "most values accepted after expanding YAML aliases")
	addLayerFlags(fs, &f.layers)
	addRuleFlags(fs, &f.rules)
	fs.StringVar(&f.chartDir, "chart-dir", "", "also check against the chart at `DIR` (a chart directory or .tgz): the values merged over its defaults, its values.schema.json, and its templates rendered by helm template (HELM_BIN, else helm on PATH)")
	fs.BoolVar(&f.fix, "fix", false, "apply the safe fixes of the findings to the files (atomically), again until nothing changes, then report what remains")
	fs.BoolVar(&f.diff, "diff", false, "with --fix: print the fixes as a unified diff on stdout and write nothing (the report goes to stderr; exit 1 when a file would change)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "show errors only, without the summary line (same as --min-severity error)")
	fs.StringVar(&f.minSeverity, "min-severity", "info", "lowest severity shown: error, warning or info (--fail-on still counts every finding)")
	fs.BoolVar(&f.reportUnused, "report-unused-ignores", false, "report `# pxvalues:ignore` comments that silence nothing (default: on for "+strings.Join(ciFormats, ", ")+")")
	return fs
}

// config checks the flags of `pxvalues lint` (given nargs inputs) and
// returns the lint options and the --fail-on severity: a pure function of
// the arguments (rule ids are checked against the rule table later).
func (f *lintFlags) config(nargs int) (lint.Options, lint.Severity, error) {
	failOn, err := parseFailOn(f.failOn)
	switch {
	case err != nil:
	case f.chart != "" && len(cue.Majors(f.chart)) == 0:
		err = fmt.Errorf("--chart %q: want platform or agent", f.chart)
	case f.major != "" && f.major != "v0" && f.major != "v1" && f.major != "v2":
		err = fmt.Errorf("--major %q: want v0, v1 or v2", f.major)
	case f.chart == "agent" && f.major == "v0":
		err = fmt.Errorf("--chart agent --major v0: the agent chart starts at v1")
	case f.target != "helm" && f.target != "polyaxon-cli":
		err = fmt.Errorf("--target %q: want helm or polyaxon-cli", f.target)
	case nargs == 0 && !f.layers.active():
		err = fmt.Errorf("no input: give files, directories or - for stdin")
	case f.diff && !f.fix:
		err = fmt.Errorf("--diff previews --fix: use --fix --diff")
	case f.fix && f.layers.active():
		err = fmt.Errorf("--fix rewrites files linted alone, not -f/--set layers: run it on each file")
	case f.fix && f.chartDir != "":
		err = fmt.Errorf("--fix and --chart-dir cannot be combined: fix first, then check against the chart")
	}
	if err != nil {
		return lint.Options{}, 0, err
	}
	return lint.Options{Chart: f.chart, Major: f.major, ValuesPath: f.valuesPath, Target: f.target, Enable: f.enable, Disable: f.disable}, failOn, nil
}

func cmdLint(e *env, args []string) int {
	var f lintFlags
	fs := newLintFlagSet(e, &f)
	if done, code := parseFlags(e, fs, "lint", lintHelp, args); done {
		return code
	}
	opts, failOn, err := f.config(fs.NArg())
	if err != nil {
		return usageError(e, err)
	}
	minSev := lint.Info
	if f.quiet {
		minSev = lint.Error
	} else if minSev, err = lint.ParseSeverity(f.minSeverity); err != nil {
		return usageError(e, fmt.Errorf("--min-severity: %w", err))
	}
	useColor, err := colorChoice(e, f.color)
	if err != nil {
		return usageError(e, err)
	}
	fo := format.Options{Color: useColor, Verbose: f.verbose, Quiet: f.quiet}
	if f.diff {
		fo.Color = false
	}
	outs, err := parseOutputs(f.layers.outputs, f.format, fs.Changed("format"), fo)
	if err != nil {
		return usageError(e, err)
	}
	if !fs.Changed("report-unused-ignores") {
		for _, o := range outs {
			f.reportUnused = f.reportUnused || slices.Contains(ciFormats, o.name)
		}
	}
	if f.reportUnused {
		opts.Enable = append(opts.Enable, ruleid.IgnoreUnused)
	}
	inputs, err := expandInputs(fs.Args(), f.exclude)
	if err == nil {
		inputs, err = excludeInputs(inputs, f.exclude)
	}
	if err != nil {
		return usageError(e, err)
	}
	if f.fix && !f.diff && hasStdin(inputs) {
		return usageError(e, fmt.Errorf("--fix rewrites files; for standard input use --fix --diff"))
	}

	cat := cue.New()
	l, err := lint.New(cat)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	if err := checkRuleIDs(l, append(append([]string(nil), f.enable...), f.disable...)); err != nil {
		return usageError(e, err)
	}
	lim := values.Limits{MaxBytes: f.maxBytes, MaxDepth: f.maxDepth, MaxNodes: f.maxNodes}
	if err := lim.Check(); err != nil {
		return usageError(e, err)
	}
	chk, err := newChartCheck(e, l, cat, f.chartDir, &opts)
	if err != nil {
		return usageError(e, err)
	}
	lay, layerErrs, err := loadLayers(e, l, &f.layers, lim, hasStdin(inputs))
	if err != nil {
		return usageError(e, err)
	}
	inputs = layerInputs(inputs, lay, layerErrs)
	setups, err := f.rules.setup(l, inputs, opts, failOn, fs.Changed)
	if err != nil {
		return usageError(e, err)
	}

	inputs, setups = dropExcluded(inputs, setups)
	if f.fix {
		return fixRun(e, l, &f, inputs, setups, lim, outs, failOn, minSev)
	}
	cfg := lint.RunConfig{Inputs: make([]lint.Input, len(inputs)), Jobs: min(f.jobs, maxJobs), KeepDocs: chk != nil}
	for i, in := range inputs {
		cfg.Inputs[i] = lint.Input{Name: in.name, Load: loader(e, in, lim, lay), Options: setups[i].opts}
	}
	outcomes, err := l.Run(context.Background(), cfg)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	// a file a directory walk found that is not Polyaxon values is skipped
	var skipped []format.Skipped
	kept := outcomes[:0]
	var keptSetups []fileSetup
	for i, o := range outcomes {
		if inputs[i].walked && !o.Broken && o.Result.NotValues != "" {
			skipped = append(skipped, format.Skipped{Path: inputs[i].name, Reason: "does not look like Polyaxon values: " + o.Result.NotValues})
			continue
		}
		kept = append(kept, o)
		keptSetups = append(keptSetups, setups[i])
	}
	outcomes, setups = kept, keptSetups
	results := make([]*lint.Result, len(outcomes))
	broken := make([]bool, len(outcomes))
	for i, o := range outcomes {
		results[i], broken[i] = o.Result, o.Broken
	}
	if chk != nil {
		chk.run(e, outcomes, broken)
	}
	results, broken = append(layerErrs, results...), append(allTrue(len(layerErrs)), broken...)

	rep := &format.Report{Files: results, Rules: l.RuleDocs(), Tool: toolVersion(), Skipped: skipped}
	code := exitCode(results, broken, func(i int) lint.Severity {
		if j := i - len(layerErrs); j >= 0 {
			return setups[j].failOn
		}
		return failOn
	})
	rep.ShowAtLeast(minSev)
	if err := writeOutputs(e, outs, rep); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	return code
}

// exitCode is 2 when an input is broken, 1 when a finding is at or above
// its input's --fail-on, else 0: counted on every finding, shown or not.
func exitCode(results []*lint.Result, broken []bool, failOn func(i int) lint.Severity) int {
	if slices.Contains(broken, true) {
		return exitUsage
	}
	for i, r := range results {
		fo := failOn(i)
		for _, d := range r.Diagnostics {
			if fo != 0 && d.Severity >= fo {
				return exitFindings
			}
		}
	}
	return exitOK
}

// checkRuleIDs refuses an unknown rule id of --enable or --disable, with a
// did-you-mean.
func checkRuleIDs(l *lint.Linter, ids []string) error {
	var all []string
	for _, r := range l.Rules().All() {
		all = append(all, r.ID)
	}
	for _, id := range ids {
		if l.Rules().Get(id) != nil {
			continue
		}
		if best := suggest.Closest(id, all); best != "" {
			return fmt.Errorf("unknown rule %q; did you mean %q?", id, best)
		}
		return fmt.Errorf("unknown rule %q (see pxvalues rules)", id)
	}
	return nil
}

// dropExcluded leaves out the walked inputs their configuration excludes.
func dropExcluded(inputs []input, setups []fileSetup) ([]input, []fileSetup) {
	var in []input
	var su []fileSetup
	for i := range inputs {
		if !setups[i].excluded {
			in, su = append(in, inputs[i]), append(su, setups[i])
		}
	}
	return in, su
}

// loader returns the function that reads one input (standard input, a
// file, or none: the layers alone) with the -f and --set layers on top
// (lay, when not nil).
func loader(e *env, in input, lim values.Limits, lay *layers) func() (*values.Document, error) {
	return func() (*values.Document, error) {
		var doc *values.Document
		var err error
		switch {
		case in.stdin:
			doc, err = values.Read(in.name, e.stdin, lim)
		case in.name != "":
			doc, err = values.ReadFile(in.name, lim)
		}
		if err == nil && lay != nil {
			doc, err = lay.on(doc)
		}
		return doc, err
	}
}

// maxJobs caps --jobs: more workers than a machine has cores many times
// over only cost memory (lint.Run also caps at the number of inputs).
const maxJobs = 256

func parseFailOn(s string) (lint.Severity, error) {
	if s == "never" {
		return 0, nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on %q: want error, warning, info or never", s)
	}
	return sev, nil
}

func colorChoice(e *env, s string) (bool, error) {
	switch s {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return e.isTerminal && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb", nil
	}
	return false, fmt.Errorf("--color %q: want auto, always or never", s)
}

// usageError reports a usage error of `pxvalues lint` (one line, stderr).
func usageError(e *env, err error) int {
	return usageLine(e, "lint", err.Error())
}
