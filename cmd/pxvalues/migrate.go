package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// migrateFlags are the flags of `pxvalues migrate`.
type migrateFlags struct {
	to, from, chart string
	valuesPath      string
	keepCelery      bool
	write, diff     bool
	list, check     bool
	backup          string
	force           bool
	report          string
	// layer are the -f and --set* flags: the layers of one release,
	// migrated together.
	layer  layerFlags
	verify bool
	verifyFlags
}

// config checks the flags of `pxvalues migrate` (given nargs inputs) and
// returns the migration options: a pure function of the arguments.
func (f *migrateFlags) config(nargs int) (migrate.Options, error) {
	switch {
	case f.to != "v1" && f.to != "v2":
		return migrate.Options{}, fmt.Errorf("--to %q: want v1 or v2", f.to)
	case f.from != "auto" && f.from != "v0" && f.from != "v1" && f.from != "v2":
		return migrate.Options{}, fmt.Errorf("--from %q: want auto, v0, v1 or v2", f.from)
	case f.chart != "" && len(cue.Majors(f.chart)) == 0:
		return migrate.Options{}, fmt.Errorf("--chart %q: want platform or agent", f.chart)
	case f.chart == "agent" && (f.from == "v0" || f.to == "v1"):
		return migrate.Options{}, fmt.Errorf("--chart agent: the agent chart starts at v1 (use --to v2)")
	case f.report != "text" && f.report != "json":
		return migrate.Options{}, fmt.Errorf("--report %q: want text or json", f.report)
	case f.backup != "" && !f.write:
		return migrate.Options{}, fmt.Errorf("--backup needs -w")
	case f.force && !f.write:
		return migrate.Options{}, fmt.Errorf("--force needs -w")
	case f.write && f.check:
		return migrate.Options{}, fmt.Errorf("-w and --check cannot be used together")
	case f.layer.active() && nargs > 0:
		return migrate.Options{}, fmt.Errorf("give either the layers of one release (-f ... [--set ...]) or files to migrate one by one, not both")
	case f.layer.active() && len(f.layer.files) == 0:
		return migrate.Options{}, fmt.Errorf("--set needs the -f layers it goes with")
	case nargs == 0 && !f.layer.active():
		return migrate.Options{}, fmt.Errorf("no input: give values files (or - for stdin)")
	}
	if f.verify && f.layer.active() {
		return migrate.Options{}, fmt.Errorf("--verify works on FILE arguments, not on -f layers: run `pxvalues verify --old ... --new ...` on the migrated layers")
	}
	if f.verify {
		if err := f.verifyFlags.check(); err != nil {
			return migrate.Options{}, fmt.Errorf("--verify: %w", err)
		}
	}
	return migrate.Options{Chart: f.chart, From: f.from, To: f.to, ValuesPath: f.valuesPath, KeepCelery: f.keepCelery}, nil
}

var migrateHelp = helpText{
	usage: "pxvalues migrate --to v1|v2 [flags] FILE...\n       pxvalues migrate --to v1|v2 [flags] -f BASE -f OVERLAY... [--set K=V]...  (the layers of one release)",
	description: "Rewrites values files for a newer major version, keeping comments and order: the\n" +
		"migrated file goes to stdout and the report to stderr, unless -w, -d, -l or --check.\n" +
		"Where no rule can decide, the data is kept with a # PXVALUES-TODO: comment.\n" +
		"Exit codes: 0 done (or nothing to change with --check); 1 --check found files to change,\n" +
		"or -w refused a result that does not lint cleanly; 2 usage, unreadable input, or a file\n" +
		"that could not be written (changed since read, read-only folder).",
	examples: []string{
		"pxvalues migrate --to v2 values.yaml > values-v2.yaml",
		"pxvalues migrate --to v2 -d values.yaml            # unified diff",
		"pxvalues migrate --to v2 -w --backup .orig values.yaml",
		"pxvalues migrate --to v2 --check deploy/*.yaml     # CI: exit 1 when a file is not migrated yet",
		"pxvalues migrate --to v2 -f values.yaml -f prod.yaml  # one release's layers, each rewritten in place",
	},
}

func newMigrateFlagSet(e *env, f *migrateFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pxvalues migrate", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.to, "to", "", "target major version: v1 or v2 (required)")
	fs.StringVar(&f.from, "from", "auto", "major version of the input: auto, v0, v1 or v2 (v2: the file is at v2 already; settles an ambiguous detection)")
	fs.StringVar(&f.chart, "chart", "", "chart: platform or agent (default: detected)")
	fs.StringVar(&f.valuesPath, "values-path", "", "the top-level key Polyaxon's values sit under in an umbrella chart's values (only that section is rewritten), or . for the root (default: detected)")
	fs.BoolVar(&f.keepCelery, "keep-celery", false, "v0 -> v1: keep the celery scheduler and its broker on")
	fs.BoolVarP(&f.write, "write", "w", false, "write the result to the file (atomically) instead of stdout")
	fs.BoolVarP(&f.diff, "diff", "d", false, "print a unified diff instead of the migrated file (values of secret keys shown as \"<redacted>\")")
	fs.BoolVarP(&f.list, "list", "l", false, "list the files the migration would change")
	fs.BoolVar(&f.check, "check", false, "exit 1 when any file would change or still has a # PXVALUES-TODO (for CI); print nothing else on stdout")
	fs.StringVar(&f.backup, "backup", "", "with -w: keep the original beside the file with this suffix (e.g. .orig)")
	fs.BoolVar(&f.force, "force", false, "with -w: write even when the result does not lint cleanly under the target, and write hard-linked or read-only files in place")
	fs.StringVar(&f.report, "report", "text", "report on stderr: text or json (json lists every setting of the input with its fate)")
	fs.StringArrayVarP(&f.layer.files, "values", "f", nil, "a values layer of one release, as Helm's -f (repeatable, later wins): the layers are migrated together, each file rewritten in place")
	fs.StringArrayVar(&f.layer.set, "set", nil, "with -f: a --set flag of the release, as Helm's (repeatable); it takes part in the decisions, nothing rewrites it")
	fs.StringArrayVar(&f.layer.setString, "set-string", nil, "with -f: as Helm's --set-string (repeatable)")
	fs.StringArrayVar(&f.layer.setJSON, "set-json", nil, "with -f: as Helm's --set-json (repeatable)")
	fs.StringArrayVar(&f.layer.setFile, "set-file", nil, "with -f: as Helm's --set-file (repeatable)")
	fs.StringArrayVar(&f.layer.setLiteral, "set-literal", nil, "with -f: as Helm's --set-literal (repeatable)")
	fs.BoolVar(&f.verify, "verify", false, "render the old and the new chart and compare (needs --old-chart, --new-chart); the verify report goes to stdout instead of the migrated file")
	addVerifyFlags(fs, &f.verifyFlags)
	return fs
}

func cmdMigrate(e *env, args []string) int {
	var f migrateFlags
	fs := newMigrateFlagSet(e, &f)
	if done, code := parseFlags(e, fs, "migrate", migrateHelp, args); done {
		return code
	}
	opts, err := f.config(fs.NArg())
	if err != nil {
		return usageLine(e, "migrate", err.Error())
	}
	if f.layer.active() {
		return migrateLayers(e, &f, opts, fs.Changed)
	}
	inputs, err := expandInputs(fs.Args(), nil)
	if err != nil {
		return usageLine(e, "migrate", err.Error())
	}
	for _, in := range inputs {
		if in.stdin && f.write {
			return usageLine(e, "migrate", "-w cannot write to standard input")
		}
	}
	m, l, err := newMigrateTools()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	rep := &migrate.Report{Files: []*migrate.FileReport{}}
	code := exitOK
	worse := func(c int) {
		if c > code {
			code = c
		}
	}
	for _, in := range inputs {
		o, err := pinnedFrom(in.name, in.stdin, opts, fs.Changed)
		if err != nil {
			return usageError(e, err)
		}
		fr, c := migrateOne(e, m, l, in, o, &f)
		rep.Files = append(rep.Files, fr)
		worse(c)
	}
	if rep.Write(e.stderr, f.report) != nil {
		return exitUsage
	}
	if f.verify {
		worse(verifyMigration(e, &f.verifyFlags, rep.Files))
	}
	return code
}

// pinnedFrom applies the major (as --from), chart and values path that
// the project configuration (.pxvalues.yaml) of the file name pins, unless
// the flags say.
func pinnedFrom(name string, stdin bool, opts migrate.Options, changed func(string) bool) (migrate.Options, error) {
	if stdin {
		return opts, nil
	}
	path, err := lint.FindConfig(filepath.Dir(name))
	if err != nil || path == "" {
		return opts, err
	}
	c, err := lint.LoadConfig(path)
	if err != nil {
		return opts, err
	}
	chart, major, vp := c.PinsFor(name)
	if major != "" && !changed("from") {
		opts.From = major
	}
	if chart != "" && !changed("chart") {
		opts.Chart = chart
	}
	if vp != "" && !changed("values-path") {
		opts.ValuesPath = vp
	}
	return opts, nil
}

// migrateOne migrates one input and does what the mode flags ask; it
// returns the file's report and exit code.
func migrateOne(e *env, m *migrate.Migrator, l func() (*lint.Linter, error), in input, opts migrate.Options, f *migrateFlags) (*migrate.FileReport, int) {
	fail := func(err error) (*migrate.FileReport, int) {
		e.errorf("%v", err)
		return &migrate.FileReport{Result: &migrate.Result{Path: in.name, Changes: []migrate.Change{}, Todos: []migrate.Todo{}, Leaves: []migrate.Fate{}}, Error: err.Error()}, exitUsage
	}
	// read as lint does: values.Read/ReadFile refuse non-regular files (a
	// device such as /dev/zero would never end) and files over the limit
	doc, err := loader(e, in, values.DefaultLimits(), nil)()
	if err != nil {
		return fail(err)
	}
	res, err := m.MigrateDocument(doc, opts)
	if err != nil {
		return fail(err)
	}
	return handleResult(e, m, l, res, f)
}

// handleResult does what the mode flags ask with one migrated file.
func handleResult(e *env, m *migrate.Migrator, l func() (*lint.Linter, error), res *migrate.Result, f *migrateFlags) (*migrate.FileReport, int) {
	in := input{name: res.Path}
	fail := func(err error) (*migrate.FileReport, int) {
		e.errorf("%v", err)
		return &migrate.FileReport{Result: res, Error: err.Error()}, exitUsage
	}
	fr := &migrate.FileReport{Result: res, Changed: res.Changed()}
	code := exitOK
	switch {
	case f.write:
		if fr.Changed {
			code = writeBack(e, l, fr, f)
		}
	case f.check:
		// a file with a `# PXVALUES-TODO` left is not migrated yet either,
		// nor an ambiguous one until --from (--chart) says which major
		// (chart) it is
		if fr.Changed || len(res.Todos) > 0 || len(res.Ambiguous) > 1 || len(res.AmbiguousCharts) > 1 {
			code = exitFindings
		}
	}
	if f.list && fr.Changed {
		fmt.Fprintln(e.stdout, message.EscapeControls(in.name))
	}
	if f.diff {
		name := message.EscapeControls(in.name)
		fmt.Fprint(e.stdout, m.RedactedDiff(name+" (original)", name+" (migrated to "+res.To+")", res))
	}
	if !f.write && !f.diff && !f.list && !f.check && !f.verify {
		if _, err := e.stdout.Write(res.Output); err != nil {
			return fail(err)
		}
	}
	return fr, code
}

// writeBack replaces the file with the migration, after checking the
// result lints cleanly under the target (unless --force).
func writeBack(e *env, linter func() (*lint.Linter, error), fr *migrate.FileReport, f *migrateFlags) int {
	res := fr.Result
	if !f.force {
		l, err := linter()
		if err != nil {
			fr.Error = "not written: " + err.Error()
			e.errorf("%s: %s", res.Path, fr.Error)
			return exitUsage
		}
		doc, err := values.Load(res.Path, res.Output, values.DefaultLimits())
		if err != nil {
			fr.Error = "not written: the migrated file does not parse: " + err.Error()
			e.errorf("%s: %s", res.Path, fr.Error)
			return exitUsage
		}
		// the TODOs are what the migration hands over: --check gates them
		lr, err := l.Lint(doc, lint.Options{Chart: res.Chart, Major: res.To, ValuesPath: res.ValuesPath, Disable: []string{ruleid.MigrationTodo}})
		if err != nil {
			fr.Error = "not written: " + err.Error()
			e.errorf("%s: %s", res.Path, fr.Error)
			return exitUsage
		}
		if n, _, _ := lr.Counts(); n > 0 {
			var first []string
			for _, d := range lr.Diagnostics {
				if d.Severity == lint.Error && len(first) < 3 {
					first = append(first, fmt.Sprintf("line %d: %s", d.Line, d.Message))
				}
			}
			fr.Error = fmt.Sprintf("not written: the result has %d lint error(s) under %s %s (%s); resolve the TODOs or use --force",
				n, res.Chart, res.To, strings.Join(first, "; "))
			e.errorf("%s: %s", res.Path, fr.Error)
			return exitFindings
		}
	}
	wo := migrate.WriteOptions{Backup: f.backup, Force: f.force, Hooks: e.hooks}
	if err := migrate.WriteFile(res.Path, res.Input, res.Output, wo); err != nil {
		fr.Error = "not written: " + err.Error()
		e.errorf("%s: %s", res.Path, fr.Error)
		return exitUsage
	}
	fr.Written = true
	return exitOK
}

// migrateLayers migrates the -f layers of one release together (with the
// --set flags in the decisions) and does what the mode flags ask with each
// layer.
func migrateLayers(e *env, f *migrateFlags, opts migrate.Options, changed func(string) bool) int {
	opts, err := layerPins(f.layer.files, opts, changed)
	if err != nil {
		return usageLine(e, "migrate", err.Error())
	}
	m, l, err := newMigrateTools()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	lim := values.DefaultLimits()
	var files []migrate.Layer
	for _, p := range f.layer.files {
		if p == "-" {
			return usageLine(e, "migrate", "-f -: the layers of a release are rewritten in place; give files")
		}
		doc, err := values.ReadFile(p, lim)
		if err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
		files = append(files, migrate.Layer{Name: p, Src: doc.Src})
	}
	lay := &layers{lim: lim}
	sets := &migrate.LayerSets{Sets: f.layer.sets(), ReadFile: lay.readFile}
	rs, err := m.MigrateLayers(files, sets, opts)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	each := *f
	if f.write && !f.force {
		// the release is what must lint cleanly, not each layer alone
		if msg := lintMerged(l, rs, sets, lim); msg != "" {
			e.errorf("%s: not written: %s", strings.Join(f.layer.files, " + "), msg)
			return exitFindings
		}
		each.force = true
	}
	rep := &migrate.Report{Files: []*migrate.FileReport{}}
	code := exitOK
	for _, res := range rs {
		if !f.write && !f.diff && !f.list && !f.check && len(rs) > 1 {
			fmt.Fprintf(e.stdout, "# pxvalues migrate: %s\n", message.EscapeControls(res.Path))
		}
		fr, c := handleResult(e, m, l, res, &each)
		rep.Files = append(rep.Files, fr)
		code = max(code, c)
	}
	if rep.Write(e.stderr, f.report) != nil {
		return exitUsage
	}
	return code
}

// layerPins applies the pins of the layers' project configuration
// (pinnedFrom): the layers of one release must agree on them.
func layerPins(files []string, opts migrate.Options, changed func(string) bool) (migrate.Options, error) {
	var first migrate.Options
	for i, p := range files {
		o, err := pinnedFrom(p, p == "-", opts, changed)
		if err != nil {
			return opts, err
		}
		if i == 0 {
			first = o
			continue
		}
		if o.From != first.From || o.Chart != first.Chart || o.ValuesPath != first.ValuesPath {
			return opts, fmt.Errorf("%s and %s: the project configuration pins them differently (chart, major or valuesPath); the layers of one release are one chart and major: give --chart, --from and --values-path", files[0], p)
		}
	}
	return first, nil
}

// lintMerged lints the migrated layers merged as Helm merges them (with the
// --set flags) under the target, the migration's own TODOs aside; it
// returns why the result cannot be written, or "".
func lintMerged(linter func() (*lint.Linter, error), rs []*migrate.Result, sets *migrate.LayerSets, lim values.Limits) string {
	l, err := linter()
	if err != nil {
		return err.Error()
	}
	ls := values.Layers{Sets: sets.Sets, ReadFile: sets.ReadFile}
	for _, r := range rs {
		doc, err := values.Load(r.Path, r.Output, lim)
		if err != nil {
			return "the migrated file does not parse: " + err.Error()
		}
		ls.Files = append(ls.Files, doc)
	}
	merged, err := values.Merge(ls)
	if err != nil {
		return err.Error()
	}
	lr, err := l.Lint(merged, lint.Options{Chart: rs[0].Chart, Major: rs[0].To, ValuesPath: rs[0].ValuesPath, Disable: []string{ruleid.MigrationTodo}})
	if err != nil {
		return err.Error()
	}
	if n, _, _ := lr.Counts(); n > 0 {
		var first []string
		for _, d := range lr.Diagnostics {
			if d.Severity == lint.Error && len(first) < 3 {
				first = append(first, fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message))
			}
		}
		return fmt.Sprintf("the merged result has %d lint error(s) under %s %s (%s); resolve the TODOs or use --force", n, rs[0].Chart, rs[0].To, strings.Join(first, "; "))
	}
	return ""
}

// newMigrateTools builds the migrator, and the linter that checks its
// results before -w writes them on first use (a migration printed on
// stdout needs none).
func newMigrateTools() (*migrate.Migrator, func() (*lint.Linter, error), error) {
	cat := cue.New()
	m, err := migrate.New(cat)
	if err != nil {
		return nil, nil, err
	}
	return m, sync.OnceValues(func() (*lint.Linter, error) { return lint.New(cat) }), nil
}
