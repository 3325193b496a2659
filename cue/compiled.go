package cue

import (
	"embed"
	"fmt"
	"regexp"
	"sort"
)

// The lint path must start fast (one file well under the time `cue vet`
// takes), and linking the CUE evaluator alone costs more than that. So
// `go generate ./cue` compiles the CUE once, at development time, into
// compiled/: the same Go structures the engine would build from CUE (the
// schemas and the sub-chart facts in a small binary form, codec.go, several
// times faster to decode than JSON; the rest as JSON; the CUE export of
// each schema as text). TestCompiledUpToDate fails when they differ from a
// fresh compile of the CUE sources, so the CUE stays the only source of
// truth.
//
// What the lint path reads is embedded as strings and []byte rather than
// read from an embed.FS: those are the linked data itself, where
// embed.FS.ReadFile copies every file on every read.
//
//go:generate go run ./internal/gen -facts facts -out schema
//go:generate go run ./internal/gen -compile -out compiled

//go:embed compiled/*.cue
var compiledFS embed.FS

var (
	//go:embed compiled/schemas.bin
	schemasBin string
	//go:embed compiled/subcharts.bin
	subchartsBin string
	//go:embed compiled/knowledge.bin
	knowledgeBin string
	//go:embed compiled/migrate.bin
	migrateBin string
)

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

// Knowledge is everything but the schemas: the lint path's part in
// cue/compiled/knowledge.bin (codec_knowledge.go), the migration steps and
// tables (only migrate reads them) in cue/compiled/migrate.bin.
type Knowledge struct {
	Rules   map[string]*Rule                        `json:"rules"`
	Detect  DetectRules                             `json:"detect"`
	Secrets SecretData                              `json:"secrets"`
	Hints   map[string]map[string]map[string]string `json:"hints"`
	// KeyDocs are the descriptions of cue/keydocs.cue, by chart and path.
	KeyDocs    map[string]map[string]string `json:"keyDocs"`
	Migrations map[string]*MigrationStep    `json:"-"`
	Tables     MigrationTables              `json:"-"`
}

// migrationData is what cue/compiled/migrate.bin holds.
type migrationData struct {
	Migrations map[string]*MigrationStep `json:"migrations"`
	Tables     MigrationTables           `json:"tables"`
}

// SecretData is cue/secrets.cue: key-name regexps and dotted subtrees
// (`*` matches any key) whose values are secrets.
type SecretData struct {
	Names    []string `json:"names"`
	Subtrees []string `json:"subtrees"`
}

// SchemasFile is the file of cue/compiled holding every schema.
const SchemasFile = "schemas.bin"

// Files of cue/compiled holding the Knowledge: all but the migration steps
// and tables, and those.
const (
	KnowledgeFile = "knowledge.bin"
	MigrateFile   = "migrate.bin"
)

// EncodeSchemas returns the compiled form of ss (what the catalog decodes).
func EncodeSchemas(ss []*Schema) ([]byte, error) {
	b, err := encodeSchemas(ss)
	if err != nil {
		return nil, fmt.Errorf("encoding the schemas: %w", err)
	}
	return b, nil
}

// EncodeKnowledge returns the compiled form of k by file name: the lint
// path's part (KnowledgeFile) and the migration steps and tables
// (MigrateFile), both in the binary form of codec.go.
func EncodeKnowledge(k *Knowledge) (map[string][]byte, error) {
	kb, err := encodeKnowledge(k)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", KnowledgeFile, err)
	}
	mb, err := encodeMigrations(k.Migrations, &k.Tables)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", MigrateFile, err)
	}
	return map[string][]byte{KnowledgeFile: kb, MigrateFile: mb}, nil
}

// loadKnowledge decodes the compiled rules, signals, secrets and hints.
func loadKnowledge() (*Knowledge, error) {
	k, err := decodeKnowledge(knowledgeBin)
	if err != nil {
		return nil, fmt.Errorf("compiled knowledge (go generate ./cue): %w", err)
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

// loadMigrations decodes the compiled migration steps and tables.
func loadMigrations() (*migrationData, error) {
	m, err := decodeMigrations(migrateBin)
	if err != nil {
		return nil, fmt.Errorf("compiled migration steps (go generate ./cue): %w", err)
	}
	return m, nil
}
