package cue

import (
	"bytes"
	"embed"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"path"
	"regexp"
	"sort"
	"strings"

	cuelang "cuelang.org/go/cue"
)

// The lint path must start fast (one file well under the time `cue vet`
// takes), but compiling and walking a 1,400-line CUE schema costs ~30 ms.
// So `go generate ./cue` compiles the CUE once, at development time, into
// compiled/: the same Go structures the engine would build from CUE (the
// schemas as gob, four times faster to decode than JSON; the rest as JSON).
// TestCompiledUpToDate fails when they differ from a fresh compile of the
// CUE sources, so the CUE stays the only source of truth.
//
//go:generate go run ./internal/compile -out compiled

//go:embed compiled/*.json compiled/*.gob
var compiledFS embed.FS

// Pattern is a regexp a string must match; it marshals as its source.
type Pattern struct{ *regexp.Regexp }

// MarshalText writes the regexp source.
func (p Pattern) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText compiles the regexp source.
func (p *Pattern) UnmarshalText(b []byte) error {
	re, err := regexp.Compile(string(b))
	if err != nil {
		return err
	}
	p.Regexp = re
	return nil
}

// compiledKnowledge is the JSON form of everything else the lint path reads.
type compiledKnowledge struct {
	Source  string                                  `json:"source"`
	Rules   map[string]*Rule                        `json:"rules"`
	Detect  DetectRules                             `json:"detect"`
	Secrets secretData                              `json:"secrets"`
	Hints   map[string]map[string]map[string]string `json:"hints"`
}

type secretData struct {
	Names    []string `json:"names"`
	Subtrees []string `json:"subtrees"`
}

func schemaFile(chart, major string) string { return chart + "_" + major + ".gob" }

// gobSchema is the encoded form of a Schema: no maps and no regexps, so
// that encoding is deterministic and decoding cheap.
type gobSchema struct {
	Source, Chart, Major string
	Root                 *gobType
	Releases             []string
	// Defaults is JSON: gob cannot carry nested map[string]any without
	// registering types globally.
	Defaults []byte
}

type gobType struct {
	Kinds KindSet
	Int   bool
	Enum  []any
	// Min and Max as values and flags: gob drops a pointer to zero.
	HasMin, HasMax bool
	Min, Max       float64
	Patterns       []string
	Fields         []gobField
	IsMap          bool // Fields was non-nil (a struct, possibly with no field)
	Open           bool
	Elem           *gobType
	Ref            string
}

type gobField struct {
	Name string
	Type *gobType
	Meta Meta
}

func toGob(t *Type) *gobType {
	if t == nil {
		return nil
	}
	g := &gobType{Kinds: t.Kinds, Int: t.Int, Enum: t.Enum, Open: t.Open, Ref: t.Ref, Elem: toGob(t.Elem), IsMap: t.Fields != nil}
	if t.Min != nil {
		g.HasMin, g.Min = true, *t.Min
	}
	if t.Max != nil {
		g.HasMax, g.Max = true, *t.Max
	}
	for _, p := range t.Patterns {
		g.Patterns = append(g.Patterns, p.String())
	}
	names := make([]string, 0, len(t.Fields))
	for n := range t.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		g.Fields = append(g.Fields, gobField{Name: n, Type: toGob(t.Fields[n].Type), Meta: t.Fields[n].Meta})
	}
	return g
}

func fromGob(g *gobType) (*Type, error) {
	if g == nil {
		return nil, nil
	}
	t := &Type{Kinds: g.Kinds, Int: g.Int, Enum: g.Enum, Open: g.Open, Ref: g.Ref}
	if g.HasMin {
		t.Min = &g.Min
	}
	if g.HasMax {
		t.Max = &g.Max
	}
	for _, p := range g.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		t.Patterns = append(t.Patterns, Pattern{re})
	}
	if g.IsMap {
		t.Fields = make(map[string]*Field, len(g.Fields))
		t.Names = make([]string, 0, len(g.Fields))
		for _, f := range g.Fields {
			ft, err := fromGob(f.Type)
			if err != nil {
				return nil, err
			}
			t.Fields[f.Name] = &Field{Name: f.Name, Type: ft, Meta: f.Meta}
			t.Names = append(t.Names, f.Name)
		}
	}
	var err error
	t.Elem, err = fromGob(g.Elem)
	return t, err
}

const knowledgeFile = "knowledge.json"

// Generate compiles every embedded CUE source and returns the compiled
// files by name (what `go generate ./cue` writes to cue/compiled/).
func (c *Catalog) Generate() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, chart := range charts {
		for _, major := range majors[chart] {
			s, _, err := c.CompileSchema(chart, major)
			if err != nil {
				return nil, err
			}
			src, err := sourceHash(schemaSources(chart, major))
			if err != nil {
				return nil, err
			}
			defs, err := json.Marshal(s.Defaults)
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(gobSchema{Source: src, Chart: chart, Major: major, Root: toGob(s.Root), Releases: s.Releases, Defaults: defs}); err != nil {
				return nil, fmt.Errorf("encoding %s %s: %w", chart, major, err)
			}
			out[schemaFile(chart, major)] = buf.Bytes()
		}
	}
	k, err := c.compileKnowledgeCUE()
	if err != nil {
		return nil, err
	}
	if k.Source, err = sourceHash(knowledgeSources); err != nil {
		return nil, err
	}
	b, err := marshal(k)
	if err != nil {
		return nil, err
	}
	out[knowledgeFile] = b
	return out, nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schemaSources selects the CUE files of one schema.
func schemaSources(chart, major string) func(string) bool {
	prefix := "schema/" + chart + "_" + major
	return func(name string) bool {
		return name == "schema/common.cue" || name == "schema/releases.cue" ||
			strings.HasPrefix(name, prefix+".") || strings.HasPrefix(name, prefix+"_")
	}
}

// knowledgeSources selects the CUE files of the rules, signals, secrets and hints.
func knowledgeSources(name string) bool {
	return strings.HasPrefix(name, "rules/") || name == "cond.cue" || name == "detect.cue" || name == "secrets.cue" || name == "migrate/hints.cue"
}

// sourceHash hashes the names and contents of the embedded CUE files keep selects.
func sourceHash(keep func(string) bool) (string, error) {
	names, err := cueFiles()
	if err != nil {
		return "", err
	}
	// CRC-32C: hardware-accelerated, microseconds for the ~300 KB of CUE
	// (SHA-256 cost ~0.5 ms of every run); this only detects a forgotten
	// `go generate ./cue`, which TestCompiledUpToDate also catches.
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	for _, n := range names {
		if !keep(n) {
			continue
		}
		b, err := files.ReadFile(n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// loadSchema decodes a compiled schema, or compiles it from CUE when the
// compiled form is stale.
func (c *Catalog) loadSchema(chart, major string) (*Schema, error) {
	s, err := loadCompiledSchema(chart, major)
	if err == errStale {
		s, _, err = c.CompileSchema(chart, major)
	}
	return s, err
}

// errStale says a compiled file no longer matches the embedded CUE.
var errStale = errors.New("compiled form is stale")

func loadCompiledSchema(chart, major string) (*Schema, error) {
	b, err := compiledFS.ReadFile(path.Join("compiled", schemaFile(chart, major)))
	if err != nil {
		return nil, fmt.Errorf("compiled schema %s %s missing (go generate ./cue): %w", chart, major, err)
	}
	var gs gobSchema
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&gs); err != nil {
		return nil, fmt.Errorf("compiled schema %s %s: %w", chart, major, err)
	}
	if src, err := sourceHash(schemaSources(chart, major)); err != nil || src != gs.Source {
		return nil, errStale
	}
	root, err := fromGob(gs.Root)
	if err != nil {
		return nil, fmt.Errorf("compiled schema %s %s: %w", chart, major, err)
	}
	s := &Schema{Chart: chart, Major: major, Root: root, Releases: gs.Releases}
	if err := json.Unmarshal(gs.Defaults, &s.Defaults); err != nil {
		return nil, fmt.Errorf("compiled schema %s %s defaults: %w", chart, major, err)
	}
	return s, nil
}

// loadKnowledge decodes the compiled rules, signals, secrets and hints, or
// compiles them from CUE when the compiled form is stale.
func (c *Catalog) loadKnowledge() (*compiledKnowledge, error) {
	b, err := compiledFS.ReadFile(path.Join("compiled", knowledgeFile))
	if err != nil {
		return nil, fmt.Errorf("compiled knowledge missing (go generate ./cue): %w", err)
	}
	var k compiledKnowledge
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("compiled knowledge: %w", err)
	}
	if src, err := sourceHash(knowledgeSources); err != nil || src != k.Source {
		return c.compileKnowledgeCUE()
	}
	return &k, nil
}

// compileKnowledgeCUE compiles rules, detection signals, secrets and hints
// from the CUE sources.
func (c *Catalog) compileKnowledgeCUE() (*compiledKnowledge, error) {
	k := &compiledKnowledge{}
	rv, err := c.instance(func(name string) bool { return strings.HasPrefix(name, "rules/") || name == "cond.cue" })
	if err != nil {
		return nil, err
	}
	if err := rv.LookupPath(cuelang.ParsePath("rules")).Decode(&k.Rules); err != nil {
		return nil, fmt.Errorf("cue/rules: %w", err)
	}
	dv, err := c.instance(func(name string) bool { return name == "detect.cue" })
	if err != nil {
		return nil, err
	}
	if err := dv.LookupPath(cuelang.ParsePath("detect")).Decode(&k.Detect); err != nil {
		return nil, fmt.Errorf("cue/detect.cue: %w", err)
	}
	sv, err := c.instance(func(name string) bool { return name == "secrets.cue" || name == "migrate/hints.cue" })
	if err != nil {
		return nil, err
	}
	if err := sv.LookupPath(cuelang.ParsePath("secrets")).Decode(&k.Secrets); err != nil {
		return nil, fmt.Errorf("cue/secrets.cue: %w", err)
	}
	if err := sv.LookupPath(cuelang.ParsePath("hints")).Decode(&k.Hints); err != nil {
		return nil, fmt.Errorf("cue/migrate/hints.cue: %w", err)
	}
	return k, nil
}

// newRules indexes the rule table.
func newRules(m map[string]*Rule) *Rules {
	r := &Rules{byID: m}
	for id := range m {
		r.ids = append(r.ids, id)
	}
	order := map[string]int{"input": 0, "yaml": 1, "schema": 2, "polyaxon": 3, "beyond": 4, "upgrade": 5}
	sort.Slice(r.ids, func(i, j int) bool {
		a, b := m[r.ids[i]], m[r.ids[j]]
		if order[a.Category] != order[b.Category] {
			return order[a.Category] < order[b.Category]
		}
		return a.ID < b.ID
	})
	return r
}
