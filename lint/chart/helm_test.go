package chart_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/chart"
	"github.com/pxvalues/pxvalues/values"
)

// Tests that run Helm itself (its CLI or its packages) on exported
// schemas and real charts.

func copyChart(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join("testdata", name)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// polyaxonChart copies testdata/polyaxon (named and versioned like the
// platform chart 2.15.1) and adds the exported platform v2 schema as its
// values.schema.json.
func polyaxonChart(t *testing.T, e *env) string {
	t.Helper()
	dir := copyChart(t, "polyaxon")
	s, err := e.cat.Schema("platform", "v2")
	if err != nil {
		t.Fatal(err)
	}
	js, err := s.JSONSchema(cue.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "values.schema.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExportedSchemaInHelm places `pxvalues schema --chart platform --major
// v2` into a chart as its values.schema.json: Helm's own validation
// (chartutil, what `helm install` runs) accepts the valid file and refuses
// the misspelt key, and so does `pxvalues lint --chart-dir`'s check.
func TestExportedSchemaInHelm(t *testing.T) {
	e := newEnv(t)
	dir := polyaxonChart(t, e)
	hc, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := chart.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, m := ours.Polyaxon(e.cat); c != "platform" || m != "v2" {
		t.Fatalf("the stand-in chart reads as %q %q, want platform v2", c, m)
	}
	for _, tc := range []struct {
		file    string
		refused string // the key Helm must name, or "" when valid
	}{
		{"polyaxon-good.yaml", ""},
		{"polyaxon-misspelt.yaml", "servce"},
	} {
		doc := readValues(t, tc.file)
		vals, _ := doc.Root.Interface().(map[string]any)
		coalesced, err := chartutil.CoalesceValues(hc, vals)
		if err != nil {
			t.Fatal(err)
		}
		helmErr := chartutil.ValidateAgainstSchema(hc, coalesced)
		switch {
		case tc.refused == "" && helmErr != nil:
			t.Errorf("%s: Helm refuses a valid file: %v", tc.file, helmErr)
		case tc.refused != "" && helmErr == nil:
			t.Errorf("%s: Helm accepts it", tc.file)
		case tc.refused != "" && !strings.Contains(helmErr.Error(), tc.refused):
			t.Errorf("%s: Helm's refusal does not name %s: %v", tc.file, tc.refused, helmErr)
		}
		diags, err := ours.Check(context.Background(), doc, e.options(t, ours, ""))
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", "exported-"+strings.TrimSuffix(tc.file, ".yaml")+".txt"), []byte(show(diags, dir)))
	}
}

// helmBinary returns a Helm CLI: $PXVALUES_TEST_HELM, or v3.22.0 built from
// the Go module proxy into the user cache (once; slow). The tests that
// need it run only with PXVALUES_SLOW_TESTS=1 (.ci/run sets it).
func helmBinary(t *testing.T) string {
	t.Helper()
	if os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("renders with a Helm CLI built from source: set PXVALUES_SLOW_TESTS=1")
	}
	if p := os.Getenv("PXVALUES_TEST_HELM"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(cache, "pxvalues-test", "helm")
	helm := filepath.Join(bin, "helm")
	if runtime.GOOS == "windows" {
		helm += ".exe"
	}
	if _, err := os.Stat(helm); err == nil {
		return helm
	}
	cmd := exec.Command("go", "install", "helm.sh/helm/v3/cmd/helm@v3.22.0")
	cmd.Dir = t.TempDir() // outside this module: go install pkg@version
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("installing Helm: %v\n%s", err, out)
	}
	return helm
}

// TestRenderWithHelm renders testdata/pxtest with `helm template` and good
// and bad values: the failure is reported at the user's value the failing
// template read, with the template's position as related information.
func TestRenderWithHelm(t *testing.T) {
	helm := helmBinary(t)
	e := newEnv(t)
	ch, err := chart.Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"good.yaml", "service-null.yaml", "tag-null.yaml"} {
		t.Run(name, func(t *testing.T) {
			diags, err := ch.Check(context.Background(), readValues(t, name), e.options(t, ch, helm))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", "render-"+strings.TrimSuffix(name, ".yaml")+".txt"), []byte(show(diags, "")))
			if name != "good.yaml" && !hasRule(diags, chart.RuleRender) {
				t.Errorf("no %s finding", chart.RuleRender)
			}
		})
	}
}

// TestExportedSchemaInHelmCLI: the Helm CLI itself (helm template) refuses
// the misspelt key with the exported schema, and pxvalues reports it once.
func TestExportedSchemaInHelmCLI(t *testing.T) {
	helm := helmBinary(t)
	e := newEnv(t)
	dir := polyaxonChart(t, e)
	for _, tc := range []struct {
		file string
		ok   bool
	}{{"polyaxon-good.yaml", true}, {"polyaxon-misspelt.yaml", false}} {
		out, err := exec.Command(helm, "template", "px", dir, "-f", filepath.Join("testdata", "values", tc.file)).CombinedOutput()
		if (err == nil) != tc.ok {
			t.Errorf("helm template -f %s: error %v, want ok=%v\n%s", tc.file, err, tc.ok, out)
		}
		if !tc.ok && !strings.Contains(string(out), "servce") {
			t.Errorf("helm's refusal does not name the key:\n%s", out)
		}
		ch, err := chart.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		diags, err := ch.Check(context.Background(), readValues(t, tc.file), e.options(t, ch, helm))
		if err != nil {
			t.Fatal(err)
		}
		if n := count(diags, chart.RuleSchema); n != map[bool]int{true: 0, false: 1}[tc.ok] {
			t.Errorf("%s: %d %s findings:\n%s", tc.file, n, chart.RuleSchema, show(diags, dir))
		}
	}
}

// TestExportedSchemaHelmValidator: Helm's own validator (the one `helm
// install` runs on values.schema.json) gives every file of the shared
// corpus and every fixture of cue/testdata/export the verdict pxvalues'
// schema rules give it (valid or not), with the exported schema of its
// chart and major.
func TestExportedSchemaHelmValidator(t *testing.T) {
	e := newEnv(t)
	rules, err := e.cat.DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string][]byte{}
	schemaOf := func(ch, m, target string) []byte {
		key := ch + m + target
		if schemas[key] == nil {
			s, err := e.cat.Schema(ch, m)
			if err != nil {
				t.Fatal(err)
			}
			if schemas[key], err = s.JSONSchema(cue.ExportOptions{Target: target}); err != nil {
				t.Fatal(err)
			}
		}
		return schemas[key]
	}
	flagging := map[string]bool{"unknown-key": true, "wrong-type": true, "enum-value": true, "invalid-value": true, "number-as-string": true, "cli-rejected": true, "agent-platform-keys": true}
	check := func(path string, src []byte, ch, m, target string) {
		doc, err := values.Load(path, src, values.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if ch == "" {
			det := cue.Detect(doc, rules, "", "")
			ch, m = det.Chart, det.Major
		}
		res, err := e.l.Lint(doc, lint.Options{Chart: ch, Major: m, Target: target})
		if err != nil {
			t.Fatal(err)
		}
		lintValid := true
		for _, d := range res.Diagnostics {
			lintValid = lintValid && !flagging[d.Rule]
		}
		vals, _ := doc.Root.Interface().(map[string]any)
		helmErr := chartutil.ValidateAgainstSingleSchema(vals, schemaOf(ch, m, target))
		if (helmErr == nil) != lintValid {
			t.Errorf("%s (%s %s %s): Helm's validator says %v, pxvalues valid=%v", path, ch, m, target, helmErr, lintValid)
		}
	}
	dir, err := facts.Dir()
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := facts.Releases(dir) // every chart release's defaults, rebuilt from cue/facts
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range corpus {
		check(r.Name(), r.YAML, "", "", "")
	}
	fixtures, _ := filepath.Glob(filepath.Join("..", "..", "cue", "testdata", "export", "*_*", "*.yaml"))
	if len(fixtures) == 0 {
		t.Fatal("no fixtures in cue/testdata/export")
	}
	for _, f := range fixtures {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\n# lint-differs: ") {
			continue // a known pxvalues bug the fixture documents (cue's tests check it)
		}
		ch, m, _ := strings.Cut(filepath.Base(filepath.Dir(f)), "_")
		target := ""
		if strings.Contains(string(src), "# target: polyaxon-cli") {
			target = cue.TargetPolyaxonCLI
		}
		check(f, src, ch, m, target)
	}
	t.Logf("%d corpus files and %d fixtures", len(corpus), len(fixtures))
}
