package format

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// GitLab writes a GitLab Code Quality report (a subset of the Code Climate
// issue format): a JSON array with one issue per finding, each with a
// description, check_name (the rule id), a fingerprint, a severity and a
// location (file and first line). GitLab compares fingerprints between the
// merge request and its target branch, so a fingerprint is built from the
// rule, file, key path and message (not the line: moving a key does not
// make its finding new) plus an occurrence number that keeps it unique.
//
// Severities: error is `major`, warning `minor`, info `info`. A finding set
// by a --set flag has no file: its location names the flag, at line 1.
type GitLab struct{}

type gitlabIssue struct {
	Type        string         `json:"type"`
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Categories  []string       `json:"categories"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// Format writes r as an indented JSON array.
func (GitLab) Format(w io.Writer, r *Report) error {
	issues := []gitlabIssue{}
	seen := map[string]int{}
	for _, f := range r.Files {
		for _, d := range f.Diagnostics {
			desc := d.Message
			if values.IsSetName(d.File) {
				desc = "set by " + d.File + ": " + desc
			}
			if d.Hint != "" {
				desc += " (hint: " + d.Hint + ")"
			}
			path := d.File
			if path == "" {
				path = f.Path
			}
			key := d.Rule + "\x00" + path + "\x00" + d.Path + "\x00" + d.Message
			n := seen[key]
			seen[key] = n + 1
			sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
			issues = append(issues, gitlabIssue{
				Type:        "issue",
				Description: desc,
				CheckName:   d.Rule,
				Fingerprint: hex.EncodeToString(sum[:16]),
				Severity:    gitlabSeverity(d.Severity),
				Categories:  []string{gitlabCategory(d.Severity)},
				Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(d.Line, 1)}},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(issues); err != nil {
		return fmt.Errorf("gitlab: %w", err)
	}
	return nil
}

func gitlabSeverity(s lint.Severity) string { return levelName(s, "info", "minor", "major") }

// gitlabCategory is the Code Climate category: every finding of pxvalues is
// about whether Helm and Polyaxon read the file as meant.
func gitlabCategory(s lint.Severity) string {
	if s == lint.Info {
		return "Clarity"
	}
	return "Bug Risk"
}
