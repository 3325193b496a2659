package cue_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	cuelang "cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	cueyaml "cuelang.org/go/encoding/yaml"
	"github.com/xeipuuv/gojsonschema"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/export")

// schemaRules are the lint rules that report what a JSON Schema can see: a
// key the schema does not have, or a value it does not accept.
//
// number-as-string is among them: pxvalues warns (rather than errors) about a
// plain number where the chart expects a string, because Helm reads
// `imageTag: 2.10` as 2.1; the exported schema only sees the number and
// rejects it, so Helm and editors refuse the file until the value is quoted,
// which is the fix the warning gives.
var schemaRules = map[string]bool{
	"unknown-key":      true,
	"wrong-type":       true,
	"enum-value":       true,
	"invalid-value":    true,
	"number-as-string": true,
}

// cliRules report, with --target polyaxon-cli, the keys Polyaxon's
// validator rejects (Meta.CLI == "rejected"), which the polyaxon-cli export
// leaves out: cli-rejected, or agent-platform-keys for the platform-only
// keys of an agent file (the same keys, a more specific message).
var cliRules = map[string]bool{"cli-rejected": true, "agent-platform-keys": true}

// differ computes both verdicts of a document: pxvalues' lint and
// gojsonschema with the exported schema.
type differ struct {
	cat *cue.Catalog
	l   *lint.Linter

	mu      sync.Mutex
	schemas map[string]*gojsonschema.Schema
}

func newDiffer(t *testing.T) *differ {
	t.Helper()
	cat := cue.New()
	l, err := lint.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	return &differ{cat: cat, l: l, schemas: map[string]*gojsonschema.Schema{}}
}

func (d *differ) schema(t *testing.T, chart, major, target string) *gojsonschema.Schema {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	key := chart + "/" + major + "/" + target
	if s := d.schemas[key]; s != nil {
		return s
	}
	s, err := d.cat.Schema(chart, major)
	if err != nil {
		t.Fatal(err)
	}
	js, err := s.JSONSchema(cue.ExportOptions{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(js))
	if err != nil {
		t.Fatalf("gojsonschema cannot read the %s schema: %v", key, err)
	}
	d.schemas[key] = compiled
	return compiled
}

// pointer renders path segments as a JSON pointer.
func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(s))
	}
	return b.String()
}

// jsonFlagged validates doc with the exported schema and returns the JSON
// pointers gojsonschema reports (an unknown key is reported at its map with
// the key as "property": the pointer is the key's own).
func (d *differ) jsonFlagged(t *testing.T, doc *values.Document, chart, major, target string) []string {
	t.Helper()
	res, err := d.schema(t, chart, major, target).Validate(gojsonschema.NewGoLoader(doc.Root.Interface()))
	if err != nil {
		t.Fatalf("%s: gojsonschema: %v", doc.Name, err)
	}
	set := map[string]bool{}
	for _, e := range res.Errors() {
		segs := strings.Split(e.Context().String("\x00"), "\x00")[1:] // drop "(root)"
		if e.Type() == "additional_property_not_allowed" {
			segs = append(segs, fmt.Sprint(e.Details()["property"]))
		}
		set[pointer(segs)] = true
	}
	return sorted(set)
}

// lintFlagged lints doc as chart and major and returns the JSON pointers of
// its schema findings (with --target polyaxon-cli, also the keys it reports
// as rejected by Polyaxon's validator: cliRules).
func (d *differ) lintFlagged(t *testing.T, doc *values.Document, chart, major, target string) []string {
	t.Helper()
	res, err := d.l.Lint(doc, lint.Options{Chart: chart, Major: major, Target: target})
	if err != nil {
		t.Fatalf("%s: %v", doc.Name, err)
	}
	byPath := map[string]string{}
	doc.Root.Walk(func(n *values.Node) bool {
		if n.Parent != nil {
			byPath[n.Path()] = pointer(n.Segments())
		}
		return true
	})
	set := map[string]bool{}
	for _, diag := range res.Diagnostics {
		if !schemaRules[diag.Rule] && !(target == cue.TargetPolyaxonCLI && cliRules[diag.Rule]) {
			continue
		}
		p, ok := byPath[diag.Path]
		if !ok {
			t.Fatalf("%s: diagnostic %s names path %q that is not in the document", doc.Name, diag, diag.Path)
		}
		set[p] = true
	}
	return sorted(set)
}

func sorted(set map[string]bool) []string {
	out := []string{}
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestExportDifferentialCorpus: every chart default of the corpus (rebuilt
// from cue/facts), linted under its detected chart and major, gets the
// same verdict from gojsonschema with the exported schema as from pxvalues.
func TestExportDifferentialCorpus(t *testing.T) {
	rs, err := facts.Releases("facts")
	if err != nil {
		t.Fatal(err)
	}
	d := newDiffer(t)
	rules, err := d.cat.DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	valid := 0
	for _, r := range rs {
		f := r.Name()
		doc, err := values.Load(f, r.YAML, values.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		det := cue.Detect(doc, rules, "", "")
		if !cue.ValidTarget(det.Chart, det.Major) {
			t.Errorf("%s: detected %s %s", f, det.Chart, det.Major)
			continue
		}
		want := d.lintFlagged(t, doc, det.Chart, det.Major, "")
		got := d.jsonFlagged(t, doc, det.Chart, det.Major, "")
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s (%s %s): gojsonschema flags %v, pxvalues flags %v", f, det.Chart, det.Major, got, want)
		}
		if len(want) == 0 {
			valid++
		}
	}
	t.Logf("%d corpus files, %d valid for both", len(rs), valid)
}

// fixture is a values file of testdata/export/<chart>_<major>/: its
// `# flagged: /json/pointer` lines list what both verdicts must flag.
type fixture struct {
	chart, major, target string
	doc                  *values.Document
	want                 []string
	// lintDiffers explains a known pxvalues bug that makes its verdict
	// differ from the fixture's (and CUE's); the JSON verdict is still checked.
	lintDiffers string
}

func readFixtures(t *testing.T) []fixture {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "export", "*_*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []fixture
	for _, dir := range dirs {
		chart, major, _ := strings.Cut(filepath.Base(dir), "_")
		if !cue.ValidTarget(chart, major) {
			t.Fatalf("%s: not a chart_major directory", dir)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			doc, err := values.ReadFile(f, values.DefaultLimits())
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			fx := fixture{chart: chart, major: major, doc: doc, want: []string{}}
			for _, line := range strings.Split(string(doc.Src), "\n") {
				if p, ok := strings.CutPrefix(line, "# flagged: "); ok {
					fx.want = append(fx.want, strings.TrimSpace(p))
				}
				if p, ok := strings.CutPrefix(line, "# target: "); ok {
					fx.target = strings.TrimSpace(p)
				}
				if p, ok := strings.CutPrefix(line, "# lint-differs: "); ok {
					fx.lintDiffers = strings.TrimSpace(p)
				}
			}
			sort.Strings(fx.want)
			out = append(out, fx)
		}
	}
	return out
}

// TestExportDifferentialFixtures: hand-written valid and invalid files for
// every chart and major (unknown keys, nested unknown keys, wrong types,
// enum values, list items, nulls, number-as-string): pxvalues flags exactly
// the pointers the fixture lists, and so does gojsonschema with the
// exported schema.
func TestExportDifferentialFixtures(t *testing.T) {
	d := newDiffer(t)
	seen := map[string]int{}
	for _, fx := range readFixtures(t) {
		t.Run(fx.doc.Name, func(t *testing.T) {
			lintGot := d.lintFlagged(t, fx.doc, fx.chart, fx.major, fx.target)
			jsonGot := d.jsonFlagged(t, fx.doc, fx.chart, fx.major, fx.target)
			if strings.Join(jsonGot, " ") != strings.Join(fx.want, " ") {
				t.Errorf("gojsonschema flags %v, the fixture says %v", jsonGot, fx.want)
			}
			if strings.Join(lintGot, " ") != strings.Join(fx.want, " ") {
				if fx.lintDiffers != "" {
					t.Skipf("known pxvalues bug: it flags %v, the fixture says %v: %s", lintGot, fx.want, fx.lintDiffers)
				}
				t.Errorf("pxvalues flags %v, the fixture says %v", lintGot, fx.want)
			} else if fx.lintDiffers != "" {
				t.Errorf("pxvalues now agrees with the fixture: remove its lint-differs line")
			}
		})
		seen[fx.chart+"_"+fx.major]++
	}
	for _, ch := range cue.Charts() {
		for _, m := range cue.Majors(ch) {
			if seen[ch+"_"+m] < 2 {
				t.Errorf("testdata/export/%s_%s: want a valid and an invalid fixture at least", ch, m)
			}
		}
	}
}

// TestExportPolyaxonCLI: for every chart and major, each top-level key
// Polyaxon's validator rejects is refused by the polyaxon-cli export and
// accepted by the helm export.
func TestExportPolyaxonCLI(t *testing.T) {
	d := newDiffer(t)
	for _, ch := range cue.Charts() {
		for _, m := range cue.Majors(ch) {
			s, err := d.cat.Schema(ch, m)
			if err != nil {
				t.Fatal(err)
			}
			var rejected []string
			var src strings.Builder
			for _, name := range s.Root.Names {
				if s.Root.Field(name).Meta.CLI == "rejected" {
					rejected = append(rejected, pointer([]string{name}))
					fmt.Fprintf(&src, "%q: null\n", name)
				}
			}
			if len(rejected) == 0 {
				continue
			}
			doc, err := values.Load(ch+"_"+m+".yaml", []byte(src.String()), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(rejected)
			if got := d.jsonFlagged(t, doc, ch, m, cue.TargetPolyaxonCLI); strings.Join(got, " ") != strings.Join(rejected, " ") {
				t.Errorf("%s %s polyaxon-cli: flags %v, want %v", ch, m, got, rejected)
			}
			if got := d.jsonFlagged(t, doc, ch, m, cue.TargetHelm); len(got) != 0 {
				t.Errorf("%s %s helm: flags %v, want nothing", ch, m, got)
			}
		}
	}
}

// TestExportGolden pins the exported documents of one schema per format and
// target: review the diff when the schemas change (go test -update).
func TestExportGolden(t *testing.T) {
	cat := cue.New()
	for _, tc := range []struct {
		chart, major, target, format string
	}{
		{"agent", "v2", cue.TargetHelm, "json"},
		{"agent", "v2", cue.TargetPolyaxonCLI, "json"},
		{"agent", "v2", cue.TargetHelm, "cue"},
		{"agent", "v2", cue.TargetPolyaxonCLI, "cue"},
	} {
		name := fmt.Sprintf("%s_%s_%s.%s", tc.chart, tc.major, tc.target, tc.format)
		t.Run(name, func(t *testing.T) {
			var got []byte
			var err error
			if tc.format == "json" {
				got, err = cat.JSONSchema(tc.chart, tc.major, cue.ExportOptions{Target: tc.target})
			} else {
				got, err = cat.ExportCUE(tc.chart, tc.major, cue.ExportOptions{Target: tc.target})
			}
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "export", "golden", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (go test ./cue -run TestExportGolden -update, then review the diff)", name)
			}
		})
	}
}

// TestExportCUE: the CUE export of every schema compiles on its own, and
// `cue vet` semantics (unify the YAML with the closed definition) give each
// fixture of testdata/export its verdict (valid, or not), accept a null for
// any key, refuse an unknown key and, for the polyaxon-cli target, a key
// Polyaxon's validator rejects.
func TestExportCUE(t *testing.T) {
	cat := cue.New()
	type compiled struct {
		ctx *cuelang.Context
		def cuelang.Value
	}
	defs := map[string]compiled{}
	vet := func(t *testing.T, chart, major, target, yamlSrc string) error {
		t.Helper()
		key := chart + "/" + major + "/" + target
		c, ok := defs[key]
		if !ok {
			src, err := cat.ExportCUE(chart, major, cue.ExportOptions{Target: target})
			if err != nil {
				t.Fatal(err)
			}
			c.ctx = cuecontext.New()
			v := c.ctx.CompileBytes(src, cuelang.Filename(chart+"_"+major+".cue"))
			if err := v.Err(); err != nil {
				t.Fatalf("%s: the CUE export does not compile: %v", key, err)
			}
			c.def = v.LookupPath(cuelang.ParsePath(cue.DefName(chart, major)))
			if !c.def.Exists() {
				t.Fatalf("%s: no %s in the CUE export", key, cue.DefName(chart, major))
			}
			defs[key] = c
		}
		f, err := cueyaml.Extract("values.yaml", yamlSrc)
		if err != nil {
			t.Fatal(err)
		}
		return c.def.Unify(c.ctx.BuildFile(f)).Validate(cuelang.Concrete(true))
	}
	for _, fx := range readFixtures(t) {
		target := fx.target
		if target == "" {
			target = cue.TargetHelm
		}
		err := vet(t, fx.chart, fx.major, target, string(fx.doc.Src))
		if (err != nil) != (len(fx.want) > 0) {
			t.Errorf("%s: cue vet says %v, the fixture flags %v", fx.doc.Name, err, fx.want)
		}
	}
	for _, ch := range cue.Charts() {
		for _, m := range cue.Majors(ch) {
			s, err := cat.Schema(ch, m)
			if err != nil {
				t.Fatal(err)
			}
			var helmOnly string
			for _, name := range s.Root.Names {
				if s.Root.Field(name).Meta.CLI == "rejected" {
					helmOnly = name
					break
				}
			}
			for _, target := range []string{cue.TargetHelm, cue.TargetPolyaxonCLI} {
				name := s.Root.Names[0]
				if err := vet(t, ch, m, target, fmt.Sprintf("%q: null\n", name)); err != nil && !(target == cue.TargetPolyaxonCLI && s.Root.Field(name).Meta.CLI == "rejected") {
					t.Errorf("%s %s %s: a null %s is refused: %v", ch, m, target, name, err)
				}
				if err := vet(t, ch, m, target, "notAPolyaxonKey: 1\n"); err == nil {
					t.Errorf("%s %s %s: an unknown key is accepted", ch, m, target)
				}
				if helmOnly == "" {
					continue
				}
				err := vet(t, ch, m, target, fmt.Sprintf("%q: null\n", helmOnly))
				if (err != nil) != (target == cue.TargetPolyaxonCLI) {
					t.Errorf("%s %s %s: %s (rejected by Polyaxon's validator): cue vet says %v", ch, m, target, helmOnly, err)
				}
			}
		}
	}
}
