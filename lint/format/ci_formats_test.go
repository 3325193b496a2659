package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// sampleReport is a report of a layered lint (findings from two files and a
// --set flag, with a hint, a related position and a fix), a clean file and
// a file that does not parse. File names and messages carry the characters
// each format must escape.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	pos := func(file string, line, col int) values.Pos { return values.Pos{File: file, Line: line, Column: col} }
	merged := "base.yaml" + values.LayerSep + "envs/prod,eu:1.yaml" + values.LayerSep + values.SetName(values.SetValue, 0)
	return &Report{
		Rules: l.RuleDocs(),
		Tool:  "1.2.3",
		Files: []*lint.Result{
			{
				Path:      merged,
				Detection: cue.Detection{Chart: "platform", Major: "v2", DetectedBy: []string{"`gateway` is set"}},
				Diagnostics: []lint.Diagnostic{
					{Rule: "wrong-type", Severity: lint.Error, Pos: values.Pos{File: "--set[0]"}, Path: "gateway.replicas",
						Message: "`gateway.replicas` must be an integer, got the string \"abc\""},
					{Rule: "duplicate-key", Severity: lint.Error, Pos: pos("base.yaml", 7, 1), Path: "timeZone",
						Message: "duplicate key `timeZone`: Helm keeps this one, line 3 is ignored",
						Related: []lint.Related{{Pos: pos("base.yaml", 3, 1), Path: "timeZone", Message: "first `timeZone`, ignored by Helm"}}},
					{Rule: "unknown-key", Severity: lint.Error, Pos: pos("envs/prod,eu:1.yaml", 4, 3), Path: "gateway.replics",
						Message: "unknown key `replics` in `gateway` (100% sure: <not> & \"known\")", Hint: "did you mean `replicas`?\nsee `pxvalues explain unknown-key`"},
					{Rule: "yaml11-scalar", Severity: lint.Warning, Pos: pos("envs/prod,eu:1.yaml", 2, 12), Path: "ui.enabled",
						Message: "`yes` is the boolean true for Helm, the string \"yes\" for YAML 1.2 tools",
						Fix:     &lint.Fix{Message: "write what Helm reads", Edits: []values.Edit{{Start: 20, End: 23, NewText: "true"}}}},
					{Rule: "dropped-key", Severity: lint.Info, Pos: pos("base.yaml", 9, 3), Path: "api.legacy",
						Message: "`api.legacy` was dropped after 1.9"},
				},
			},
			{Path: "clean.yaml", Detection: cue.Detection{Chart: "agent", Major: "v2", DetectedBy: []string{"`agent` is set"}}},
			{Path: "broken.yaml", Diagnostics: []lint.Diagnostic{{Rule: "parse-error", Severity: lint.Error, Pos: pos("broken.yaml", 3, 5),
				Message: "invalid YAML: mapping values are not allowed in this context"}}},
		},
	}
}

// TestFormatsGolden renders the sample report in every format.
func TestFormatsGolden(t *testing.T) {
	rep := sampleReport(t)
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := New(name, Options{Verbose: true})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Format(&buf, rep); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "report."+name+".golden"), buf.Bytes())
		})
	}
}

// TestSARIFSchema validates SARIF output against the SARIF 2.1.0 JSON schema
// (testdata/sarif-schema-2.1.0.json, the OASIS schema) and checks what
// GitHub code scanning needs: a rule for every result with a help URI into
// the README, and a file location with a line for every result.
func TestSARIFSchema(t *testing.T) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewReferenceLoader("file://" + mustAbs(t, "testdata/sarif-schema-2.1.0.json")))
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	// every rule of the table once: each category's tags, help and levels
	all := sampleReport(t)
	every := &lint.Result{Path: "every.yaml", Detection: cue.Detection{Chart: "platform", Major: "v2"}}
	ids := slices.Sorted(maps.Keys(all.Rules))
	for i, id := range ids {
		r := all.Rules[id]
		every.Diagnostics = append(every.Diagnostics, lint.Diagnostic{Rule: r.ID, Severity: r.Severity,
			Pos: values.Pos{File: "every.yaml", Line: i + 1, Column: 1}, Path: "k", Message: r.Summary})
	}
	all.Files = append(all.Files, every)
	for name, rep := range map[string]*Report{
		"sample":    sampleReport(t),
		"all-rules": all,
		"empty":     {Files: []*lint.Result{{Path: "clean.yaml"}}},
		"none":      {},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (SARIF{}).Format(&buf, rep); err != nil {
				t.Fatal(err)
			}
			res, err := schema.Validate(gojsonschema.NewBytesLoader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Errors() {
				t.Errorf("SARIF invalid: %s", e)
			}
			var log sarifLog
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			for _, r := range run.Results {
				rule := run.Tool.Driver.Rules[r.RuleIndex]
				if rule.ID != r.RuleID || rule.HelpURI != HelpURI+r.RuleID || rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" {
					t.Errorf("result %s: incomplete rule %+v", r.RuleID, rule)
				}
				if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.Region == nil || r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
					t.Errorf("result %s: no file location with a line", r.RuleID)
				}
			}
		})
	}
	// The schema is the real one: it rejects what GitHub rejects.
	bad := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r","level":"fatal","message":{"text":"m"}}]}]}`
	res, err := schema.Validate(gojsonschema.NewStringLoader(bad))
	if err != nil || res.Valid() {
		t.Errorf("the schema accepts an invalid level: %v", err)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(abs)
}

// TestGitHubEscapes checks the workflow command escaping of @actions/core.
func TestGitHubEscapes(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\nb\r\n", "a%0Ab%0D%0A", "a%0Ab%0D%0A"},
		{"a,b:c", "a,b:c", "a%2Cb%3Ac"},
		{"%0A", "%250A", "%250A"},
	} {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
	var buf bytes.Buffer
	if err := (GitHub{}).Format(&buf, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") && !strings.HasPrefix(line, "::notice ") {
			t.Errorf("not a workflow command: %q", line)
		}
		if strings.Count(line, "::") != 2 {
			t.Errorf("unescaped :: in %q", line)
		}
	}
}

// TestJUnitShape checks the JUnit report parses and counts right: a suite a
// file, a testcase a finding, errors and warnings as failures.
func TestJUnitShape(t *testing.T) {
	var buf bytes.Buffer
	if err := (JUnit{}).Format(&buf, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if len(got.Suites) != 3 || got.Tests != 7 || got.Failures != 5 {
		t.Fatalf("suites %d tests %d failures %d, want 3 7 5", len(got.Suites), got.Tests, got.Failures)
	}
	if c := got.Suites[1].Cases; len(c) != 1 || c[0].Failure != nil {
		t.Errorf("a clean file is not one passing testcase: %+v", c)
	}
}

// TestFileURI checks file paths become relative URI references.
func TestFileURI(t *testing.T) {
	for in, want := range map[string]string{
		"values.yaml":         "values.yaml",
		"./envs/prod.yaml":    "envs/prod.yaml",
		"envs/a b%.yaml":      "envs/a%20b%25.yaml",
		"c:d.yaml":            "./c:d.yaml",
		"<stdin>":             "%3Cstdin%3E",
		"/abs/path/v.yaml":    "/abs/path/v.yaml",
		"envs/prod,eu:1.yaml": "envs/prod,eu:1.yaml",
	} {
		if got := fileURI(in); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
	}
}
