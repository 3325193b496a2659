package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/lint"
)

// Text writes one finding a line, compiler style:
//
//	file:line:col: severity: message [rule]
//	    hint: ...
//
// followed by a one-line summary.
type Text struct {
	Color   bool
	Verbose bool
	// Quiet leaves out the summary line.
	Quiet bool
}

// Format writes r.
func (t *Text) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	paint := func(c *color.Color, s string) string {
		if !t.Color {
			return s
		}
		c.EnableColor()
		return c.Sprint(s)
	}
	sevColor := map[lint.Severity]*color.Color{
		lint.Error:   color.New(color.FgRed, color.Bold),
		lint.Warning: color.New(color.FgYellow, color.Bold),
		lint.Info:    color.New(color.FgCyan),
	}
	dim := color.New(color.Faint)
	bold := color.New(color.Bold)
	for _, f := range r.Files {
		if t.Verbose && f.Chart != "" {
			fmt.Fprintf(bw, "%s: %s %s (%s)\n", esc(f.Path), f.Chart, f.Major, esc(strings.Join(f.DetectedBy, "; ")))
		}
		for _, d := range f.Diagnostics {
			fmt.Fprintf(bw, "%s: %s: %s %s\n", paint(bold, esc(d.Pos.String())), paint(sevColor[d.Severity], d.Severity.String()), d.Message, paint(dim, "["+d.Rule+"]"))
			if d.Hint != "" {
				fmt.Fprintf(bw, "    hint: %s\n", d.Hint)
			}
			for _, rel := range d.Related {
				fmt.Fprintf(bw, "    %s: %s\n", esc(rel.Pos.String()), esc(rel.Message))
			}
		}
	}
	if t.Verbose {
		for _, sk := range r.Skipped {
			fmt.Fprintf(bw, "%s: skipped: %s\n", sk.Path, sk.Reason)
		}
	}
	s := r.Summary()
	if (len(r.Files) > 0 || s.Skipped > 0) && !t.Quiet {
		line := fmt.Sprintf("%d %s: %s, %s, %s", len(r.Files), plural(len(r.Files), "file"),
			count(s.Errors, "error"), count(s.Warnings, "warning"), count(s.Infos, "info"))
		if h := r.Hidden; h.Total() > 0 {
			var parts []string
			for _, p := range []struct {
				n    int
				word string
			}{{h.Errors, "error"}, {h.Warnings, "warning"}, {h.Infos, "info"}} {
				if p.n > 0 {
					parts = append(parts, count(p.n, p.word))
				}
			}
			line += " shown; " + strings.Join(parts, ", ") + " below --min-severity not shown"
		}
		if s.Skipped > 0 {
			line += fmt.Sprintf("; %d skipped (not Polyaxon values; -v names them)", s.Skipped)
		}
		fmt.Fprintf(bw, "%s\n", paint(dim, line))
	}
	return bw.Flush()
}

// esc escapes what the user named (file names) so that it can neither
// forge a finding line nor send terminal escapes.
func esc(s string) string { return message.EscapeControls(s) }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func count(n int, word string) string { return fmt.Sprintf("%d %s", n, plural(n, word)) }
