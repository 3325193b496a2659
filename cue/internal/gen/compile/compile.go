// Package compile turns the CUE sources of cue/ into the compiled form the
// runtime package cue embeds (cue/compiled/): schemas as Type trees,
// rules, detection signals, secrets, hints, migration steps and tables, and
// the self-contained CUE text `pxvalues schema --format cue` prints.
//
// It is the only non-test code that links the CUE evaluator; `go generate
// ./cue` runs it, and the tests use it to check the compiled form against a
// fresh compile and to compare pxvalues' verdicts with CUE's unification.
package compile

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	cuelang "cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"

	"github.com/pxvalues/pxvalues/cue"
)

// Compiler compiles the CUE files of one cue/ folder. It is not safe for
// concurrent use (a cue.Context is not).
type Compiler struct {
	src fs.FS
	ctx *cuelang.Context
}

// New returns a compiler of the CUE files of src, a view of the cue/
// folder (os.DirFS("cue") from the repository root).
func New(src fs.FS) *Compiler {
	return &Compiler{src: src, ctx: cuecontext.New()}
}

// Context returns the CUE context the compiler builds values in.
func (c *Compiler) Context() *cuelang.Context { return c.ctx }

// files lists the CUE files, sorted.
func (c *Compiler) files() ([]string, error) {
	names, err := fs.Glob(c.src, "*.cue")
	if err != nil {
		return nil, err
	}
	for _, dir := range []string{"schema", "rules", "migrate"} {
		more, err := fs.Glob(c.src, dir+"/*.cue")
		if err != nil {
			return nil, err
		}
		names = append(names, more...)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no CUE file in the source folder")
	}
	sort.Strings(names)
	return names, nil
}

// Instance compiles the files (names relative to cue/, e.g.
// "migrate/platform_v1_v2.cue") that keep selects, as one package.
func (c *Compiler) Instance(keep func(name string) bool) (cuelang.Value, error) {
	inst := build.NewContext().NewInstance("", nil)
	names, err := c.files()
	if err != nil {
		return cuelang.Value{}, err
	}
	for _, name := range names {
		if !keep(name) {
			continue
		}
		src, err := fs.ReadFile(c.src, name)
		if err != nil {
			return cuelang.Value{}, err
		}
		f, err := parser.ParseFile(name, src, parser.ParseComments)
		if err != nil {
			return cuelang.Value{}, fmt.Errorf("cue/%s: %w", name, err)
		}
		if err := inst.AddSyntax(f); err != nil {
			return cuelang.Value{}, fmt.Errorf("cue/%s: %w", name, err)
		}
	}
	v := c.ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		return v, fmt.Errorf("compiling CUE: %w", err)
	}
	return v, nil
}

// schemaSources selects the CUE files of one schema.
func schemaSources(chart, major string) func(string) bool {
	prefix := "schema/" + chart + "_" + major
	return func(name string) bool {
		return name == "schema/common.cue" || name == "schema/releases.cue" ||
			strings.HasPrefix(name, prefix+".") || strings.HasPrefix(name, prefix+"_")
	}
}

// SchemaValue compiles the CUE definition of chart and major.
func (c *Compiler) SchemaValue(chart, major string) (cuelang.Value, error) {
	_, v, err := c.Schema(chart, major)
	return v, err
}

// Schema compiles chart and major and walks the definition into a Type
// tree (what cue/compiled holds); it also returns the CUE definition.
func (c *Compiler) Schema(chart, major string) (*cue.Schema, cuelang.Value, error) {
	if !cue.ValidTarget(chart, major) {
		return nil, cuelang.Value{}, fmt.Errorf("no schema for chart %q major %q", chart, major)
	}
	v, err := c.Instance(schemaSources(chart, major))
	if err != nil {
		return nil, v, err
	}
	name := cue.DefName(chart, major)
	def := v.LookupPath(cuelang.ParsePath(name))
	if !def.Exists() {
		return nil, def, fmt.Errorf("schema %s is missing from the CUE sources", name)
	}
	x := &extractor{refs: map[string]*cue.Type{}}
	root, err := x.extract(def)
	if err != nil {
		return nil, def, fmt.Errorf("schema %s: %w", name, err)
	}
	s := &cue.Schema{Chart: chart, Major: major, Root: root}
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

// Knowledge compiles the rules, detection signals, secrets, hints, key
// descriptions, migration steps and tables.
func (c *Compiler) Knowledge() (*cue.Knowledge, error) {
	k := &cue.Knowledge{}
	decode := func(keep func(string) bool, path string, into any, what string) error {
		v, err := c.Instance(keep)
		if err != nil {
			return err
		}
		if err := v.LookupPath(cuelang.ParsePath(path)).Decode(into); err != nil {
			return fmt.Errorf("cue/%s: %w", what, err)
		}
		return nil
	}
	rules := func(n string) bool { return strings.HasPrefix(n, "rules/") || n == "cond.cue" }
	detect := func(n string) bool { return n == "detect.cue" }
	keyDocs := func(n string) bool { return n == "keydocs.cue" }
	secrets := func(n string) bool { return n == "secrets.cue" || n == "migrate/hints.cue" }
	steps := func(n string) bool {
		return n == "cond.cue" || strings.HasPrefix(n, "migrate/") && n != "migrate/hints.cue"
	}
	var all map[string]map[string]*cue.MigrationStep
	for _, d := range []struct {
		keep       func(string) bool
		path, what string
		into       any
	}{
		{rules, "rules", "rules", &k.Rules},
		{detect, "detect", "detect.cue", &k.Detect},
		{secrets, "secrets", "secrets.cue", &k.Secrets},
		{secrets, "hints", "migrate/hints.cue", &k.Hints},
		{keyDocs, "keyDocs", "keydocs.cue", &k.KeyDocs},
		{steps, "migrations", "migrate", &all},
		{steps, "tables", "migrate/tables.cue", &k.Tables},
	} {
		if err := decode(d.keep, d.path, d.into, d.what); err != nil {
			return nil, err
		}
	}
	k.Migrations = map[string]*cue.MigrationStep{}
	for chart, steps := range all {
		for name, st := range steps {
			if st.Chart != chart || name != st.From+"->"+st.To {
				return nil, fmt.Errorf("cue/migrate: step %s/%s declares %s %s->%s", chart, name, st.Chart, st.From, st.To)
			}
			k.Migrations[chart+"/"+name] = st
		}
	}
	return k, nil
}

// Generate compiles every CUE source and returns the files of
// cue/compiled/ by name.
func (c *Compiler) Generate() (map[string][]byte, error) {
	out := map[string][]byte{}
	var schemas []*cue.Schema
	for _, chart := range cue.Charts() {
		for _, major := range cue.Majors(chart) {
			s, def, err := c.Schema(chart, major)
			if err != nil {
				return nil, err
			}
			schemas = append(schemas, s)
			for _, target := range []string{cue.TargetHelm, cue.TargetPolyaxonCLI} {
				opts := cue.ExportOptions{Target: target}
				b, err := exportCUE(s, def, opts)
				if err != nil {
					return nil, err
				}
				out[cue.CUEFile(chart, major, opts)] = b
			}
		}
	}
	sb, err := cue.EncodeSchemas(schemas)
	if err != nil {
		return nil, err
	}
	out[cue.SchemasFile] = sb
	k, err := c.Knowledge()
	if err != nil {
		return nil, err
	}
	facts, err := fs.ReadFile(c.src, cue.SubchartFactsFile)
	if err != nil {
		return nil, fmt.Errorf("sub-chart facts: %w", err)
	}
	var sub cue.SubchartData
	if err := json.Unmarshal(facts, &sub); err != nil {
		return nil, fmt.Errorf("%s: %w", cue.SubchartFactsFile, err)
	}
	out[cue.SubchartsFile] = cue.EncodeSubcharts(&sub)
	kf, err := cue.EncodeKnowledge(k)
	if err != nil {
		return nil, err
	}
	for name, b := range kf {
		out[name] = b
	}
	return out, nil
}
