package format

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// HelpURI is where each rule's documentation lives: the README's rule table,
// which has an anchor per rule (#rule-ID).
const HelpURI = "https://github.com/pxvalues/pxvalues#rule-"

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts: one run,
// the rules that have results (id, short and full description, help text and
// a help URI into the README), and one result per diagnostic with its file,
// line and column. Diagnostics are already free of secret values; no source
// snippet is copied into the log.
type SARIF struct{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifConfig     `json:"defaultConfiguration"`
	Properties           sarifProperties `json:"properties"`
}

type sarifConfig struct {
	Level   string `json:"level"`
	Enabled bool   `json:"enabled"`
}

type sarifProperties struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations,omitempty"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	ID               *int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	Message          *sarifText     `json:"message,omitempty"`
	Logical          []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// Format writes r as indented SARIF JSON.
func (SARIF) Format(w io.Writer, r *Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "pxvalues",
			Version:        r.Tool,
			InformationURI: "https://github.com/pxvalues/pxvalues",
			Rules:          []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	index := map[string]int{}
	for _, f := range r.Files {
		primary := primaryFile(f.Path)
		for _, d := range f.Diagnostics {
			i, ok := index[d.Rule]
			if !ok {
				i = len(run.Tool.Driver.Rules)
				index[d.Rule] = i
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(d, r.Rules))
			}
			msg := d.Message
			if values.IsSetName(d.File) {
				msg = "set by " + d.File + ": " + msg
			}
			if d.Hint != "" {
				msg += "\nHint: " + d.Hint
			}
			res := sarifResult{RuleID: d.Rule, RuleIndex: i, Level: sarifLevel(d.Severity), Message: sarifText{Text: msg}}
			if loc, ok := sarifLocate(d.Pos, primary); ok {
				if d.Path != "" {
					loc.Logical = []sarifLogical{{FullyQualifiedName: d.Path, Kind: "member"}}
				}
				res.Locations = []sarifLocation{loc}
			}
			for j, rel := range d.Related {
				loc, ok := sarifLocate(rel.Pos, primary)
				if !ok {
					continue
				}
				id := j + 1
				loc.ID, loc.Message = &id, &sarifText{Text: rel.Message}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
			run.Results = append(run.Results, res)
		}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// primaryFile is the file findings without a file position are shown on:
// the input itself, or the first -f layer of a merged document.
func primaryFile(path string) string {
	for _, name := range strings.Split(path, values.LayerSep) {
		if !values.IsSetName(name) {
			return name
		}
	}
	return ""
}

// sarifLocate places a position. A value set by a --set flag has no line:
// it is shown at the top of the primary file, as GitHub requires a file
// location for every result.
func sarifLocate(p values.Pos, primary string) (sarifLocation, bool) {
	file, line, col := p.File, p.Line, p.Column
	if file == "" || values.IsSetName(file) {
		file, line, col = primary, 1, 1
	}
	if file == "" {
		return sarifLocation{}, false
	}
	if line < 1 {
		line, col = 1, 1
	}
	if col < 1 {
		col = 1
	}
	return sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: fileURI(file)},
		Region:           &sarifRegion{StartLine: line, StartColumn: col},
	}}, true
}

// fileURI turns a path into a relative URI reference with forward slashes.
func fileURI(path string) string {
	p := strings.TrimPrefix(filepath.ToSlash(path), "./")
	u := (&url.URL{Path: p}).EscapedPath()
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		u = "./" + u // not a URI scheme
	}
	return u
}

func sarifLevel(s lint.Severity) string { return levelName(s, "note", "warning", "error") }

// sarifRuleFor describes the rule of d from the rule table.
func sarifRuleFor(d lint.Diagnostic, rules map[string]lint.RuleDoc) sarifRule {
	sr := sarifRule{
		ID:                   d.Rule,
		ShortDescription:     sarifText{Text: d.Rule},
		FullDescription:      sarifText{Text: d.Rule},
		Help:                 sarifText{Text: "See " + HelpURI + d.Rule},
		HelpURI:              HelpURI + d.Rule,
		DefaultConfiguration: sarifConfig{Level: sarifLevel(d.Severity), Enabled: true},
		Properties:           sarifProperties{Tags: []string{"polyaxon", "helm-values"}},
	}
	rule, ok := rules[d.Rule]
	if !ok {
		return sr
	}
	sr.Name = ruleName(rule.ID)
	sr.ShortDescription.Text = rule.Summary
	doc := strings.TrimSpace(rule.Doc)
	full := rule.Summary
	if doc != "" {
		full = firstParagraph(doc)
	}
	sr.FullDescription.Text = full
	var text, md strings.Builder
	text.WriteString(rule.Summary + "\n\n")
	md.WriteString("**" + rule.Summary + "**\n\n")
	if doc != "" {
		text.WriteString(doc + "\n\n")
		md.WriteString(doc + "\n\n")
	}
	if rule.Bad != "" {
		text.WriteString("Bad:\n" + rule.Bad + "\n\n")
		md.WriteString("Bad:\n\n```yaml\n" + strings.TrimRight(rule.Bad, "\n") + "\n```\n\n")
	}
	if rule.Good != "" {
		text.WriteString("Good:\n" + rule.Good + "\n\n")
		md.WriteString("Good:\n\n```yaml\n" + strings.TrimRight(rule.Good, "\n") + "\n```\n\n")
	}
	text.WriteString("`pxvalues explain " + rule.ID + "` prints this page.")
	md.WriteString("`pxvalues explain " + rule.ID + "` prints this page.")
	sr.Help = sarifText{Text: text.String(), Markdown: md.String()}
	if rule.Severity != 0 {
		sr.DefaultConfiguration = sarifConfig{Level: sarifLevel(rule.Severity), Enabled: rule.Enabled}
	}
	if rule.Category != "" {
		// SARIF requires unique tags: the "polyaxon" category is also a base tag.
		if !slices.Contains(sr.Properties.Tags, rule.Category) {
			sr.Properties.Tags = append(sr.Properties.Tags, rule.Category)
		}
	}
	return sr
}

// ruleName turns "unknown-key" into "UnknownKey", SARIF's rule name style.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func firstParagraph(s string) string {
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}
