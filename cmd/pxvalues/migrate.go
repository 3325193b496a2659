package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// migrateFlags are the flags of `pxvalues migrate`.
type migrateFlags struct {
	to, from, chart string
	keepCelery      bool
	write, diff     bool
	list, check     bool
	backup          string
	force           bool
	report          string
}

// modifyHookEnv is a test-only hook: when set, `migrate -w` appends a line to
// the file between reading it and writing it, to test that a file changed
// during the run is not overwritten.
const modifyHookEnv = "PXVALUES_TEST_MODIFY_BEFORE_WRITE"

// config checks the flags of `pxvalues migrate` (given nargs inputs) and
// returns the migration options: a pure function of the arguments.
func (f *migrateFlags) config(nargs int) (migrate.Options, error) {
	switch {
	case f.to != "v1" && f.to != "v2":
		return migrate.Options{}, fmt.Errorf("--to %q: want v1 or v2", f.to)
	case f.from != "auto" && f.from != "v0" && f.from != "v1":
		return migrate.Options{}, fmt.Errorf("--from %q: want auto, v0 or v1", f.from)
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
	case nargs == 0:
		return migrate.Options{}, fmt.Errorf("no input: give values files (or - for stdin)")
	}
	return migrate.Options{Chart: f.chart, From: f.from, To: f.to, KeepCelery: f.keepCelery}, nil
}

func newMigrateFlagSet(e *env, f *migrateFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pxvalues migrate", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.to, "to", "", "target major version: v1 or v2 (required)")
	fs.StringVar(&f.from, "from", "auto", "major version of the input: auto, v0 or v1")
	fs.StringVar(&f.chart, "chart", "", "chart: platform or agent (default: detected)")
	fs.BoolVar(&f.keepCelery, "keep-celery", false, "v0 -> v1: keep the celery scheduler and its broker on")
	fs.BoolVarP(&f.write, "write", "w", false, "write the result to the file (atomically) instead of stdout")
	fs.BoolVarP(&f.diff, "diff", "d", false, "print a unified diff instead of the migrated file (values of secret keys shown as \"<redacted>\")")
	fs.BoolVarP(&f.list, "list", "l", false, "list the files the migration would change")
	fs.BoolVar(&f.check, "check", false, "exit 1 when any file would change (for CI); print nothing else on stdout")
	fs.StringVar(&f.backup, "backup", "", "with -w: keep the original beside the file with this suffix (e.g. .orig)")
	fs.BoolVar(&f.force, "force", false, "with -w: write even when the result does not lint cleanly under the target")
	fs.StringVar(&f.report, "report", "text", "report on stderr: text or json")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: pxvalues migrate --to v1|v2 [flags] FILE...\n\n"+
			"The migrated file goes to stdout and the report to stderr, unless -w, -d, -l or --check.\n"+
			"Exit codes: 0 done (or nothing to change with --check); 1 --check found files to change,\n"+
			"or -w refused a result that does not lint cleanly; 2 usage, unreadable input, or a file\n"+
			"that could not be written (changed since read, read-only folder).\n\nFlags:\n%s", fs.FlagUsages())
	}
	return fs
}

func cmdMigrate(e *env, args []string) int {
	var f migrateFlags
	fs := newMigrateFlagSet(e, &f)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	opts, err := f.config(fs.NArg())
	if err != nil {
		return usageError(e, err)
	}
	inputs, err := expandInputs(fs.Args())
	if err != nil {
		return usageError(e, err)
	}
	for _, in := range inputs {
		if in.stdin && f.write {
			return usageError(e, fmt.Errorf("-w cannot write to standard input"))
		}
	}
	cat := cue.New()
	m, err := migrate.New(cat)
	if err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
		return exitUsage
	}
	l, err := lint.New(cat)
	if err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
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
		fr, c := migrateOne(e, m, l, in, opts, &f)
		rep.Files = append(rep.Files, fr)
		worse(c)
	}
	var werr error
	if f.report == "json" {
		werr = rep.WriteJSON(e.stderr)
	} else {
		werr = rep.WriteText(e.stderr)
	}
	if werr != nil {
		return exitUsage
	}
	return code
}

// migrateOne migrates one input and does what the mode flags ask; it
// returns the file's report and exit code.
func migrateOne(e *env, m *migrate.Migrator, l *lint.Linter, in input, opts migrate.Options, f *migrateFlags) (*migrate.FileReport, int) {
	fail := func(err error) (*migrate.FileReport, int) {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
		return &migrate.FileReport{Result: &migrate.Result{Path: in.name, Changes: []migrate.Change{}, Todos: []migrate.Todo{}}, Error: err.Error()}, exitUsage
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
	fr := &migrate.FileReport{Result: res, Changed: res.Changed()}
	code := exitOK
	switch {
	case f.write:
		if fr.Changed {
			code = writeBack(e, l, fr, f)
		}
	case f.check:
		if fr.Changed {
			code = exitFindings
		}
	}
	if f.list && fr.Changed {
		fmt.Fprintln(e.stdout, in.name)
	}
	if f.diff {
		fmt.Fprint(e.stdout, m.RedactedDiff(in.name+" (original)", in.name+" (migrated to "+res.To+")", res))
	}
	if !f.write && !f.diff && !f.list && !f.check {
		if _, err := e.stdout.Write(res.Output); err != nil {
			return fail(err)
		}
	}
	return fr, code
}

// writeBack replaces the file with the migration, after checking the
// result lints cleanly under the target (unless --force).
func writeBack(e *env, l *lint.Linter, fr *migrate.FileReport, f *migrateFlags) int {
	res := fr.Result
	if !f.force {
		doc, err := values.Load(res.Path, res.Output, values.DefaultLimits())
		if err != nil {
			fr.Error = "not written: the migrated file does not parse: " + err.Error()
			fmt.Fprintf(e.stderr, "pxvalues: %s: %s\n", res.Path, fr.Error)
			return exitUsage
		}
		lr, err := l.Lint(doc, lint.Options{Chart: res.Chart, Major: res.To})
		if err != nil {
			fr.Error = "not written: " + err.Error()
			fmt.Fprintf(e.stderr, "pxvalues: %s: %s\n", res.Path, fr.Error)
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
			fmt.Fprintf(e.stderr, "pxvalues: %s: %s\n", res.Path, fr.Error)
			return exitFindings
		}
	}
	wo := migrate.WriteOptions{Backup: f.backup, CrashAt: e.getenv(migrate.CrashEnv)}
	if e.getenv(modifyHookEnv) != "" {
		wo.BeforeCheck = func(target string) {
			if fh, err := os.OpenFile(target, os.O_APPEND|os.O_WRONLY, 0); err == nil {
				fmt.Fprintln(fh, "# changed by someone else")
				fh.Close()
			}
		}
	}
	if err := migrate.WriteFile(res.Path, res.Input, res.Output, wo); err != nil {
		fr.Error = "not written: " + err.Error()
		fmt.Fprintf(e.stderr, "pxvalues: %s: %s\n", res.Path, fr.Error)
		return exitUsage
	}
	fr.Written = true
	return exitOK
}
