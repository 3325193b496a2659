package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/encoding/yaml"
	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/pxvalues/pxvalues/cue/facts"
)

// repoRoot returns the directory holding go.mod, walking up from the test directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// schemaDir is the committed output directory.
func schemaDir(t *testing.T) string {
	return filepath.Join(repoRoot(t), "cue", "schema")
}

// factsDir is the committed facts directory (cue/facts).
func factsDir(t *testing.T) string {
	return filepath.Join(repoRoot(t), "cue", "facts")
}

// loadSchema builds common.cue, releases.cue and the chart major's schema and defaults files
// as one instance.
func loadSchema(t *testing.T, ctx *cue.Context, s chartSpec) cue.Value {
	t.Helper()
	dir := schemaDir(t)
	inst := build.NewContext().NewInstance(dir, nil)
	for _, name := range []string{"common.cue", "releases.cue", s.base() + ".cue", s.base() + "_defaults.cue"} {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		f, err := parser.ParseFile(filepath.Join(dir, name), src, parser.ParseComments)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		if err := inst.AddSyntax(f); err != nil {
			t.Fatalf("adding %s: %v", name, err)
		}
	}
	v := ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		t.Fatalf("%s: building instance: %v", s.base(), err)
	}
	return v
}

// TestGeneratedFilesCompile checks that every generated file compiles with the common
// definitions, that the definition exists, and that the defaults satisfy it.
func TestGeneratedFilesCompile(t *testing.T) {
	ctx := cuecontext.New()
	for _, s := range specs {
		t.Run(s.base(), func(t *testing.T) {
			for _, name := range []string{s.base() + ".cue", s.base() + "_defaults.cue", "releases.cue"} {
				src, err := os.ReadFile(filepath.Join(schemaDir(t), name))
				if err != nil {
					t.Fatalf("reading %s: %v", name, err)
				}
				if !bytes.HasPrefix(src, []byte(header)) {
					t.Errorf("%s does not start with the generated-code header", name)
				}
			}
			v := loadSchema(t, ctx, s)
			def := v.LookupPath(cue.ParsePath(s.def))
			if !def.Exists() {
				t.Fatalf("%s is not defined", s.def)
			}
			if !def.IsClosed() {
				t.Errorf("%s is not closed", s.def)
			}
			defaults := v.LookupPath(cue.MakePath(cue.Str("defaults"), cue.Str(s.chart), cue.Str(s.majorLabel())))
			if !defaults.Exists() {
				t.Fatalf("defaults: %s: %s is not defined", s.chart, s.majorLabel())
			}
			if err := def.Unify(defaults).Validate(cue.Concrete(true)); err != nil {
				t.Errorf("defaults do not satisfy %s: %v", s.def, err)
			}
			rel := v.LookupPath(cue.MakePath(cue.Str("releases"), cue.Str(s.chart), cue.Str(s.majorLabel())))
			var rs []string
			if err := rel.Decode(&rs); err != nil || len(rs) == 0 {
				t.Fatalf("releases: %s: %s: %v (%d releases)", s.chart, s.majorLabel(), err, len(rs))
			}
			if !slices.IsSortedFunc(rs, compareSemver) {
				t.Errorf("releases: %s: %s are not sorted oldest first: %v", s.chart, s.majorLabel(), rs)
			}
		})
	}
}

// TestCommittedFilesUpToDate regenerates the schemas into a temporary directory and compares
// them with the committed files.
func TestCommittedFilesUpToDate(t *testing.T) {
	cfg := config{
		factsDir:   factsDir(t),
		outDir:     t.TempDir(),
		commonFile: filepath.Join(schemaDir(t), "common.cue"),
	}
	if err := run(cfg); err != nil {
		t.Fatalf("generating: %v", err)
	}
	ents, err := os.ReadDir(cfg.outDir)
	if err != nil {
		t.Fatalf("reading output: %v", err)
	}
	generated := map[string]bool{}
	for _, e := range ents {
		generated[e.Name()] = true
		want, err := os.ReadFile(filepath.Join(cfg.outDir, e.Name()))
		if err != nil {
			t.Fatalf("reading generated %s: %v", e.Name(), err)
		}
		got, err := os.ReadFile(filepath.Join(schemaDir(t), e.Name()))
		if err != nil {
			t.Errorf("%s is not committed: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("cue/schema/%s is out of date: run `go generate ./cue`", e.Name())
		}
	}
	if len(generated) != 2*len(specs)+1 {
		t.Errorf("generated %d files, want %d", len(generated), 2*len(specs)+1)
	}
	// A committed file with the generated header that the generator no longer writes is stale.
	committed, err := os.ReadDir(schemaDir(t))
	if err != nil {
		t.Fatalf("reading cue/schema: %v", err)
	}
	for _, e := range committed {
		src, err := os.ReadFile(filepath.Join(schemaDir(t), e.Name()))
		if err == nil && bytes.HasPrefix(src, []byte(header)) && !generated[e.Name()] {
			t.Errorf("cue/schema/%s has the generated header but is no longer generated", e.Name())
		}
	}
}

// resolver looks key paths up in a compiled definition the way the dialect reads: a field,
// else the `[string]` pattern (which `...` and #Map also provide), `[]` the list element, and
// anything below `_`.
type resolver struct {
	st, ls cue.Value // {} and [...], to pick the struct or list branch of `null | T`
	def    cue.Value
	memo   map[string]step
}

// step is the result of resolving one key path.
type step struct {
	v   cue.Value
	any bool  // `_`: every key below is accepted
	err error // the path does not resolve
}

func newResolver(ctx *cue.Context, def cue.Value) *resolver {
	return &resolver{
		st:   ctx.CompileString("{}"),
		ls:   ctx.CompileString("[...]"),
		def:  def,
		memo: map[string]step{},
	}
}

// lookup resolves segs (keys, "[]" for list items).
func (r *resolver) lookup(segs []string) step {
	if len(segs) == 0 {
		return step{v: r.def}
	}
	key := strings.Join(segs, "\x00")
	if s, ok := r.memo[key]; ok {
		return s
	}
	s := r.next(r.lookup(segs[:len(segs)-1]), segs[len(segs)-1])
	r.memo[key] = s
	return s
}

// next resolves one segment below p.
func (r *resolver) next(p step, seg string) step {
	switch {
	case p.err != nil || p.any:
		return p
	case p.v.IncompleteKind() == cue.TopKind:
		return step{any: true}
	case seg == "[]":
		l := p.v.Unify(r.ls)
		if l.Err() != nil {
			return step{err: errors.New("a list item where the schema has no list")}
		}
		e := l.LookupPath(cue.MakePath(cue.AnyIndex))
		if !e.Exists() {
			return step{err: errors.New("list has no element type")}
		}
		return step{v: e}
	}
	s := p.v.Unify(r.st)
	if s.Err() != nil {
		return step{err: errors.New("a key where the schema has no struct")}
	}
	if f := s.LookupPath(cue.MakePath(cue.Str(seg).Optional())); f.Exists() {
		return step{v: f}
	}
	if pat := s.LookupPath(cue.MakePath(cue.AnyString)); pat.Exists() {
		return step{v: pat}
	}
	return step{err: errors.New("unknown key")}
}

// yamlKeys calls fn with every key path of a YAML node, list items as "[]".
func yamlKeys(n *yamlv3.Node, segs []string, fn func(segs []string)) {
	switch n.Kind {
	case yamlv3.DocumentNode:
		for _, c := range n.Content {
			yamlKeys(c, segs, fn)
		}
	case yamlv3.AliasNode:
		yamlKeys(n.Alias, segs, fn)
	case yamlv3.SequenceNode:
		s := append(slices.Clip(segs), "[]")
		for _, c := range n.Content {
			yamlKeys(c, s, fn)
		}
	case yamlv3.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yamlv3.AliasNode {
				k = k.Alias
			}
			if k.Tag == "!!merge" {
				yamlKeys(v, segs, fn) // `<<: *anchor`: the anchor's keys are at this level
				continue
			}
			s := append(slices.Clip(segs), k.Value)
			fn(s)
			yamlKeys(v, s, fn)
		}
	}
}

// TestCorpusKeysResolve checks that every key of every chart values file of the corpus is a
// field of the schema of its chart and major.
func TestCorpusKeysResolve(t *testing.T) {
	ctx := cuecontext.New()
	resolvers := map[string]*resolver{}
	for _, s := range specs {
		v := loadSchema(t, ctx, s)
		r := newResolver(ctx, v.LookupPath(cue.ParsePath(s.def)))
		resolvers[s.base()] = r
		// Negative controls: the walk must not accept everything.
		for _, bad := range [][]string{{"pxNoSuchKey"}, {"rbac", "pxNoSuchKey"}, {"ingress", "pxNoSuchKey"}} {
			if st := r.lookup(bad); st.err == nil {
				t.Errorf("%s: %s resolves, want an unknown key", s.def, strings.Join(bad, "."))
			}
		}
		for _, ok := range [][]string{{"postgresql", "primary", "persistence", "size"}, {"redis", "pxAnyKey"}} {
			if st := r.lookup(ok); st.err != nil {
				t.Errorf("%s: %s does not resolve (sub-chart passthrough): %v", s.def, strings.Join(ok, "."), st.err)
			}
		}
	}
	type failure struct {
		files []string
		err   error
	}
	failures := map[string]*failure{}
	nFiles, nKeys := 0, 0
	for _, c := range corpusFiles(t) {
		r := resolvers[c.base]
		if r == nil {
			t.Errorf("%s: no schema %s", c.rel, c.base)
			continue
		}
		var doc yamlv3.Node
		if err := yamlv3.Unmarshal(c.src, &doc); err != nil {
			t.Errorf("%s: %v", c.rel, err)
			continue
		}
		nFiles++
		yamlKeys(&doc, nil, func(segs []string) {
			nKeys++
			// Report only the first unknown key of a path, not every key below it.
			if st := r.lookup(segs); st.err != nil && r.lookup(segs[:len(segs)-1]).err == nil {
				k := fmt.Sprintf("%s %s", c.base, strings.Join(segs, "."))
				f := failures[k]
				if f == nil {
					f = &failure{err: st.err}
					failures[k] = f
				}
				f.files = append(f.files, c.version)
			}
		})
	}
	t.Logf("checked %d corpus files, %d keys, %d failing key paths", nFiles, nKeys, len(failures))
	for _, k := range slices.Sorted(maps.Keys(failures)) {
		f := failures[k]
		t.Errorf("%s: %v (in %s)", k, f.err, strings.Join(f.files, ", "))
	}
	if nFiles == 0 {
		t.Error("no corpus file checked")
	}
}

// TestCorpusValuesUnify checks that every chart values file of the corpus, values included,
// satisfies the schema of its chart and major: the generated types and enums agree with what
// the charts themselves declare.
func TestCorpusValuesUnify(t *testing.T) {
	ctx := cuecontext.New()
	defs := map[string]cue.Value{}
	for _, s := range specs {
		defs[s.base()] = loadSchema(t, ctx, s).LookupPath(cue.ParsePath(s.def))
	}
	n := 0
	for _, c := range corpusFiles(t) {
		def, ok := defs[c.base]
		if !ok {
			t.Errorf("%s: no schema", c.rel)
			continue
		}
		f, err := yaml.Extract(c.rel, c.src)
		if err != nil {
			t.Errorf("%s: %v", c.rel, err)
			continue
		}
		n++
		if err := def.Unify(ctx.BuildFile(f)).Validate(); err != nil {
			var msgs []string
			for _, ce := range cueerrors.Errors(err) {
				if m := ce.Error(); !slices.Contains(msgs, m) {
					msgs = append(msgs, m)
				}
			}
			t.Errorf("%s does not satisfy its schema:\n\t%s", c.rel, strings.Join(msgs, "\n\t"))
		}
	}
	t.Logf("unified %d corpus files with their schema", n)
}

// TestIsSecret pins the secret rules of domain.md section 7 on real catalogue paths.
func TestIsSecret(t *testing.T) {
	for p, want := range map[string]bool{
		"encryptionSecret":                         true,
		"platformSecret":                           true,
		"agentSecret":                              true,
		"polyaxonSecret":                           true,
		"internalToken":                            true,
		"agent.token":                              true,
		"user.password":                            true,
		"email.hostPassword":                       true,
		"ldap.bindPassword":                        true,
		"externalServices.redis.password":          true,
		"rabbitmq.auth.password":                   true,
		"postgresql.auth.postgresPassword":         true,
		"auth.github.clientSecret":                 true,
		"externalServices.auth.github.options":     true,
		"externalServices.auth.okta.options.extra": true,
		"k8s.authorisation":                        true,
		"ssl.secretName":                           false,
		"postgresql.auth.existingSecret":           false,
		"secret":                                   false,
		"persistence.logs.secret":                  false,
		"persistence.logs.secretKey":               false,
		"imagePullSecrets":                         false,
		"passwordLength":                           false,
		"ephemeralTokenTTL":                        false,
		"externalServices.redis.options":           false,
	} {
		if got := isSecret(p); got != want {
			t.Errorf("isSecret(%q) = %v, want %v", p, got, want)
		}
	}
}

// corpusEntry is one chart values file of the corpus and the schema it belongs to.
type corpusEntry struct {
	rel, version string
	src          []byte
	// base names the schema: platform_v2, agent_v1, ...
	base string
}

// corpusFiles rebuilds every chart release's values file from cue/facts.
func corpusFiles(t *testing.T) []corpusEntry {
	t.Helper()
	rs, err := facts.Releases(factsDir(t))
	if err != nil {
		t.Fatalf("reading the release facts: %v", err)
	}
	var out []corpusEntry
	for _, r := range rs {
		out = append(out, corpusEntry{rel: r.Name(), src: r.YAML, version: r.Version, base: r.Chart + "_" + r.Major()})
	}
	return out
}
