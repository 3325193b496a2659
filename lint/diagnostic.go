// Package lint checks a Polyaxon values document against the schemas and
// rules of its chart and major version and reports Diagnostics.
package lint

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// Severities, in increasing order.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalJSON writes the severity as its name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	v, err := ParseSeverity(str)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Related is a secondary position that explains a diagnostic: the first
// definition of a duplicate key, or another key a cross-field rule involves.
type Related struct {
	values.Pos
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Fix is a suggested change, as text edits on the file's original bytes.
type Fix struct {
	Message string        `json:"message"`
	Edits   []values.Edit `json:"edits"`
}

// Diagnostic is the one model for everything pxvalues reports: schema and
// rule findings, parse errors, upgrade notes and migration TODOs.
type Diagnostic struct {
	// Rule is the stable rule id (see `pxvalues rules`).
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Pos is where the finding is: the file (or --set flag) that set the
	// offending key or value, its line and column. A zero line means the
	// finding has no position in a file.
	values.Pos
	// Path is the dotted key path ("gateway.service.type", "connections[1].name").
	Path    string    `json:"path"`
	Message string    `json:"message"`
	Hint    string    `json:"hint,omitempty"`
	Related []Related `json:"related,omitempty"`
	Fix     *Fix      `json:"fix,omitempty"`
}

// String formats the diagnostic compiler style: file:line:col: severity: message [rule].
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", d.Pos, d.Severity, d.Message, d.Rule)
}
