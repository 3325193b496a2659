package format

import (
	"encoding/xml"
	"io"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// Checkstyle writes a Checkstyle XML report, the format reviewdog
// (-f=checkstyle), Jenkins' Warnings plugin and many CI viewers read:
//
//	<checkstyle version="4.3">
//	  <file name="values.yaml">
//	    <error line="3" column="5" severity="error" message="..." source="pxvalues.unknown-key"/>
//	  </file>
//	</checkstyle>
//
// One <file> per file that has findings (in order of first finding), one
// <error> per finding; severities are error, warning and info. A finding set
// by a --set flag is listed under a <file> named after the flag, at line 0
// (no line). The hint follows the message after a newline.
type Checkstyle struct{}

type checkstyleRoot struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// Format writes r as indented XML.
func (Checkstyle) Format(w io.Writer, r *Report) error {
	out := checkstyleRoot{Version: "4.3"}
	index := map[string]int{}
	for _, f := range r.Files {
		for _, d := range f.Diagnostics {
			name := d.File
			if name == "" {
				name = f.Path
			}
			i, ok := index[name]
			if !ok {
				i = len(out.Files)
				index[name] = i
				out.Files = append(out.Files, checkstyleFile{Name: name})
			}
			msg := d.Message
			if d.Hint != "" {
				msg += "\nhint: " + d.Hint
			}
			e := checkstyleError{Severity: checkstyleSeverity(d.Severity), Message: msg, Source: "pxvalues." + d.Rule}
			if !values.IsSetName(d.File) {
				e.Line, e.Column = d.Line, d.Column
			}
			out.Files[i].Errors = append(out.Files[i].Errors, e)
		}
	}
	return writeXML(w, "checkstyle", out)
}

func checkstyleSeverity(s lint.Severity) string { return levelName(s, "info", "warning", "error") }
