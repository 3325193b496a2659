package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/internal/helm"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/migrate/verify"
	"github.com/pxvalues/pxvalues/values"
)

// verifyFlags are the flags `verify` and `migrate --verify` share.
type verifyFlags struct {
	oldChart, newChart string
	oldSets, newSets   []string
	format             string
	verbose            bool
}

func addVerifyFlags(fs *pflag.FlagSet, f *verifyFlags) {
	fs.StringVar(&f.oldChart, "old-chart", "", "the chart the old values deploy with (directory or .tgz)")
	fs.StringVar(&f.newChart, "new-chart", "", "the chart the migrated values deploy with (directory or .tgz)")
	fs.StringArrayVar(&f.oldSets, "old-set", nil, "a --set K=V for the old side's renders (repeatable)")
	fs.StringArrayVar(&f.newSets, "new-set", nil, "a --set K=V for the new side's renders (repeatable)")
	fs.StringVar(&f.format, "verify-format", "text", "verify report: text, json, github or sarif")
	fs.BoolVar(&f.verbose, "verify-verbose", false, "list the intended differences too (text)")
}

func (f *verifyFlags) check() error {
	switch {
	case f.oldChart == "" || f.newChart == "":
		return errors.New("--old-chart and --new-chart are both required")
	}
	for _, n := range verify.Formats() {
		if n == f.format {
			return nil
		}
	}
	return fmt.Errorf("format %q: want text, json, github or sarif", f.format)
}

var verifyHelp = helpText{
	usage: "pxvalues verify --old-chart DIR|TGZ --new-chart DIR|TGZ --old FILE... --new FILE... [flags]",
	description: "Renders the old chart with the old values and the new chart with the migrated values\n" +
		"(helm template: HELM_BIN, else helm on PATH) and compares what the deployment does.\n" +
		"A difference that a key of a `# PXVALUES-TODO:` comment controls is listed as handed to you, not as a failure.\n" +
		"Exit codes: 0 equivalent (intended and handed differences aside), 1 differences, 2 usage or a render that failed.",
	examples: []string{
		"pxvalues verify --old-chart polyaxon-1.20.0.tgz --new-chart polyaxon-2.15.1.tgz --old values.yaml --new values-v2.yaml",
	},
}

// cmdVerify is `pxvalues verify`: it proves a migration made by hand or by
// an earlier run.
func cmdVerify(e *env, args []string) int {
	var f verifyFlags
	var oldFiles, newFiles []string
	fs := pflag.NewFlagSet("pxvalues verify", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addVerifyFlags(fs, &f)
	fs.StringArrayVar(&oldFiles, "old", nil, "an old values file (repeatable: Helm layers, later wins)")
	fs.StringArrayVar(&newFiles, "new", nil, "a migrated values file (repeatable: Helm layers, later wins)")
	fs.StringVar(&f.format, "format", "text", "report format: text, json, github or sarif")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "list the intended differences too (text)")
	_ = fs.MarkHidden("verify-format")
	_ = fs.MarkHidden("verify-verbose")
	if done, code := parseFlags(e, fs, "verify", verifyHelp, args); done {
		return code
	}
	if err := f.check(); err != nil {
		return usageLine(e, "verify", err.Error())
	}
	if len(oldFiles) == 0 || len(newFiles) == 0 || fs.NArg() > 0 {
		return usageLine(e, "verify", "give the values as --old FILE and --new FILE (no positional argument)")
	}
	old, err := readVerifyFiles(oldFiles)
	if err != nil {
		return usageLine(e, "verify", err.Error())
	}
	migrated, err := readVerifyFiles(newFiles)
	if err != nil {
		return usageLine(e, "verify", err.Error())
	}
	var decisions []verify.Decision
	for _, m := range migrated {
		ds, err := verify.TodoDecisions(m)
		if err != nil {
			return usageLine(e, "verify", err.Error())
		}
		decisions = append(decisions, ds...)
	}
	return runVerify(e, &f, old, migrated, decisions)
}

func readVerifyFiles(names []string) ([]verify.File, error) {
	var out []verify.File
	for _, n := range names {
		doc, err := values.ReadFile(n, values.DefaultLimits())
		if err != nil {
			return nil, err
		}
		out = append(out, verify.File{Name: n, Data: doc.Src})
	}
	return out, nil
}

// runVerify renders both sides and writes the report on stdout.
func runVerify(e *env, f *verifyFlags, old, migrated []verify.File, decisions []verify.Decision) int {
	bin := helm.Find(e.getenv)
	if bin == "" {
		fmt.Fprintln(e.stderr, "pxvalues: verify: no helm on PATH (nor HELM_BIN)")
		return exitUsage
	}
	v, err := verify.New()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	rep, err := v.Verify(context.Background(), verify.Options{
		Helm:      bin,
		Old:       verify.Side{Chart: f.oldChart, Files: old, Sets: f.oldSets},
		New:       verify.Side{Chart: f.newChart, Files: migrated, Sets: f.newSets},
		Decisions: decisions,
	})
	if err != nil {
		e.errorf("verify: %v", err)
		return exitUsage
	}
	if err := rep.Write(e.stdout, f.format, f.verbose); err != nil {
		e.errorf("verify: %v", err)
		return exitUsage
	}
	if !rep.Equivalent {
		return exitFindings
	}
	return exitOK
}

// verifyMigration verifies what `migrate --verify` just made: each input
// against its migration. The report goes to stdout (the migrated file is
// then not printed there).
func verifyMigration(e *env, f *verifyFlags, results []*migrate.FileReport) int {
	code := exitOK
	for _, fr := range results {
		if fr == nil || fr.Result == nil || fr.Error != "" {
			continue
		}
		res := fr.Result
		in, out := res.Input, res.Output
		if res.ValuesPath != "" {
			in, out = res.ValuesIn, res.ValuesOut // what the Polyaxon chart reads
		}
		old := []verify.File{{Name: res.Path, Data: in}}
		migrated := []verify.File{{Name: res.Path + " (migrated)", Data: out}}
		if fr.Written {
			migrated[0].Name = res.Path
		}
		fmt.Fprintf(e.stdout, "== %s\n", res.Path)
		if c := runVerify(e, f, old, migrated, verify.MigrationDecisions(res, old[0].Name, migrated[0].Name)); c > code {
			code = c
		}
	}
	return code
}
