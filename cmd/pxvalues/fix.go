package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pxvalues/pxvalues/internal/atomicfile"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/format"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// fixOutcome is what --fix did to one input.
type fixOutcome struct {
	result  *lint.Result // what remains after the fixes
	broken  bool         // unreadable, unparsable or not written
	applied int          // fixes applied
}

// fixInput applies the fixes of one file (lint.Linter.Fix: round by round
// until nothing changes) and writes it back atomically, refusing when the
// file changed since it was read; with diff it prints the unified diff on
// stdout instead and writes nothing (standard input only with diff).
func fixInput(e *env, l *lint.Linter, in input, opts lint.Options, lim values.Limits, diff bool) fixOutcome {
	var src []byte
	var err error
	if in.stdin {
		src, err = io.ReadAll(io.LimitReader(e.stdin, lim.MaxBytes+1))
	} else {
		src, err = os.ReadFile(in.name)
	}
	if err != nil {
		return fixOutcome{result: l.ParseErrorResult(in.name, err), broken: true}
	}
	name := in.name
	if in.stdin {
		name = "<stdin>"
	}
	fr, err := l.Fix(name, src, opts, lim)
	if err != nil {
		return fixOutcome{result: l.ParseErrorResult(name, err), broken: true}
	}
	out := fixOutcome{result: fr.Result, applied: fr.Applied}
	out.result.Path = in.name
	switch {
	case diff:
		if d := migrate.Diff(name, name, src, fr.Source); d != "" {
			fmt.Fprint(e.stdout, d)
		}
	case fr.Applied > 0:
		if err := atomicfile.Replace(in.name, fr.Source, atomicfile.Options{Check: atomicfile.Unchanged(src), Hooks: e.hooks}); err != nil {
			e.errorf("%s: not fixed: %v", in.name, err)
			out.broken = true
		}
	}
	return out
}

// fixRun is `pxvalues lint --fix [--diff]`: each input fixed in turn, then
// the report of what remains (on stderr with --diff, whose stdout carries
// the diffs only) and the exit code: 2 for a broken input, 1 for a finding
// left at or above --fail-on, and with --diff also when a file would
// change.
func fixRun(e *env, l *lint.Linter, f *lintFlags, inputs []input, setups []fileSetup, lim values.Limits, outs []output, failOn, minSev lint.Severity) int {
	results := make([]*lint.Result, len(inputs))
	broken := make([]bool, len(inputs))
	files, fixes := 0, 0
	for i, in := range inputs {
		o := fixInput(e, l, in, setups[i].opts, lim, f.diff)
		results[i], broken[i] = o.result, o.broken
		if o.applied > 0 {
			files++
			fixes += o.applied
		}
	}
	code := exitCode(results, broken, func(i int) lint.Severity { return setups[i].failOn })
	rep := &format.Report{Files: results, Rules: l.RuleDocs(), Tool: toolVersion()}
	rep.ShowAtLeast(minSev)
	we := e
	verb := "fixed"
	if f.diff {
		// the diffs own stdout: the report goes to stderr
		c := *e
		c.stdout = e.stderr
		we = &c
		verb = "would fix"
		if files > 0 && code == exitOK {
			code = exitFindings
		}
	}
	if err := writeOutputs(we, outs, rep); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	e.errorf("%s %d %s in %d %s", verb, fixes, plural(fixes, "finding"), files, plural(files, "file"))
	return code
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
