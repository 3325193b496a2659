// Command pxvalues lints and migrates Polyaxon Helm values files.
//
//	pxvalues lint [flags] FILE|DIR|-...
//	pxvalues migrate --to v1|v2 [flags] FILE...
//	pxvalues verify --old-chart C --new-chart C --old FILE --new FILE
//	pxvalues rules | explain RULE | schema | completion SHELL | version
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/internal/atomicfile"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/internal/suggest"
)

// Exit codes, documented in the README.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on (or --check: files would change)
	exitUsage    = 2 // usage error, or a file that cannot be read or parsed
)

// env is what a command may touch: no command reads os.* directly, so tests
// run the whole CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     bool
	// hooks observe the atomic writes (nil but in tests).
	hooks atomicfile.Hooks
}

func main() {
	tuneGC()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, isTerminal: stdoutIsTerminal(), hooks: writeHooks(os.Getenv)}
	os.Exit(run(e, os.Args[1:]))
}

const usage = `pxvalues: lint and migrate Polyaxon Helm values files

Usage:
  pxvalues lint [flags] FILE|DIR|-...   check values files (pxvalues lint -h)
  pxvalues migrate --to v1|v2 FILE...   migrate values files to a newer major (pxvalues migrate -h)
  pxvalues verify --old-chart C --new-chart C --old F --new F
                                        prove a migration by rendering both charts (pxvalues verify -h)
  pxvalues rules                        list the rules
  pxvalues explain RULE                 document a rule, with a bad and a good example
  pxvalues schema --chart C [flags]     print a chart major's JSON Schema or CUE (pxvalues schema -h)
  pxvalues completion SHELL             print a completion script: bash, zsh, fish or powershell
  pxvalues version [--format json]      print the version

Examples:
  pxvalues lint values.yaml
  pxvalues lint -f values.yaml -f prod.yaml --set gateway.replicas=3
  pxvalues lint --fix deploy/
  pxvalues migrate --to v2 -d values.yaml
  pxvalues explain unknown-key

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or unreadable input.
Every command takes -h or --help.
`

// commands are the subcommands, in the order of the usage text.
var commands = []string{"lint", "migrate", "verify", "rules", "explain", "schema", "completion", "version", "help"}

// run runs the command of args; whatever the command, a failed write to
// stdout (a closed pipe, a full disk) makes the exit code 2.
func run(e *env, args []string) int {
	out := &stickyWriter{w: e.stdout}
	ce := *e
	ce.stdout = out
	code := dispatch(&ce, args)
	if out.err != nil {
		e.errorf("writing to standard output: %v", out.err)
		return exitUsage
	}
	return code
}

// stickyWriter remembers the first error of its writer and fails every
// later write with it.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	s.err = err
	return n, err
}

func dispatch(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	run := map[string]func(*env, []string) int{
		"lint": cmdLint, "migrate": cmdMigrate, "verify": cmdVerify, "rules": cmdRules, "explain": cmdExplain,
		"schema": cmdSchema, "completion": cmdCompletion, "version": cmdVersion, "--version": cmdVersion,
	}
	if f := run[args[0]]; f != nil {
		return f(e, args[1:])
	}
	switch args[0] {
	case "help", "-h", "--help":
		if len(args) > 1 && args[0] == "help" && args[1] != "help" && slices.Contains(commands, args[1]) {
			return dispatch(e, []string{args[1], "--help"})
		}
		fmt.Fprint(e.stdout, usage)
		return exitOK
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if strings.HasPrefix(args[0], "-") {
		msg = fmt.Sprintf("unknown flag %s: flags go after the command (pxvalues lint %s ...)", args[0], args[0])
	} else if best := suggest.Closest(args[0], commands); best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return usageLine(e, "", msg)
}

// tuneGC makes the collector less eager: a run is short and its live heap
// small, so collecting at every doubling is wasted start-up work. The heap
// may grow to 5x the live data, capped softly at 128 MiB (hostile inputs
// stay within the documented 256 MiB). A user's GOGC or GOMEMLIMIT wins.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}

// errorf writes one line "pxvalues: ..." on stderr. Its string and error
// arguments (file names, and error texts that quote them) are written with
// control characters escaped: a name holding a newline or an ANSI escape
// cannot forge a line of output or drive the terminal.
func (e *env) errorf(format string, args ...any) {
	for i, a := range args {
		switch a := a.(type) {
		case string:
			args[i] = message.EscapeControls(a)
		case error:
			args[i] = message.EscapeControls(a.Error())
		}
	}
	fmt.Fprintf(e.stderr, "pxvalues: "+format+"\n", args...)
}
