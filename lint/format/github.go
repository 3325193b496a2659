package format

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// GitHub writes GitHub Actions workflow commands, one a finding, which the
// runner turns into annotations on the changed lines of a pull request:
//
//	::error file=values.yaml,line=3,col=5,title=unknown-key::unknown key `replics` ...
//
// Errors are `error`, warnings `warning` and infos `notice`. Values set by a
// --set flag have no file: their annotation names the flag in its message.
type GitHub struct{}

// Format writes r.
func (GitHub) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Files {
		for _, d := range f.Diagnostics {
			var props []string
			msg := d.Message
			switch {
			case values.IsSetName(d.File):
				msg = "set by " + d.File + ": " + msg
			case d.File != "":
				props = append(props, "file="+escapeProperty(d.File))
				if d.Line > 0 {
					props = append(props, "line="+strconv.Itoa(d.Line))
					if d.Column > 0 {
						props = append(props, "col="+strconv.Itoa(d.Column))
					}
				}
			}
			props = append(props, "title="+escapeProperty(d.Rule))
			if d.Hint != "" {
				msg += "\nhint: " + d.Hint
			}
			fmt.Fprintf(bw, "::%s %s::%s\n", githubLevel(d.Severity), strings.Join(props, ","), escapeData(msg))
		}
	}
	return bw.Flush()
}

func githubLevel(s lint.Severity) string { return levelName(s, "notice", "warning", "error") }

// escapeData escapes a command's message the way @actions/core does, then
// the other control characters and invalid UTF-8 (message.EscapeControls).
func escapeData(s string) string {
	return message.EscapeControls(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a command's property value the way @actions/core
// does: also ':' and ','; then as escapeData.
func escapeProperty(s string) string {
	return message.EscapeControls(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
