package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

// Options select what a lint run checks.
type Options struct {
	// Chart and Major override detection when not empty. A Chart also says
	// that the file is Polyaxon values whatever its keys.
	Chart, Major string
	// ValuesPath is the top-level key Polyaxon's values sit under (an
	// umbrella chart's values), "." for the root; "" detects it.
	ValuesPath string
	// Target is "helm" (what the chart reads, the default) or "polyaxon-cli"
	// (also what `polyaxon admin deploy` rejects).
	Target string
	// Enable and Disable switch rules on and off by id.
	Enable, Disable []string
	// Redundant turns on redundant-value: values equal to the chart default.
	Redundant bool
	// UpgradeTo turns on the upgrade rules: "next" (the next major) or a
	// major ("v2"); "" for none.
	UpgradeTo string
}

// Linter runs the checks. It holds only read-only compiled knowledge and is
// safe for concurrent use.
type Linter struct {
	cat     *cue.Catalog
	rules   *cue.Rules
	secrets cue.Secrets
	data    *ruleData
	sub     *cue.SubchartFacts
}

// New returns a linter that reads its schemas and rules from cat.
func New(cat *cue.Catalog) (*Linter, error) {
	rules, err := cat.Rules()
	if err != nil {
		return nil, err
	}
	secrets, err := cat.Secrets()
	if err != nil {
		return nil, err
	}
	data, err := loadRuleData(rules)
	if err != nil {
		return nil, err
	}
	sub, err := cat.SubchartFacts()
	if err != nil {
		return nil, err
	}
	return &Linter{cat: cat, rules: rules, secrets: secrets, data: data, sub: sub}, nil
}

// Rules returns the rule table.
func (l *Linter) Rules() *cue.Rules { return l.rules }

// RuleDoc is the documentation of one rule as plain data: what the output
// formats (lint/format) print about a rule.
type RuleDoc struct {
	ID       string
	Severity Severity
	Enabled  bool
	Category string
	Summary  string
	Doc      string
	Bad      string
	Good     string
}

// RuleDocs returns the documentation of every rule, by id.
func (l *Linter) RuleDocs() map[string]RuleDoc {
	out := map[string]RuleDoc{}
	for _, r := range l.rules.All() {
		sev, _ := ParseSeverity(r.Severity)
		out[r.ID] = RuleDoc{ID: r.ID, Severity: sev, Enabled: r.Enabled, Category: r.Category,
			Summary: r.Summary, Doc: r.Doc, Bad: r.Bad, Good: r.Good}
	}
	return out
}

// Result is the outcome of linting one document.
type Result struct {
	// Path is the file as given by the user.
	Path string
	cue.Detection
	Diagnostics []Diagnostic
}

// Counts returns the number of errors, warnings and infos.
func (r *Result) Counts() (errors, warnings, infos int) {
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		case Info:
			infos++
		}
	}
	return
}

// ParseErrorResult turns a load failure into a result with one parse-error
// diagnostic at the error's position.
func (l *Linter) ParseErrorResult(path string, err error) *Result {
	pos := values.Pos{File: path}
	msg := err.Error()
	var verr *values.Error
	if ok := asValuesError(err, &verr); ok {
		pos, msg = verr.Pos, verr.Msg
	}
	r := &Result{Path: path}
	rule := l.rules.Get(ruleid.ParseError)
	d := Diagnostic{Rule: ruleid.ParseError, Severity: Error, Pos: pos, Message: msg}
	if rule != nil {
		// the reason is pxvalues' own text about the input (no value of it)
		d.Message = message.Fill(rule.Message, map[string]string{"reason": msg}, nil)
	}
	r.Diagnostics = append(r.Diagnostics, d)
	return r
}

// notValues is the one finding of a file that is not Polyaxon values.
func (l *Linter) notValues(doc *values.Document, det cue.Detection) *Result {
	r := &Result{Path: doc.Name, Detection: det}
	rule := l.rules.Get(ruleid.NotValues)
	d := Diagnostic{Rule: ruleid.NotValues, Severity: Error, Pos: doc.Start(), Message: "does not look like Polyaxon values: " + det.NotValues}
	if rule != nil {
		d.Message = message.Fill(rule.Message, map[string]string{"reason": det.NotValues}, nil)
		d.Hint = rule.Hint
	}
	r.Diagnostics = append(r.Diagnostics, d)
	return r
}

// run is the state of one lint of one document.
type run struct {
	l       *Linter
	doc     *values.Document
	opts    Options
	det     cue.Detection
	schema  *cue.Schema
	diags   []Diagnostic
	enabled map[string]bool
	// upgrade holds the upgrade entries when the lint looks at the next
	// major (nil otherwise).
	upgrade upgradeTable
	// secret marks the nodes whose values are secrets (markSecrets).
	secret map[*values.Node]bool
	// hide holds the texts of the document's secrets: a message argument
	// holding one is redacted when rendered.
	hide *redact.Set
}

// Lint checks doc and returns its diagnostics, sorted by position.
func (l *Linter) Lint(doc *values.Document, opts Options) (*Result, error) {
	rules, err := l.cat.DetectRules()
	if err != nil {
		return nil, err
	}
	det := cue.DetectPinned(doc, rules, cue.Pins{Chart: opts.Chart, Major: opts.Major, ValuesPath: opts.ValuesPath})
	if det.NotValues != "" && opts.Chart == "" {
		return l.notValues(doc, det), nil
	}
	if !cue.ValidTarget(det.Chart, det.Major) {
		return nil, fmt.Errorf("%s: no schema for chart %s %s", doc.Name, det.Chart, det.Major)
	}
	schema, err := l.cat.Schema(det.Chart, det.Major)
	if err != nil {
		return nil, err
	}
	doc = cue.ValuesRoot(doc, det)
	r := &run{l: l, doc: doc, opts: opts, det: det, schema: schema, enabled: l.switches(opts, det.Chart, det.Major)}
	if r.opts.UpgradeTo == "" {
		// An upgrade rule switched on by id (--enable, or `enable:` in the
		// configuration) without --next or --upgrade-to looks at the next
		// major.
		for _, rule := range l.rules.All() {
			if rule.Category == "upgrade" && r.enabled[rule.ID] {
				r.opts.UpgradeTo = "next"
			}
		}
	}
	if len(r.upgradeSteps()) > 0 {
		// the entries are decoded only when there is a major to look at
		// (none past the newest)
		if r.upgrade, err = l.data.upgrade(); err != nil {
			return nil, err
		}
	}
	r.markSecrets()
	r.checkYAML(doc.Root)
	r.checkSchema(doc.Root, schema.Root, false)
	r.checkMixed()
	r.checkSemantic()
	r.checkTodos()
	r.hedge()
	r.suppress()
	r.dropLeakingFixes()
	SortDiagnostics(r.diags)
	return &Result{Path: doc.Name, Detection: det, Diagnostics: r.diags}, nil
}

// report adds a finding of rule at pos, filling the rule's message and hint
// templates with args.
func (r *run) report(ruleID string, pos values.Pos, path string, args map[string]string, related ...Related) *Diagnostic {
	if on, declared := r.enabled[ruleID]; declared && !on {
		return nil
	}
	rule := r.l.rules.Get(ruleID)
	if rule == nil {
		// A rule used by the engine but not declared in cue/rules: a bug that
		// TestEngineRulesDeclared catches; still report the finding.
		rule = &cue.Rule{ID: ruleID, Severity: "error", Message: "{path}: undeclared rule " + ruleID}
	}
	sev, _ := ParseSeverity(rule.Severity)
	if args == nil {
		args = map[string]string{}
	}
	args["chart"], args["major"], args["path"] = r.det.Chart, r.det.Major, path
	d := Diagnostic{
		Rule:     ruleID,
		Severity: sev,
		Pos:      pos,
		Path:     message.Arg(path, r.hide), // a key a --set split off a secret
		Message:  r.render(rule.Message, args),
		Related:  related,
	}
	if h, ok := args["hint"]; ok {
		d.Hint = h
	} else if rule.Hint != "" {
		d.Hint = r.render(rule.Hint, args)
	}
	d.Hint = r.pinMigrate(d.Hint)
	r.diags = append(r.diags, d)
	return &r.diags[len(r.diags)-1]
}

// render fills the {name} placeholders of a template of pxvalues with
// args: an argument holding a secret of the document is replaced by
// <redacted> (redaction at the source); the template's own words never are.
// The chart and major are pxvalues' words too.
func (r *run) render(tmpl string, args map[string]string) string {
	return message.Fill(tmpl, args, r.hide, "chart", "major")
}

// SortDiagnostics sorts ds by file, line, column and rule id, keeping the
// order of equal ones: the one order of every report.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

func (r *run) checkMixed() {
	if len(r.det.Mixed) == 0 || r.opts.Major != "" {
		return
	}
	// Point at the first key of the other major, in file order.
	pos, path := r.doc.Start(), ""
	for _, p := range r.det.MixedPaths {
		if n := r.doc.Root.Lookup(strings.Split(p, ".")...); n != nil && n.KeyPos.IsValid() &&
			(path == "" || n.KeyPos.File == pos.File && n.KeyPos.Offset < pos.Offset) {
			pos, path = n.KeyPos, n.Path()
		}
	}
	// the newest older major the leftover keys belong to: migrating from it
	// carries them over without taking the newer keys for unknown ones
	from := r.det.MixedMajors[0]
	for _, m := range r.det.MixedMajors {
		if m < r.det.Major && m > from {
			from = m
		}
	}
	hint := fmt.Sprintf("finish the migration: %s, or pass --major %s", r.migrateCmd(from, r.det.Major), r.det.Major)
	for _, m := range r.det.MixedMajors {
		if m > r.det.Major {
			hint = fmt.Sprintf("move the %s keys back to their %s form, or migrate the whole file: %s; or pass --major", m, r.det.Major, r.migrateCmd(r.det.Major, m))
		}
	}
	r.report(ruleid.MixedVersion, pos, path, map[string]string{
		"hint":    hint,
		"other":   strings.Join(r.det.MixedMajors, ", "),
		"signals": message.Few(r.det.Mixed, "; "),
	})
}
