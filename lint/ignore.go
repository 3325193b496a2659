package lint

import (
	"regexp"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/suggest"
	"github.com/pxvalues/pxvalues/values"
)

// Suppression, as staticcheck does it:
//
//	key: value # pxvalues:ignore RULE[,RULE...] reason      (this line)
//	# pxvalues:ignore RULE[,RULE...] reason                 (the next line)
//	# pxvalues:ignore-file RULE[,RULE...] reason            (the whole file)
//
// RULE may be `all`. A comment without a reason suppresses nothing and is
// reported (ignore-invalid), as is an unknown rule id (with a
// did-you-mean); the known ids of the comment still apply. With
// ignore-unused on (--report-unused-ignores), an id that suppressed
// nothing, in a run where its rule was on, is reported.

// directiveRe reads the part of a comment after `#`.
var directiveRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*pxvalues:(ignore-file|ignore)\b(.*)$`) })

// directive is one suppression comment.
type directive struct {
	pos    values.Pos
	kind   string // "ignore" or "ignore-file"
	line   int    // the line it covers (ignore)
	ids    []string
	valid  bool // has ids and a reason
	used   map[string]bool
	anyHit bool
}

// commentStart returns the byte index of the `#` that starts a comment on
// line, or -1: a `#` at the start or after a blank, outside quotes.
func commentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' || line[i-1] == ':' || line[i-1] == '[' || line[i-1] == '{' || line[i-1] == ',' || line[i-1] == '-' {
				quote = c
			}
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		}
	}
	return -1
}

// directives reads the suppression comments of the document's own file.
func (r *run) directives() []*directive {
	var out []*directive
	for ln := 1; ln <= r.doc.Lines(); ln++ {
		text := r.doc.LineText(ln)
		if !strings.Contains(text, "pxvalues:ignore") {
			continue
		}
		at := commentStart(text)
		if at < 0 {
			continue
		}
		m := directiveRe().FindStringSubmatch(text[at+1:])
		if m == nil {
			continue
		}
		d := &directive{
			pos:  values.Pos{File: r.doc.Name, Line: ln, Column: at + 1},
			kind: m[1], line: ln, used: map[string]bool{},
		}
		if strings.TrimSpace(text[:at]) == "" {
			d.line = ln + 1 // alone on its line: covers the next one
		}
		fields := strings.Fields(m[2])
		if len(fields) > 0 {
			for _, id := range strings.Split(fields[0], ",") {
				if id != "" {
					d.ids = append(d.ids, id)
				}
			}
		}
		d.valid = len(d.ids) > 0 && len(fields) > 1
		out = append(out, d)
	}
	return out
}

// covers reports whether d silences rule (d's ids and their validity
// already checked).
func (d *directive) covers(rule string) (string, bool) {
	for _, id := range d.ids {
		if id == rule || id == "all" {
			return id, true
		}
	}
	return "", false
}

// suppress drops the findings the document's suppression comments silence
// and reports invalid and (when ignore-unused is on) unused comments.
func (r *run) suppress() {
	dirs := r.directives()
	if len(dirs) == 0 {
		return
	}
	known := map[string]bool{"all": true}
	var ids []string
	for _, rule := range r.l.rules.All() {
		known[rule.ID] = true
		ids = append(ids, rule.ID)
	}
	kept := r.diags[:0]
	for _, d := range r.diags {
		if !r.silenced(d, dirs, known) {
			kept = append(kept, d)
		}
	}
	r.diags = kept
	for _, d := range dirs {
		r.checkDirective(d, known, ids)
	}
}

// silenced reports whether a valid directive silences d, marking it used.
func (r *run) silenced(d Diagnostic, dirs []*directive, known map[string]bool) bool {
	if d.File != "" && d.File != r.doc.Name {
		return false
	}
	for _, dir := range dirs {
		if !dir.valid || (dir.kind == "ignore" && (d.Line <= 0 || d.Line != dir.line && d.Line != dir.pos.Line)) {
			continue
		}
		if dir.kind == "ignore" && d.Line == dir.pos.Line && dir.line != dir.pos.Line {
			continue // a comment alone on its line covers the next line only
		}
		if id, ok := dir.covers(d.Rule); ok && known[id] {
			dir.used[id] = true
			dir.anyHit = true
			return true
		}
	}
	return false
}

// checkDirective reports what is wrong with one suppression comment.
func (r *run) checkDirective(d *directive, known map[string]bool, ids []string) {
	kind := "pxvalues:" + d.kind
	if len(d.ids) == 0 {
		r.report(ruleid.IgnoreInvalid, d.pos, "", map[string]string{"kind": kind, "problem": "names no rule",
			"hint": "write `# " + kind + " RULE reason`"})
		return
	}
	for _, id := range d.ids {
		if known[id] {
			continue
		}
		args := map[string]string{"kind": kind, "problem": "names the unknown rule `" + id + "`", "hint": "see `pxvalues rules`"}
		if best := suggest.Closest(id, ids); best != "" {
			args["hint"] = "did you mean `" + best + "`?"
		}
		r.report(ruleid.IgnoreInvalid, d.pos, "", args)
	}
	if !d.valid {
		r.report(ruleid.IgnoreInvalid, d.pos, "", map[string]string{"kind": kind, "problem": "gives no reason, so it silences nothing",
			"hint": "say why after the rule ids: `# " + kind + " " + strings.Join(d.ids, ",") + " REASON`"})
		return
	}
	for _, id := range d.ids {
		switch {
		case !known[id] || d.used[id]:
		case id == "all" && !d.anyHit:
			r.report(ruleid.IgnoreUnused, d.pos, "", map[string]string{"kind": kind, "id": id})
		case id != "all" && r.enabled[id]:
			r.report(ruleid.IgnoreUnused, d.pos, "", map[string]string{"kind": kind, "id": id})
		}
	}
}
