package format

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/pxvalues/pxvalues/lint"
)

// JUnit writes a JUnit XML report for CI test viewers: one testsuite per
// linted file, one testcase per finding (errors and warnings are failures,
// infos pass with their text in system-out), or one passing testcase when
// the file has no finding.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Format writes r as indented XML.
func (JUnit) Format(w io.Writer, r *Report) error {
	out := junitSuites{Name: "pxvalues"}
	for _, f := range r.Files {
		s := junitSuite{Name: f.Path}
		for _, d := range f.Diagnostics {
			c := junitCase{Name: junitName(d), Classname: f.Path, File: d.File, Line: d.Line}
			text := d.String()
			if d.Hint != "" {
				text += "\nhint: " + d.Hint
			}
			for _, rel := range d.Related {
				text += "\n" + rel.Pos.String() + ": " + rel.Message
			}
			if d.Severity >= lint.Warning {
				c.Failure = &junitFailure{Message: d.Message, Type: d.Severity.String(), Text: text}
				s.Failures++
			} else {
				c.SystemOut = text
			}
			s.Cases = append(s.Cases, c)
		}
		if len(s.Cases) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "lint", Classname: f.Path})
		}
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Suites = append(out.Suites, s)
	}
	return writeXML(w, "junit", out)
}

// junitName names a finding's testcase: rule, key path and position.
func junitName(d lint.Diagnostic) string {
	parts := []string{d.Rule}
	if d.Path != "" {
		parts = append(parts, d.Path)
	}
	return strings.Join(parts, " ") + " (" + d.Pos.String() + ")"
}
