package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pxvalues/pxvalues/lint"
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
		if err := writeFixed(in.name, src, fr.Source); err != nil {
			fmt.Fprintf(e.stderr, "pxvalues: %s: not fixed: %v\n", in.name, err)
			out.broken = true
		}
	}
	return out
}

// writeFixed replaces the file's content read with data, atomically, with
// the writer of migrate -w.
func writeFixed(path string, read, data []byte) error {
	return migrate.WriteFile(path, read, data, migrate.WriteOptions{})
}
