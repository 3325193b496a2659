// Package chart checks values files against a real Helm chart: the
// chart's own values.schema.json and its templates, rendered by the user's
// `helm template`. It backs `pxvalues lint --chart-dir`, and only that
// command imports it: Helm's chart loader and the JSON Schema validator stay
// out of the packages a plain `pxvalues lint` runs.
package chart

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// Rule ids of this package's findings (declared in cue/rules/chart.cue).
const (
	RuleSchema = ruleid.ChartSchema
	RuleRender = ruleid.ChartRender
)

// Chart is a Helm chart read from a directory or a .tgz archive.
type Chart struct {
	// Path is the directory or archive as given.
	Path string
	// Name and Version come from Chart.yaml.
	Name, Version string
	// Defaults is the chart's values.yaml with positions, or nil when the
	// chart has none.
	Defaults *values.Document

	c *helmChart
}

// Load reads the chart at path (a chart directory or a packaged .tgz) as
// Helm's own loader reads it (load.go).
func Load(path string) (*Chart, error) {
	c, err := loadChart(path)
	if err != nil {
		return nil, fmt.Errorf("reading chart %s: %w", path, err)
	}
	ch := &Chart{Path: path, Name: c.name, Version: c.version, c: c}
	if c.valuesData != nil {
		doc, err := values.Load(filepath.Join(path, "values.yaml"), c.valuesData, values.DefaultLimits())
		if err == nil {
			ch.Defaults = doc
		}
		// Otherwise Helm read it (loadChart parsed it) but pxvalues'
		// stricter reader refused it: positions are then unknown.
	}
	return ch, nil
}

// polyaxonCharts maps the names Polyaxon publishes its charts under
// (Chart.yaml `name`) to pxvalues' chart names.
var polyaxonCharts = map[string]string{"polyaxon": "platform", "agent": "agent", "polyaxon-agent": "agent"}

// Polyaxon returns the pxvalues chart and major of a Polyaxon chart, by
// its name and version (a release listed by a schema of the catalogue, else
// the major of its version number), or "" and "" for another chart.
func (c *Chart) Polyaxon(cat *cue.Catalog) (chart, major string) {
	chart = polyaxonCharts[c.Name]
	if chart == "" {
		return "", ""
	}
	version := strings.TrimPrefix(c.Version, "v")
	for _, m := range cue.Majors(chart) {
		if s, err := cat.Schema(chart, m); err == nil {
			for _, r := range s.Releases {
				if r == version {
					return chart, m
				}
			}
		}
	}
	m := "v" + strings.SplitN(version, ".", 2)[0]
	if !cue.ValidTarget(chart, m) {
		return "", ""
	}
	return chart, m
}

// Options configure a check.
type Options struct {
	// Rules is the rule table (messages and severities come from it).
	Rules *cue.Rules
	// Enabled reports whether a rule id is on; nil means every rule is.
	Enabled func(id string) bool
	// IsSecret reports whether the value at a path is a secret, to keep it
	// out of messages (Helm's and the validator's included).
	IsSecret func(segs []string) bool
	// Helm is the helm binary rendering the templates; "" skips rendering.
	Helm string
	// Release and Namespace are given to `helm template` (defaults: the
	// release "pxvalues", and Helm's own namespace, HELM_NAMESPACE when run
	// as a plugin).
	Release, Namespace string
	// Timeout bounds the render (default 2 minutes).
	Timeout time.Duration
	// Lint and LintOptions, when set, also lint the user's values merged
	// over the chart's defaults and report what only that shows.
	Lint        *lint.Linter
	LintOptions lint.Options
}

// Check checks the user's values against the chart: its values.schema.json,
// the linter on the values merged over the chart's defaults (Options.Lint)
// and `helm template` (Options.Helm). user is one values file, or the
// document values.Merge made of the -f and --set layers Helm is given;
// diagnostics carry the position of the layer that set the value involved.
func (c *Chart) Check(ctx context.Context, user *values.Document, opts Options) ([]lint.Diagnostic, error) {
	if user == nil || user.Root == nil {
		return nil, fmt.Errorf("no values to check against chart %s", c.Path)
	}
	layers := user.Layers
	if len(layers) == 0 {
		layers = []*values.Document{user}
	}
	k := &checker{c: c, opts: opts, user: user, layers: layers}
	if opts.IsSecret != nil {
		k.hide = redact.Collect(opts.IsSecret, append([]*values.Document{user}, layers...)...)
	}
	userValues, _ := user.Root.Interface().(map[string]any)
	k.coalesced = coalesceValues(c.c, userValues)
	if err := k.checkSchemas(); err != nil {
		return nil, err
	}
	if opts.Lint != nil {
		if err := k.lintMerged(); err != nil {
			return nil, err
		}
	}
	if opts.Helm != "" {
		if err := k.render(ctx); err != nil {
			return nil, err
		}
	}
	lint.SortDiagnostics(k.diags)
	return k.diags, nil
}

// checker is the state of one Check.
type checker struct {
	c         *Chart
	opts      Options
	user      *values.Document
	layers    []*values.Document
	coalesced map[string]any
	diags     []lint.Diagnostic
	// hide holds the texts of the user's secrets in every form (redact).
	hide *redact.Set
	// schemaFailed is set when the values.schema.json check reported
	// something: Helm's own refusal of the same values is then not repeated.
	schemaFailed bool
}

// report adds a finding of rule, filling the rule's message template.
func (k *checker) report(rule string, pos values.Pos, path string, args map[string]string, hint string, related ...lint.Related) {
	if k.opts.Enabled != nil && !k.opts.Enabled(rule) {
		return
	}
	sev := lint.Error
	// the arguments quote Helm's and the validator's errors: external text,
	// scrubbed of every form of a secret (%q-quoted, whitespace collapsed)
	for name, v := range args {
		args[name] = k.hide.Scrub(v)
	}
	hint = k.hide.Scrub(hint)
	msg := message.Arg(args["reason"], k.hide)
	if k.opts.Rules != nil {
		if r := k.opts.Rules.Get(rule); r != nil {
			if s, err := lint.ParseSeverity(r.Severity); err == nil {
				sev = s
			}
			args["path"] = path
			msg = message.Fill(r.Message, args, k.hide)
		}
	}
	k.diags = append(k.diags, lint.Diagnostic{Rule: rule, Severity: sev, Pos: pos, Path: path, Message: msg, Hint: hint, Related: related})
}

// where returns the position of the value at segs: where the user's values
// set it; where they set an ancestor to something that is not a map (a null
// that deleted the chart's section, say); else where the chart's values.yaml
// sets it; else the deepest ancestor the user's values have, or the user's
// file as a whole. key asks for the key's position rather than the value's.
func (k *checker) where(segs []string, key bool) (values.Pos, string) {
	path := joinPath(segs)
	at := func(n *values.Node) values.Pos {
		if key && n.Parent.Kind == values.MapKind {
			return n.KeyPos
		}
		return n.Pos
	}
	deepest, depth := k.user.Root, 0
	for depth < len(segs) {
		n := deepest.Lookup(segs[depth])
		if n == nil {
			break
		}
		deepest, depth = n, depth+1
	}
	switch {
	case depth == len(segs) && depth > 0:
		return at(deepest), path
	case depth > 0 && deepest.Kind != values.MapKind && deepest.Kind != values.ListKind:
		return deepest.Pos, path
	}
	if k.c.Defaults != nil {
		if n := k.c.Defaults.Root.Lookup(segs...); n != nil && n.Parent != nil {
			return at(n), path
		}
	}
	if depth > 0 {
		return deepest.KeyPos, path
	}
	return k.user.Start(), path
}

// joinPath renders segments the way values.Node.Path does.
func joinPath(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if isIndex(s) && b.Len() > 0 {
			b.WriteString("[" + s + "]")
			continue
		}
		b.WriteString(values.JoinKey(b.Len() == 0, s))
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
