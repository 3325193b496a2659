package cue

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	cuelang "cuelang.org/go/cue"

	"github.com/pxvalues/pxvalues/values"
)

// The lint path must start fast (one file well under the time `cue vet`
// takes), but compiling and walking a 1,400-line CUE schema costs ~30 ms.
// So `go generate ./cue` compiles the CUE once, at development time, into
// compiled/*.json: the same Go structures the engine would build from CUE.
// TestCompiledUpToDate fails when they differ from a fresh compile of the
// CUE sources, so the CUE stays the only source of truth.
//
//go:generate go run ./internal/compile -out compiled

//go:embed compiled/*.json
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

// compiledSchema is the JSON form of a Schema.
type compiledSchema struct {
	// Source is the hash of the CUE files it was compiled from: when the
	// embedded CUE has changed since `go generate`, the schema is compiled
	// from CUE at run time instead (slower, never stale).
	Source   string         `json:"source"`
	Chart    string         `json:"chart"`
	Major    string         `json:"major"`
	Root     *Type          `json:"root"`
	Releases []string       `json:"releases"`
	Defaults map[string]any `json:"defaults"`
}

// compiledKnowledge is the JSON form of everything else the lint path reads.
type compiledKnowledge struct {
	Source  string                                  `json:"source"`
	Rules   map[string]*Rule                        `json:"rules"`
	Detect  values.DetectRules                      `json:"detect"`
	Secrets secretData                              `json:"secrets"`
	Hints   map[string]map[string]map[string]string `json:"hints"`
}

type secretData struct {
	Names    []string `json:"names"`
	Subtrees []string `json:"subtrees"`
}

func schemaFile(chart, major string) string { return chart + "_" + major + ".json" }

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
			b, err := marshal(compiledSchema{Source: src, Chart: chart, Major: major, Root: s.Root, Releases: s.Releases, Defaults: s.Defaults})
			if err != nil {
				return nil, err
			}
			out[schemaFile(chart, major)] = b
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
	return strings.HasPrefix(name, "rules/") || name == "detect.cue" || name == "secrets.cue" || name == "migrate/hints.cue"
}

// sourceHash hashes the names and contents of the embedded CUE files keep selects.
func sourceHash(keep func(string) bool) (string, error) {
	names, err := cueFiles()
	if err != nil {
		return "", err
	}
	h := sha256.New()
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
	var cs compiledSchema
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("compiled schema %s %s: %w", chart, major, err)
	}
	if src, err := sourceHash(schemaSources(chart, major)); err != nil || src != cs.Source {
		return nil, errStale
	}
	cs.Root.index()
	return &Schema{Chart: chart, Major: major, Root: cs.Root, Releases: cs.Releases, Defaults: cs.Defaults}, nil
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
	rv, err := c.instance(func(name string) bool { return strings.HasPrefix(name, "rules/") })
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
