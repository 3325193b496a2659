// Package message renders pxvalues' messages from a template and structured
// arguments: the one filler of lint rules, chart checks and migration texts.
// A template is pxvalues' own text and is never altered; an argument that
// holds a secret (package redact) is replaced by "<redacted>" and control
// characters in arguments are escaped, so that a message stays on one line
// and cannot drive a terminal.
package message

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pxvalues/pxvalues/internal/redact"
)

// Fill replaces each {name} of tmpl with args[name]; a placeholder without
// an argument stays as written. secrets may be nil. The arguments named in
// trusted are pxvalues' own words (a chart name, a major) and are not
// checked against the secrets.
func Fill(tmpl string, args map[string]string, secrets *redact.Set, trusted ...string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		if v, ok := args[name]; ok {
			if slices.Contains(trusted, name) {
				b.WriteString(EscapeControls(v))
			} else {
				b.WriteString(Arg(v, secrets))
			}
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// Arg renders one argument: "<redacted>" when it holds a secret, else the
// text with its control characters escaped.
func Arg(v string, secrets *redact.Set) string {
	if secrets.Hides(v) {
		return redact.Mark
	}
	return EscapeControls(v)
}

// EscapeControls writes the control characters of user text (a key holding
// a newline or an ANSI escape, a file name) as Go escapes, and the bytes of
// invalid UTF-8 as \xNN, so that a line of output stays one line, cannot
// drive a terminal and loses nothing.
func EscapeControls(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsControl(c):
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Sample quotes the first four names as code ("`a`, `b`, ...") for a
// message that shows a few of many.
func Sample(names []string) string {
	var q []string
	for i, n := range names {
		if i == 4 {
			q = append(q, "...")
			break
		}
		q = append(q, "`"+n+"`")
	}
	return strings.Join(q, ", ")
}

// Few joins the first four items with sep and says how many more there
// are, for a message that must stay short whatever the input holds.
func Few(items []string, sep string) string {
	if len(items) <= 4 {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:4], sep) + sep + "and " + strconv.Itoa(len(items)-4) + " more"
}
