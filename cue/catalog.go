// Package cue holds pxvalues' knowledge of Polyaxon as CUE data embedded in
// the binary (schemas per chart and major, detection signals, rules and
// migration steps) and compiles it, once per process, into Go structures
// the rest of the tool uses.
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

	"github.com/pxvalues/pxvalues/values"
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

// Catalog is the compiled knowledge. Create one per process with New and
// share it: every method is safe for concurrent use, and each schema is
// compiled at most once, when first asked for.
type Catalog struct {
	mu      sync.Mutex
	ctx     *cuelang.Context
	schemas map[string]*schemaEntry
	detect  *values.DetectRules

	rulesOnce sync.Once
	rules     *Rules
	rulesErr  error

	knowOnce sync.Once
	know     *knowledge
	knowErr  error
}

type schemaEntry struct {
	once sync.Once
	s    *Schema
	err  error
}

// New returns an empty catalog; nothing is compiled until asked for.
func New() *Catalog {
	return &Catalog{ctx: cuecontext.New(), schemas: map[string]*schemaEntry{}}
}

// Schema is the compiled schema of one chart and major.
type Schema struct {
	Chart, Major string
	// Root is the type of the whole values file.
	Root *Type
	// Releases lists the chart releases of this major, oldest first.
	Releases []string
	// Defaults are the newest chart's default values (Helm's Go types).
	Defaults map[string]any
	// Value is the CUE definition itself (for export and differential tests).
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

// Schema compiles (once) and returns the schema of chart and major.
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
	e.once.Do(func() { e.s, e.err = c.compileSchema(chart, major) })
	return e.s, e.err
}

// instance compiles the embedded files selected by keep as one package.
func (c *Catalog) instance(keep func(name string) bool) (cuelang.Value, error) {
	inst := build.NewContext().NewInstance("", nil)
	names, err := fs.Glob(files, "*.cue")
	if err != nil {
		return cuelang.Value{}, err
	}
	for _, dir := range []string{"schema", "rules", "migrate"} {
		more, err := fs.Glob(files, dir+"/*.cue")
		if err != nil {
			return cuelang.Value{}, err
		}
		names = append(names, more...)
	}
	sort.Strings(names)
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
	// Compiling the embedded CUE is serialised: a cue.Context is not safe for
	// concurrent building.
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		return v, fmt.Errorf("compiling embedded CUE: %w", err)
	}
	return v, nil
}

func (c *Catalog) compileSchema(chart, major string) (*Schema, error) {
	prefix := "schema/" + chart + "_" + major
	v, err := c.instance(func(name string) bool {
		return name == "schema/common.cue" || name == "schema/releases.cue" ||
			strings.HasPrefix(name, prefix+".") || strings.HasPrefix(name, prefix+"_")
	})
	if err != nil {
		return nil, err
	}
	def := v.LookupPath(cuelang.ParsePath(DefName(chart, major)))
	if !def.Exists() {
		return nil, fmt.Errorf("schema %s is missing from the embedded CUE", DefName(chart, major))
	}
	c.mu.Lock()
	x := &extractor{refs: map[string]*Type{}}
	root, err := x.extract(def)
	c.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", DefName(chart, major), err)
	}
	s := &Schema{Chart: chart, Major: major, Root: root, Value: def}
	if rv := v.LookupPath(cuelang.MakePath(cuelang.Str("releases"), cuelang.Str(chart), cuelang.Str(major))); rv.Exists() {
		if err := rv.Decode(&s.Releases); err != nil {
			return nil, fmt.Errorf("releases of %s %s: %w", chart, major, err)
		}
	}
	if dv := v.LookupPath(cuelang.MakePath(cuelang.Str("defaults"), cuelang.Str(chart), cuelang.Str(major))); dv.Exists() {
		if err := dv.Decode(&s.Defaults); err != nil {
			return nil, fmt.Errorf("defaults of %s %s: %w", chart, major, err)
		}
	}
	return s, nil
}

// DetectRules returns the chart and major detection signals (cue/detect.cue).
func (c *Catalog) DetectRules() (*values.DetectRules, error) {
	c.mu.Lock()
	if c.detect != nil {
		defer c.mu.Unlock()
		return c.detect, nil
	}
	c.mu.Unlock()
	v, err := c.instance(func(name string) bool { return name == "detect.cue" })
	if err != nil {
		return nil, err
	}
	var r values.DetectRules
	if err := v.LookupPath(cuelang.ParsePath("detect")).Decode(&r); err != nil {
		return nil, fmt.Errorf("cue/detect.cue: %w", err)
	}
	if err := r.Compile(); err != nil {
		return nil, fmt.Errorf("cue/detect.cue: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.detect == nil {
		c.detect = &r
	}
	return c.detect, nil
}
