package lint

import (
	"regexp"
	"strings"
)

// ignoreRe finds a suppression comment: `# pxvalues:ignore RULE[,RULE...] reason`.
var ignoreRe = regexp.MustCompile(`(?:^|\s)#\s*pxvalues:ignore\s+([A-Za-z0-9_,-]+)`)

// suppress drops the findings a `# pxvalues:ignore RULE reason` comment on
// their line, or alone on the line above, silences. `all` silences every rule.
func (r *run) suppress() {
	kept := r.diags[:0]
	for _, d := range r.diags {
		if r.ignored(d) {
			continue
		}
		kept = append(kept, d)
	}
	r.diags = kept
}

func (r *run) ignored(d Diagnostic) bool {
	if d.Line <= 0 || (d.File != "" && d.File != r.doc.Name) {
		return false
	}
	if ignoreMatches(r.doc.LineText(d.Line), d.Rule) {
		return true
	}
	if d.Line > 1 {
		above := strings.TrimSpace(r.doc.LineText(d.Line - 1))
		if strings.HasPrefix(above, "#") && ignoreMatches(above, d.Rule) {
			return true
		}
	}
	return false
}

func ignoreMatches(line, rule string) bool {
	if !strings.Contains(line, "pxvalues:ignore") {
		return false
	}
	m := ignoreRe.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	for _, id := range strings.Split(m[1], ",") {
		if id == rule || id == "all" {
			return true
		}
	}
	return false
}
