package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/internal/suggest"
)

// helpText is the help of one command: printed on stdout for -h/--help.
type helpText struct {
	usage       string // "pxvalues lint [flags] FILE|DIR|-..."
	description string
	examples    []string // "pxvalues lint values.yaml   # comment"
}

// write prints the help with the flags of fs.
func (h helpText) write(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n", h.usage)
	if h.description != "" {
		fmt.Fprintf(w, "%s\n\n", strings.TrimSpace(h.description))
	}
	if len(h.examples) > 0 {
		fmt.Fprintf(w, "Examples:\n")
		for _, ex := range h.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
		fmt.Fprintln(w)
	}
	if fs != nil && fs.HasAvailableFlags() {
		fmt.Fprintf(w, "Flags:\n%s", fs.FlagUsages())
	}
}

// parseFlags parses args with fs for command name (e.g. "lint"). On -h or
// --help it prints the help on stdout and returns exitOK; on a usage error
// it prints one line naming the problem (with a did-you-mean for a
// misspelt flag) and a pointer to --help on stderr and returns exitUsage.
// done is false when the command should go on.
func parseFlags(e *env, fs *pflag.FlagSet, name string, h helpText, args []string) (done bool, code int) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return false, exitOK
	case errors.Is(err, pflag.ErrHelp):
		h.write(e.stdout, fs)
		return true, exitOK
	}
	return true, flagError(e, fs, name, err)
}

var (
	unknownFlagRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown flag: (--\S+)$`) })
	unknownShortRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^unknown shorthand flag: '(.)' in (-\S+)$`) })
	needsArgRe     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^flag needs an argument: (?:'(.)' in )?(-\S+)$`) })
	invalidArgRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^invalid argument "(.*)" for "(.+?)" flag: (.*)$`) })
)

// flagError turns a pflag parse error into the one-line usage error.
func flagError(e *env, fs *pflag.FlagSet, name string, err error) int {
	msg := err.Error()
	switch {
	case unknownFlagRe().MatchString(msg):
		flag := unknownFlagRe().FindStringSubmatch(msg)[1]
		msg = "unknown flag " + flag
		if best := closestFlag(fs, strings.TrimPrefix(strings.SplitN(flag, "=", 2)[0], "--")); best != "" {
			msg += "; did you mean --" + best + "?"
		}
	case unknownShortRe().MatchString(msg):
		m := unknownShortRe().FindStringSubmatch(msg)
		msg = "unknown flag -" + m[1]
		if m[2] != "-"+m[1] {
			msg += " in " + m[2]
		}
		if len(m[2]) > 2 {
			if best := closestFlag(fs, m[2][1:]); best != "" {
				msg += "; did you mean --" + best + "?"
			}
		}
	case needsArgRe().MatchString(msg):
		m := needsArgRe().FindStringSubmatch(msg)
		flag := m[2]
		if m[1] != "" {
			flag = "-" + m[1]
		}
		msg = "flag " + flag + " needs a value"
	case invalidArgRe().MatchString(msg):
		m := invalidArgRe().FindStringSubmatch(msg)
		msg = fmt.Sprintf("%s %q: %s", m[2], m[1], m[3])
	}
	return usageLine(e, name, msg)
}

// usageLine prints `pxvalues NAME: MSG (see pxvalues NAME --help)` on
// stderr and returns exitUsage. MSG may quote the user's arguments: its
// control characters are escaped.
func usageLine(e *env, name, msg string) int {
	cmd := "pxvalues"
	if name != "" {
		cmd += " " + name
	}
	fmt.Fprintf(e.stderr, "%s: %s (see %s --help)\n", cmd, message.EscapeControls(msg), cmd)
	return exitUsage
}

// closestFlag returns the long flag of fs nearest to name.
func closestFlag(fs *pflag.FlagSet, name string) string {
	if f := fs.Lookup(name); f != nil && !f.Hidden {
		return name // -jobs for --jobs
	}
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	return suggest.Closest(name, names)
}
