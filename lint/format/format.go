// Package format writes lint reports: one Formatter per output format, each
// in its own file. Formats take plain data (results, rule documentation):
// none of them reads CUE or YAML.
package format

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/lint"
)

// Report is everything one `pxvalues lint` run found.
type Report struct {
	// Files are the results in the order the inputs were given.
	Files []*lint.Result
	// Rules documents the rules by id, for formats that describe them
	// (SARIF); lint.Linter.RuleDocs builds it.
	Rules map[string]lint.RuleDoc
	// Tool is the version string of pxvalues.
	Tool string
	// Hidden counts the findings left out of Files because they are below
	// the severity shown (--min-severity, --quiet); they still count for
	// the exit code.
	Hidden Summary
	// Skipped are the files a directory walk found that are not Polyaxon
	// values (not linted; counted in the summary, named with -v).
	Skipped []Skipped
}

// Skipped is a file left out of the run, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary counts findings by severity over all files.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Skipped counts the files left out (Report.Skipped).
	Skipped int `json:"skipped,omitempty"`
}

// Total is the number of findings counted.
func (s Summary) Total() int { return s.Errors + s.Warnings + s.Infos }

// Summary totals the report.
func (r *Report) Summary() Summary {
	s := Summary{Skipped: len(r.Skipped)}
	for _, f := range r.Files {
		e, w, i := f.Counts()
		s.Errors += e
		s.Warnings += w
		s.Infos += i
	}
	return s
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// Options tune formatters that have choices.
type Options struct {
	// Color enables ANSI colours in the text format.
	Color bool
	// Verbose adds detection details to the text format.
	Verbose bool
	// Quiet leaves out the text format's summary line.
	Quiet bool
}

// constructors maps each format name to its constructor; each format's file
// registers nothing at run time, the table is fixed here.
var constructors = map[string]func(Options) Formatter{
	"text":       func(o Options) Formatter { return &Text{Color: o.Color, Verbose: o.Verbose, Quiet: o.Quiet} },
	"json":       func(Options) Formatter { return JSON{} },
	"sarif":      func(Options) Formatter { return SARIF{} },
	"github":     func(Options) Formatter { return GitHub{} },
	"junit":      func(Options) Formatter { return JUnit{} },
	"gitlab":     func(Options) Formatter { return GitLab{} },
	"checkstyle": func(Options) Formatter { return Checkstyle{} },
}

// Names returns the format names, sorted.
func Names() []string {
	var n []string
	for k := range constructors {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// New returns the formatter called name.
func New(name string, o Options) (Formatter, error) {
	c, ok := constructors[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	return c(o), nil
}

// ShowAtLeast leaves out of r the findings below min, counting them in
// r.Hidden. The results are copied: the caller's stay whole.
func (r *Report) ShowAtLeast(min lint.Severity) {
	for i, f := range r.Files {
		var kept []lint.Diagnostic
		for _, d := range f.Diagnostics {
			if d.Severity >= min {
				kept = append(kept, d)
				continue
			}
			switch d.Severity {
			case lint.Error:
				r.Hidden.Errors++
			case lint.Warning:
				r.Hidden.Warnings++
			default:
				r.Hidden.Infos++
			}
		}
		if len(kept) != len(f.Diagnostics) {
			c := *f
			c.Diagnostics = kept
			r.Files[i] = &c
		}
	}
}

// levelName names s in a format's own words for info, warning and error.
func levelName(s lint.Severity, forInfo, forWarning, forError string) string {
	switch s {
	case lint.Error:
		return forError
	case lint.Warning:
		return forWarning
	}
	return forInfo
}

// writeXML writes v as an indented XML document with its header; format
// names the report in an encoding error.
func writeXML(w io.Writer, format string, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("%s: %w", format, err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
