// Package migrate rewrites a Polyaxon values file from one major version to
// a newer one (platform v0 -> v1 -> v2, agent v1 -> v2).
//
// The rules are data: cue/migrate/<chart>_<from>_<to>.cue lists, per step,
// ordered actions of a few generic verbs (rename, merge, drop, set, todo,
// note, images, and named transforms for what data cannot say). This
// package is the one engine that reads them. Every action becomes
// values.Edits on the bytes of the file as it stands (byte ranges from the
// parser's positions), so lines the migration does not touch stay byte
// identical, a renamed key changes only its key token, and a moved subtree
// travels with its head comments. After each action the text is parsed
// again, so the next action sees fresh positions.
package migrate

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

// TodoMarker starts every comment the migration leaves for a human.
const TodoMarker = "# PXVALUES-TODO: "

// Options select a migration.
type Options struct {
	// Chart is "platform" or "agent"; "" detects it.
	Chart string
	// From is the major of the input ("v0", "v1"); "" or "auto" detects it.
	From string
	// To is the target major ("v1" or "v2").
	To string
	// ValuesPath is the top-level key Polyaxon's values sit under in an
	// umbrella chart's values file; "" detects it, "." is the root.
	ValuesPath string
	// KeepCelery keeps the celery scheduler (and its broker) on in v1+.
	KeepCelery bool
	// Limits bound the parsing of the input (zero: values.DefaultLimits).
	Limits values.Limits
}

// Change is one thing the migration did (or reports).
type Change struct {
	// Action is what happened: rename, move, drop, set, transform, todo,
	// note, conflict, drop-default-image.
	Action string `json:"action"`
	// From is the old path, To the new one.
	From string `json:"from"`
	To   string `json:"to"`
	// Line is the line of From in the input (0 when the key was written by
	// an earlier step, or for a note about a default).
	Line int `json:"line"`
	// Message says why.
	Message string `json:"message"`
	// Comments are the comments removed with a dropped key.
	Comments []string `json:"comments,omitempty"`
	// Step is the migration step ("v0->v1").
	Step string `json:"step"`
}

// Todo is a decision left to a human, marked in the output by a
// `# PXVALUES-TODO:` comment.
type Todo struct {
	// Path is the key the TODO is about.
	Path string `json:"path"`
	// Line is the TODO comment's line in the output.
	Line int `json:"line"`
	// Message is the TODO text.
	Message string `json:"message"`
}

// Result is the migration of one file.
type Result struct {
	Path    string   `json:"path"`
	Chart   string   `json:"chart"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Changes []Change `json:"changes"`
	Todos   []Todo   `json:"todos"`
	// Leaves are the fates of every setting of the input (ledger.go).
	Leaves []Fate `json:"leaves"`
	// ValuesPath is the top-level key of an umbrella chart's values file
	// that holds Polyaxon's values, the section migrated ("" for a chart's
	// own values file); paths are then relative to it, lines the file's.
	ValuesPath string `json:"valuesPath,omitempty"`
	// Input and Output are the file before and after.
	Input  []byte `json:"-"`
	Output []byte `json:"-"`
	// ValuesIn and ValuesOut are, for an umbrella file, Polyaxon's values
	// alone before and after (the section dedented): what the chart reads.
	ValuesIn  []byte `json:"-"`
	ValuesOut []byte `json:"-"`
	// LineMap gives, for each output line (index line-1), the input line it
	// was copied from, or 0 for a line the migration wrote.
	LineMap []int `json:"-"`
	// Touched lists the input lines an edit changed or removed.
	Touched map[int]bool `json:"-"`
	// Ambiguous lists the majors the file fits equally well when From was
	// detected and migrating from an older one of them would change the
	// file (newest first; From is the first): nil when one major fits
	// best or the major was given. Alternatives says what migrating from
	// each other one would do (see ambiguous.go).
	Ambiguous    []string      `json:"ambiguous,omitempty"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
	// AmbiguousCharts lists the charts the file fits equally well when
	// nothing told them apart and the chart was not given: Chart is the
	// first of them, a guess (`--chart` chooses).
	AmbiguousCharts []string `json:"ambiguousCharts,omitempty"`
	// Mixed is the evidence of a half-migrated file: keys of older majors
	// in a file detected as a newer one (Ambiguous then names those
	// majors after From).
	Mixed []string `json:"mixed,omitempty"`
}

// Changed reports whether the output differs from the input.
func (r *Result) Changed() bool { return !bytes.Equal(r.Input, r.Output) }

// Migrator applies the migration steps of the catalog. It holds only
// read-only compiled data and is safe for concurrent use.
type Migrator struct {
	cat     *cue.Catalog
	steps   map[string]*cue.MigrationStep
	detect  *cue.DetectRules
	secrets cue.Secrets
	tables  *cue.MigrationTables
	sub     map[string]bool
}

// New compiles the migration steps of cat.
func New(cat *cue.Catalog) (*Migrator, error) {
	steps, err := cat.MigrationSteps()
	if err != nil {
		return nil, err
	}
	for name, st := range steps {
		for i, a := range st.Actions {
			for _, c := range a.When {
				if err := c.Compile([]string{"keepCelery"}); err != nil {
					return nil, fmt.Errorf("migration step %s action %d: %w", name, i, err)
				}
			}
		}
	}
	det, err := cat.DetectRules()
	if err != nil {
		return nil, err
	}
	sec, err := cat.Secrets()
	if err != nil {
		return nil, err
	}
	tab, err := cat.MigrationTables()
	if err != nil {
		return nil, err
	}
	sub := map[string]bool{}
	for _, s := range tab.Subcharts {
		sub[s] = true
	}
	return &Migrator{cat: cat, steps: steps, detect: det, secrets: sec, tables: tab, sub: sub}, nil
}

// Migrate migrates src (named name in messages) as opts say. A file already
// at the target major comes back unchanged.
func (m *Migrator) Migrate(name string, src []byte, opts Options) (*Result, error) {
	doc, err := values.Load(name, src, limits(opts))
	if err != nil {
		return nil, err
	}
	return m.MigrateDocument(doc, opts)
}

func limits(opts Options) values.Limits {
	if opts.Limits.MaxBytes == 0 {
		return values.DefaultLimits()
	}
	return opts.Limits
}

// MigrateDocument migrates an already parsed document (its Name and Src
// are the input's), so that a caller that read it does not parse it twice.
// The migration edits doc: the caller must not use it afterwards.
func (m *Migrator) MigrateDocument(doc *values.Document, opts Options) (*Result, error) {
	rs, err := m.migrateDocs([]*values.Document{doc}, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// run is the state of one migration of one file.
type run struct {
	m *Migrator
	// hide holds the texts of the input's secrets (shared through anchors
	// with plain keys too): never written into a TODO or the report.
	hide *redact.Set
	opts Options
	lim  values.Limits
	step *cue.MigrationStep
	old  *cue.Schema
	// olds are the schemas of every major up to the step's source: a value
	// equal to any of their defaults is not the user's choice.
	olds []*cue.Schema
	doc  *values.Document
	// orig[i] is the input line of current line i+1 (0: written by us).
	orig []int
	res  *Result
	// todos are the TODOs written (or found already written).
	todos []Todo
	// in is the schema of the input's major.
	in *cue.Schema
	// leaves are the input's settings, tracked to their fate (ledger.go).
	leaves []*leaf
	// group holds the runs of the other layers of the same release (nil
	// for one file migrated alone); layer is this run's index in it.
	group *group
	layer int
	// lineOff is what to add to a line of doc's input to make it a line
	// of the user's file (an umbrella file's section starts below its
	// first line): the lines messages name.
	lineOff int
	// failed are the paths a rule could not rewrite (a TODO at the top of
	// the file says so): later drops keep them, so that no data is lost.
	failed []string
	// undo records what a guarded action changes in place (engine.go).
	undo journal
}

// blocked reports whether path is, contains or is inside a path a rule
// could not rewrite.
func (r *run) blocked(path string) bool {
	for _, f := range r.failed {
		if f == "." || f == path || strings.HasPrefix(f, path+".") || strings.HasPrefix(path, f+".") {
			return true
		}
	}
	return false
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func split(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

func (r *run) lookup(path string) *values.Node {
	if path == "" {
		return r.doc.Root
	}
	return r.doc.Root.Lookup(split(path)...)
}

// entry returns the map entry at path: nil when there is none, or when
// path is the root (which no action moves or rewrites).
func (r *run) entry(path string) *values.Node {
	n := r.lookup(path)
	if n == nil || n.Parent == nil {
		return nil
	}
	return n
}

func (r *run) stepName() string { return r.step.From + "->" + r.step.To }

func (r *run) origLine(line int) int {
	if line < 1 || line > len(r.orig) {
		return 0
	}
	return r.orig[line-1]
}

// fileLine turns a line of the input into the line of the user's file.
func (r *run) fileLine(line int) int {
	if line <= 0 {
		return line
	}
	return line + r.lineOff
}

func (r *run) change(c Change) {
	c.Step = r.stepName()
	r.res.Changes = append(r.res.Changes, c)
}

// apply runs one action whose conditions hold (decide).
func (r *run) apply(a cue.MigrationAction) error {
	switch a.Action {
	case "images":
		return r.images(a)
	case "rename":
		return r.rename(a, a.From, a.To)
	case "merge":
		for _, k := range a.Keys {
			if err := r.rename(a, a.From+"."+k, a.To+"."+k); err != nil {
				return err
			}
		}
		return r.dissolve(a.From, a.To)
	case "drop":
		return r.drop(a)
	case "set":
		here, err := r.setHere(a)
		if err != nil || !here {
			return err
		}
		return r.set(a)
	case "todo":
		return r.todoAction(a)
	case "obsolete":
		return r.obsolete(a)
	case "note":
		if r.layer > 0 {
			return nil // reported once, with the lowest layer
		}
		r.change(Change{Action: "note", From: a.From, Message: a.Message})
		return nil
	case "transform":
		switch a.Name {
		case "persistence":
			return r.persistence(a)
		case "toList":
			return r.toList(a)
		case "hostPort":
			return r.hostPort(a)
		}
		return fmt.Errorf("unknown transform %q", a.Name)
	}
	return fmt.Errorf("unknown action %q", a.Action)
}
