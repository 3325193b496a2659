package cue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// Export targets: what must accept a file the exported schema accepts.
const (
	// TargetHelm accepts every key the chart reads (the default).
	TargetHelm = "helm"
	// TargetPolyaxonCLI also leaves out the keys `polyaxon admin deploy`
	// rejects (Meta.CLI == "rejected").
	TargetPolyaxonCLI = "polyaxon-cli"
)

// ExportOptions select what an exported schema accepts and says.
type ExportOptions struct {
	// Target is TargetHelm (or "") or TargetPolyaxonCLI.
	Target string
	// Docs describe keys in the JSON Schema, by dotted path (`*` stands
	// for any one key): Catalog.KeyDocs.
	Docs map[string]string
}

func (o ExportOptions) check() error {
	switch o.Target {
	case "", TargetHelm, TargetPolyaxonCLI:
		return nil
	}
	return fmt.Errorf("export target %q: want %s or %s", o.Target, TargetHelm, TargetPolyaxonCLI)
}

// keep reports whether a field belongs to the exported schema.
func (o ExportOptions) keep(f *Field) bool {
	return !(o.Target == TargetPolyaxonCLI && f.Meta.CLI == "rejected")
}

// JSONDraft07 is the dialect of the exported JSON Schemas: the one both
// Helm's validator and gojsonschema read.
const JSONDraft07 = "http://json-schema.org/draft-07/schema#"

// jsonSchema is the subset of draft-07 the exporter writes. Field order is
// the output order; encoding/json sorts the property names.
type jsonSchema struct {
	Schema      string `json:"$schema,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// DeprecationMessage is the yaml-language-server (VS Code) extension
	// that strikes a key through; validators ignore it.
	DeprecationMessage string `json:"deprecationMessage,omitempty"`
	WriteOnly          bool   `json:"writeOnly,omitempty"`
	// Type is a string or a list of strings.
	Type                 any                    `json:"type,omitempty"`
	Default              any                    `json:"default,omitempty"`
	Examples             []any                  `json:"examples,omitempty"`
	Enum                 []any                  `json:"enum,omitempty"`
	Minimum              *float64               `json:"minimum,omitempty"`
	Maximum              *float64               `json:"maximum,omitempty"`
	Pattern              string                 `json:"pattern,omitempty"`
	AllOf                []*jsonSchema          `json:"allOf,omitempty"`
	Properties           map[string]*jsonSchema `json:"properties,omitempty"`
	AdditionalProperties any                    `json:"additionalProperties,omitempty"`
	Items                *jsonSchema            `json:"items,omitempty"`
}

// JSONSchema returns the schema as a draft-07 JSON Schema document, usable
// as a chart's values.schema.json and as a yaml-language-server target.
//
// It is written from the compiled Type tree, the one pxvalues' own lint
// walks, so both accept the same files:
//   - a closed map lists its keys in properties with additionalProperties
//     false; an open map allows other keys (typed by Elem when it has one);
//   - every key also accepts null: in Helm a null deletes a chart default;
//     list items and the values of open maps accept null when the CUE
//     schema says so (`[string]: null | {...}`), not otherwise (a null
//     connection is a mistake Polyaxon's validator refuses);
//   - integers are "integer", enums are enum (plus null), bounds are
//     minimum/maximum, regexps are pattern;
//   - a plain number where a string is expected (`imageTag: 2.10`) is
//     rejected: pxvalues warns about it (number-as-string) because Helm
//     reads 2.1, and the schema, which only sees the number, refuses it;
//   - the description says what the key is for (opts.Docs), the releases
//     of the major that read it, and what Meta says (dead, CLI-only keys);
//     deprecationMessage marks keys newer releases of the major dropped;
//   - a scalar or list key the newest chart gives a default has it as
//     `default` and, unless empty, as the one entry of `examples` (what an
//     editor offers to complete); secret keys get neither.
//
// With Target TargetPolyaxonCLI the keys Polyaxon's validator rejects are
// left out, so they are reported as unknown.
func (s *Schema) JSONSchema(opts ExportOptions) ([]byte, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	ex := &exporter{opts: opts, releases: s.Releases}
	root, err := ex.exportType(s.Root, false, s.Defaults, "")
	if err != nil {
		return nil, fmt.Errorf("exporting %s: %w", DefName(s.Chart, s.Major), err)
	}
	root.Schema = JSONDraft07
	root.Title = s.title()
	root.Description = s.Description(opts)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("exporting %s: %w", DefName(s.Chart, s.Major), err)
	}
	return buf.Bytes(), nil
}

func (s *Schema) title() string {
	return fmt.Sprintf("Polyaxon %s chart %s values", s.Chart, s.Major)
}

// Description is the one-line description of the exported schemas.
func (s *Schema) Description(opts ExportOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Values of the Polyaxon %s chart %s", s.Chart, s.Major)
	if n := len(s.Releases); n > 0 {
		fmt.Fprintf(&b, " (releases %s to %s)", s.Releases[0], s.Releases[n-1])
	}
	if opts.Target == TargetPolyaxonCLI {
		b.WriteString(", as `polyaxon admin deploy` accepts them")
	}
	b.WriteString(". Generated by pxvalues from its CUE schema ")
	b.WriteString(DefName(s.Chart, s.Major))
	b.WriteString(".")
	return b.String()
}

// nullable adds null to what exportType accepts (map properties: a Helm
// null deletes the default). List items and open-map values accept null
// only when t itself does.

// exporter writes one JSON Schema.
type exporter struct {
	opts     ExportOptions
	releases []string
}

// exportType converts t at the dotted path of the values file; def is the
// chart default there (nil when none).
func (ex *exporter) exportType(t *Type, nullable bool, def any, path string) (*jsonSchema, error) {
	if t.Any() {
		// Anything, maps with any keys included: `_` in CUE.
		return &jsonSchema{}, nil
	}
	kinds := t.Kinds
	if nullable {
		kinds |= KindsOf(values.NullKind)
	}
	js := &jsonSchema{}
	var types []string
	for _, k := range []values.Kind{values.MapKind, values.ListKind, values.StringKind, values.NumberKind, values.BoolKind, values.NullKind} {
		if !kinds.Has(k) {
			continue
		}
		switch k {
		case values.MapKind:
			types = append(types, "object")
		case values.ListKind:
			types = append(types, "array")
		case values.StringKind:
			types = append(types, "string")
		case values.NumberKind:
			if t.Int {
				types = append(types, "integer")
			} else {
				types = append(types, "number")
			}
		case values.BoolKind:
			types = append(types, "boolean")
		case values.NullKind:
			types = append(types, "null")
		}
	}
	switch len(types) {
	case 0:
		return nil, fmt.Errorf("a type that accepts nothing")
	case 1:
		js.Type = types[0]
	default:
		if len(types) < 6 {
			js.Type = types
		}
	}
	if len(t.Enum) > 0 {
		if kinds.Has(values.MapKind) || kinds.Has(values.ListKind) {
			// JSON Schema's enum would also constrain maps and lists,
			// pxvalues' only scalars: no schema of the dialect does this.
			return nil, fmt.Errorf("an enum beside a map or list type is outside the export dialect")
		}
		js.Enum = append(js.Enum, t.Enum...)
		if nullable {
			js.Enum = append(js.Enum, nil)
		}
	}
	if kinds.Has(values.NumberKind) {
		js.Minimum, js.Maximum = t.Min, t.Max
	}
	if kinds.Has(values.StringKind) {
		for i, re := range t.Patterns {
			if i == 0 {
				js.Pattern = re.String()
				continue
			}
			js.AllOf = append(js.AllOf, &jsonSchema{Pattern: re.String()})
		}
	}
	if kinds.Has(values.MapKind) {
		m, _ := def.(map[string]any)
		if err := ex.exportMap(js, t, m, path); err != nil {
			return nil, err
		}
	}
	if kinds.Has(values.ListKind) && !t.Elem.Any() && !kinds.Has(values.MapKind) {
		items, err := ex.exportType(t.Elem, false, nil, path+"[]")
		if err != nil {
			return nil, fmt.Errorf("list items: %w", err)
		}
		js.Items = items
	} else if kinds.Has(values.ListKind) && kinds.Has(values.MapKind) && !t.Elem.Any() {
		// Elem is shared by list items and open-map values: no schema of
		// the dialect has both kinds with a typed Elem.
		return nil, fmt.Errorf("a list-or-map type with typed elements is outside the export dialect")
	}
	return js, nil
}

func (ex *exporter) exportMap(js *jsonSchema, t *Type, defs map[string]any, path string) error {
	if t.Fields == nil && !t.Open {
		// `_` intersected with a constraint on other kinds: any keys.
		return nil
	}
	for i, name := range t.Names {
		f := t.Fields[i]
		if !ex.opts.keep(f) {
			continue
		}
		key := name
		if path != "" {
			key = path + "." + name
		}
		def, hasDef := defs[name]
		p, err := ex.exportType(f.Type, true, def, key)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if hasDef && !f.Meta.Secret {
			withDefault(p, def)
		}
		ex.describe(p, f.Meta, key)
		if js.Properties == nil {
			js.Properties = map[string]*jsonSchema{}
		}
		js.Properties[name] = p
	}
	switch {
	case !t.Open:
		js.AdditionalProperties = false
	case !t.Elem.Any():
		other, err := ex.exportType(t.Elem, false, nil, path+".*")
		if err != nil {
			return fmt.Errorf("map values: %w", err)
		}
		js.AdditionalProperties = other
	}
	return nil
}

// withDefault sets the chart default of a scalar or list key: `default`,
// and `examples` unless it is empty. Map defaults stay on their keys.
func withDefault(js *jsonSchema, def any) {
	switch d := def.(type) {
	case nil, map[string]any:
		return
	case string:
		js.Default = d
		if d != "" {
			js.Examples = []any{d}
		}
	case []any:
		js.Default = d
		if len(d) > 0 {
			js.Examples = []any{d}
		}
	default:
		js.Default = d
		js.Examples = []any{d}
	}
	if js.Default != nil && len(js.Enum) > 0 {
		// a default outside the enum would be a contradiction an editor
		// shows as an error: leave it out
		for _, e := range js.Enum {
			if e == js.Default {
				return
			}
		}
		js.Default, js.Examples = nil, nil
	}
}

// doc returns the description opts.Docs gives the key at path: the exact
// path first, then patterns with `*` for one key.
func (ex *exporter) doc(path string) string {
	if d, ok := ex.opts.Docs[path]; ok {
		return d
	}
	segs := strings.Split(path, ".")
	best, bestStars := "", len(segs)+1
	for pat := range ex.opts.Docs {
		ps := strings.Split(pat, ".")
		if len(ps) != len(segs) {
			continue
		}
		stars, ok := 0, true
		for i, p := range ps {
			switch {
			case p == "*":
				stars++
			case p != segs[i]:
				ok = false
			}
		}
		if ok && (stars < bestStars || stars == bestStars && pat < best) {
			best, bestStars = pat, stars
		}
	}
	if best == "" {
		return ""
	}
	return ex.opts.Docs[best]
}

// describe writes what a key is for, the releases that read it and what
// Meta says about it, for people reading the schema in an editor.
func (ex *exporter) describe(js *jsonSchema, m Meta, path string) {
	var parts []string
	first, newest := "", ""
	if n := len(ex.releases); n > 0 {
		first, newest = ex.releases[0], ex.releases[n-1]
	}
	since, until := m.Since, m.Until
	if since == "" {
		since = first
	}
	if until == "" {
		until = newest
	}
	switch {
	case since == "" || until == "":
	case since == until:
		parts = append(parts, fmt.Sprintf("release %s only", since))
	default:
		parts = append(parts, fmt.Sprintf("releases %s to %s", since, until))
	}
	if m.Until != "" && m.Until != newest {
		js.DeprecationMessage = fmt.Sprintf("last read by release %s: newer releases ignore this key", m.Until)
	}
	if m.Dead {
		parts = append(parts, "declared by the chart but read by none of its templates")
	}
	if m.CLIOnly {
		parts = append(parts, "only Polyaxon's validator (polyaxon admin deploy) knows this key; the chart ignores it")
	}
	switch m.CLI {
	case "rejected":
		parts = append(parts, "`polyaxon admin deploy` rejects this key")
	case "dropped":
		parts = append(parts, "`polyaxon admin deploy` silently drops this key")
	}
	if m.Secret {
		parts = append(parts, "secret")
		js.WriteOnly = true
	}
	var b strings.Builder
	if d := ex.doc(path); d != "" {
		b.WriteString(d)
	}
	if len(parts) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(strings.ToUpper(parts[0][:1]) + parts[0][1:])
		if len(parts) > 1 {
			b.WriteString("; " + strings.Join(parts[1:], "; "))
		}
		b.WriteString(".")
	}
	js.Description = b.String()
}

// ExportCUE returns the schema of chart and major as one self-contained
// CUE file defining DefName(chart, major) (#PlatformV2, ...), with the
// field comments and @px attributes, for
// `cue vet -d '#PlatformV2' schema.cue values.yaml`. The text is written by
// `go generate ./cue` from the CUE sources and embedded. With Target
// TargetPolyaxonCLI the keys Polyaxon's validator rejects are left out.
func (c *Catalog) ExportCUE(chart, major string, opts ExportOptions) ([]byte, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if !ValidTarget(chart, major) {
		return nil, fmt.Errorf("no schema for chart %q major %q", chart, major)
	}
	b, err := compiledFS.ReadFile(path.Join("compiled", CUEFile(chart, major, opts)))
	if err != nil {
		return nil, fmt.Errorf("exported CUE of %s %s missing (go generate ./cue): %w", chart, major, err)
	}
	return b, nil
}

// CUEFile names the file of cue/compiled holding the CUE export of chart
// and major for opts.
func CUEFile(chart, major string, opts ExportOptions) string {
	if opts.Target == TargetPolyaxonCLI {
		return chart + "_" + major + "_" + TargetPolyaxonCLI + ".cue"
	}
	return chart + "_" + major + ".cue"
}

// JSONSchema returns the JSON Schema of chart and major (Schema.JSONSchema)
// with the key descriptions of cue/keydocs.cue unless opts.Docs is set.
func (c *Catalog) JSONSchema(chart, major string, opts ExportOptions) ([]byte, error) {
	s, err := c.Schema(chart, major)
	if err != nil {
		return nil, err
	}
	if opts.Docs == nil {
		if opts.Docs, err = c.KeyDocs(chart); err != nil {
			return nil, err
		}
	}
	return s.JSONSchema(opts)
}
