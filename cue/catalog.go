// Package cue holds pxvalues' knowledge of Polyaxon as CUE data embedded in
// the binary (schemas per chart and major, detection signals, rules and
// migration steps) and hands the rest of the tool plain Go structures.
//
// The lint path reads those structures from cue/compiled (generated from the
// CUE by `go generate ./cue` and checked against it by the tests), so that a
// run does not pay for compiling CUE; commands that need CUE itself (schema
// export, migration) compile the embedded sources.
package cue

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	cuelang "cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
)

//go:embed *.cue schema/*.cue rules/*.cue migrate/*.cue
var files embed.FS

// Charts and majors pxvalues knows, newest major last.
var (
	charts = []string{"platform", "agent"}
	majors = map[string][]string{"platform": {"v0", "v1", "v2"}, "agent": {"v1", "v2"}}
)

// Charts returns the charts pxvalues knows.
func Charts() []string { return append([]string(nil), charts...) }

// Majors returns the majors of chart, oldest first.
func Majors(chart string) []string { return append([]string(nil), majors[chart]...) }

// ValidTarget reports whether chart and major name a known schema.
func ValidTarget(chart, major string) bool {
	for _, m := range majors[chart] {
		if m == major {
			return true
		}
	}
	return false
}

// Catalog is the knowledge of one process. Create one with New and share
// it: every method is safe for concurrent use, and each piece is loaded at
// most once, when first asked for.
type Catalog struct {
	mu      sync.Mutex
	ctx     *cuelang.Context
	schemas map[string]*schemaEntry

	knowOnce sync.Once
	know     *knowledge
	knowErr  error
}

type schemaEntry struct {
	once sync.Once
	s    *Schema
	err  error
}

// New returns an empty catalog; nothing is loaded until asked for.
func New() *Catalog {
	return &Catalog{schemas: map[string]*schemaEntry{}}
}

// Schema is the schema of one chart and major.
type Schema struct {
	Chart, Major string
	// Root is the type of the whole values file.
	Root *Type
	// Releases lists the chart releases of this major, oldest first.
	Releases []string
	// Defaults are the newest chart's default values (Helm's Go types).
	Defaults map[string]any
	// Value is the CUE definition. Only CompileSchema sets it: the compiled
	// form Schema returns has none.
	Value cuelang.Value
}

// DefName returns the CUE definition name of a chart and major: #PlatformV2.
func DefName(chart, major string) string {
	return "#" + strings.ToUpper(chart[:1]) + chart[1:] + strings.ToUpper(major)
}

// Latest returns the newest release of the schema's major.
func (s *Schema) Latest() string {
	if len(s.Releases) == 0 {
		return ""
	}
	return s.Releases[len(s.Releases)-1]
}

// After returns the first release after r, or "".
func (s *Schema) After(r string) string {
	for i, x := range s.Releases {
		if x == r && i+1 < len(s.Releases) {
			return s.Releases[i+1]
		}
	}
	return ""
}

// Schema returns the schema of chart and major (compiled form, loaded once).
func (c *Catalog) Schema(chart, major string) (*Schema, error) {
	if !ValidTarget(chart, major) {
		return nil, fmt.Errorf("no schema for chart %q major %q", chart, major)
	}
	c.mu.Lock()
	e := c.schemas[chart+"/"+major]
	if e == nil {
		e = &schemaEntry{}
		c.schemas[chart+"/"+major] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.s, e.err = c.loadSchema(chart, major) })
	return e.s, e.err
}

// SchemaValue compiles the CUE definition of chart and major from the
// embedded sources (slow: tens of milliseconds).
func (c *Catalog) SchemaValue(chart, major string) (cuelang.Value, error) {
	_, v, err := c.CompileSchema(chart, major)
	return v, err
}

// cueFiles lists the embedded CUE files, sorted.
func cueFiles() ([]string, error) {
	names, err := fs.Glob(files, "*.cue")
	if err != nil {
		return nil, err
	}
	for _, dir := range []string{"schema", "rules", "migrate"} {
		more, err := fs.Glob(files, dir+"/*.cue")
		if err != nil {
			return nil, err
		}
		names = append(names, more...)
	}
	sort.Strings(names)
	return names, nil
}

// instance compiles the embedded files selected by keep as one package.
func (c *Catalog) instance(keep func(name string) bool) (cuelang.Value, error) {
	inst := build.NewContext().NewInstance("", nil)
	names, err := cueFiles()
	if err != nil {
		return cuelang.Value{}, err
	}
	for _, name := range names {
		if !keep(name) {
			continue
		}
		src, err := files.ReadFile(name)
		if err != nil {
			return cuelang.Value{}, err
		}
		if err := inst.AddFile(name, src); err != nil {
			return cuelang.Value{}, fmt.Errorf("cue/%s: %w", name, err)
		}
	}
	// A cue.Context is not safe for concurrent building.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		c.ctx = cuecontext.New()
	}
	v := c.ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		return v, fmt.Errorf("compiling embedded CUE: %w", err)
	}
	return v, nil
}

// Instance compiles the embedded CUE files whose names (relative to cue/,
// e.g. "migrate/platform_v1_v2.cue") keep selects, as one package.
func (c *Catalog) Instance(keep func(name string) bool) (cuelang.Value, error) {
	return c.instance(keep)
}

// CompileSchema compiles chart and major from the CUE sources and walks the
// definition into a Type tree (what cue/compiled holds).
func (c *Catalog) CompileSchema(chart, major string) (*Schema, cuelang.Value, error) {
	if !ValidTarget(chart, major) {
		return nil, cuelang.Value{}, fmt.Errorf("no schema for chart %q major %q", chart, major)
	}
	v, err := c.instance(schemaSources(chart, major))
	if err != nil {
		return nil, v, err
	}
	def := v.LookupPath(cuelang.ParsePath(DefName(chart, major)))
	if !def.Exists() {
		return nil, def, fmt.Errorf("schema %s is missing from the embedded CUE", DefName(chart, major))
	}
	c.mu.Lock()
	x := &extractor{refs: map[string]*Type{}}
	root, err := x.extract(def)
	c.mu.Unlock()
	if err != nil {
		return nil, def, fmt.Errorf("schema %s: %w", DefName(chart, major), err)
	}
	s := &Schema{Chart: chart, Major: major, Root: root, Value: def}
	if rv := v.LookupPath(cuelang.MakePath(cuelang.Str("releases"), cuelang.Str(chart), cuelang.Str(major))); rv.Exists() {
		if err := rv.Decode(&s.Releases); err != nil {
			return nil, def, fmt.Errorf("releases of %s %s: %w", chart, major, err)
		}
	}
	if dv := v.LookupPath(cuelang.MakePath(cuelang.Str("defaults"), cuelang.Str(chart), cuelang.Str(major))); dv.Exists() {
		if err := dv.Decode(&s.Defaults); err != nil {
			return nil, def, fmt.Errorf("defaults of %s %s: %w", chart, major, err)
		}
	}
	return s, def, nil
}

// DetectRules returns the chart and major detection signals (cue/detect.cue).
func (c *Catalog) DetectRules() (*DetectRules, error) {
	k, err := c.knowledge()
	if err != nil {
		return nil, err
	}
	return k.detect, nil
}
