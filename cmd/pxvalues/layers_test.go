package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/golden"
	"github.com/pxvalues/pxvalues/values"
)

// layerCases are `pxvalues lint` command lines with -f layers and --set
// flags; their text and JSON output (with each finding's provenance) and
// exit code are golden files under testdata/layers.
var layerCases = []struct {
	name  string
	stdin string
	args  []string
}{
	{"three-files-and-flags", "", []string{"-f", "B/base.yaml", "-f", "B/prod.yaml", "-f", "B/eu.yaml",
		"--set", "gateway.replicas=three", "--set-string", "gateway.service.port=443"}},
	{"input-with-layers", "", []string{"B/base.yaml", "-f", "B/prod.yaml"}},
	{"flags-win-over-files", "", []string{"-f", "B/prod.yaml", "--set", "gateway.replics=null",
		"--set-json", `gateway.service={"type":"NodePort"}`, "--set-literal", "ui.enabled=true"}},
	{"set-only", "", []string{"--set", "gateway.replicas=2,gateway.service.type=ClusterIP", "--set", `ui.enabled=yes`}},
	{"stdin-layer", "gateway:\n  replics: 1\n", []string{"-f", "B/base.yaml", "-f", "-"}},
	{"set-file", "", []string{"-f", "B/base.yaml", "--set-file", "gateway.service.type=B/type.txt"}},
	{"fail-on-never", "", []string{"--fail-on", "never", "-f", "B/prod.yaml"}},
	{"fail-on-warning", "", []string{"--fail-on", "warning", "-f", "B/base.yaml", "--set", "ui.enabled=true", "--set-string", "gateway.service.type=ClusterIP"}},
	{"broken-layer", "", []string{"-f", "B/base.yaml", "-f", "B/missing.yaml", "-f", "B/broken.yaml"}},
	{"empty-layers", "# all commented out\n# gateway:\n#   replicas: 2\n", []string{"-f", "B/base.yaml", "-f", "-", "-f", "B/null.yaml", "--set", "gateway.replicas=3"}},
}

// TestLayersGolden runs each layering case in text and JSON.
func TestLayersGolden(t *testing.T) {
	for _, tc := range layerCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, fm := range []string{"text", "json"} {
				args := []string{"lint", "--format", fm, "-v"}
				for _, a := range tc.args {
					args = append(args, strings.ReplaceAll(a, "B/", "testdata/layers/"))
				}
				out, errOut, code := runCLI(t, tc.stdin, args...)
				got := "$ pxvalues " + strings.Join(args, " ") + "\n" + out + errOut + "exit: " + strconv.Itoa(code) + "\n"
				golden.Check(t, filepath.Join("testdata", "layers", tc.name+"."+fm+".golden"), []byte(got))
			}
		})
	}
}

// TestLayerProvenance checks, beyond the golden files, that each finding of
// a layered lint points at the layer that set the value.
func TestLayerProvenance(t *testing.T) {
	out, _, code := runCLI(t, "", "lint", "--format", "json",
		"-f", "testdata/layers/base.yaml", "-f", "testdata/layers/prod.yaml", "-f", "testdata/layers/eu.yaml",
		"--set", "gateway.replicas=three", "--set-string", "gateway.service.port=443")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d", code, exitFindings)
	}
	var rep struct {
		Files []struct {
			Path        string
			Diagnostics []struct {
				Rule, Path, File string
				Line             int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 {
		t.Fatalf("%d results, want one merged document", len(rep.Files))
	}
	got := map[string]string{}
	for _, d := range rep.Files[0].Diagnostics {
		got[d.Path] = d.File + ":" + strconv.Itoa(d.Line)
	}
	want := map[string]string{
		"gateway.replicas":     "--set[0]:0",
		"gateway.service.port": "--set-string[0]:0",
		"gateway.service.type": "testdata/layers/prod.yaml:5",
		"gateway.replics":      "testdata/layers/prod.yaml:6",
		"ui.enabled":           "testdata/layers/prod.yaml:8",
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s: from %q, want %q", path, got[path], w)
		}
	}
}

// TestLayeredDirectory puts --set on top of every file of a directory: each
// file is linted on its own, in a stable order.
func TestLayeredDirectory(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.yaml":          "gateway:\n  replicas: 1\n",
		"sub/b.yml":       "ui:\n  enabled: true\n",
		"charts/c.yaml":   "ignored: 1\n",
		".hidden/d.yaml":  "ignored: 1\n",
		"notes.txt":       "not values\n",
		"sub/deep/e.yaml": "gateway:\n  service:\n    type: ClusterIP\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	override := filepath.Join(t.TempDir(), "override.yaml")
	if err := os.WriteFile(override, []byte("ui:\n  enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "lint", "--format", "json", "--jobs", "4", "-f", override, "--set", "gateway.replics=2", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var rep struct {
		Files []struct {
			Path        string
			Diagnostics []struct{ Rule, File string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range rep.Files {
		paths = append(paths, strings.TrimPrefix(filepath.ToSlash(f.Path), filepath.ToSlash(dir)+"/"))
		if len(f.Diagnostics) != 1 || f.Diagnostics[0].Rule != "unknown-key" || f.Diagnostics[0].File != "--set[0]" {
			t.Errorf("%s: %+v, want the --set unknown key only", f.Path, f.Diagnostics)
		}
	}
	o := values.LayerSep + override + values.LayerSep + "--set[0]"
	want := "a.yaml" + o + ",sub/b.yml" + o + ",sub/deep/e.yaml" + o
	if strings.Join(paths, ",") != want {
		t.Errorf("results %v, want %s", paths, want)
	}
}

// TestOutputs writes several formats in one run (--output FORMAT[=PATH]).
func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml")
	out, errOut, code := runCLI(t, "", "lint", "--output", "sarif="+sarif, "--output", "text", "--output", "junit="+junit,
		"-f", "testdata/layers/prod.yaml")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "testdata/layers/prod.yaml:6:3: error: unknown key `replics`") {
		t.Errorf("stdout is not the text report:\n%s", out)
	}
	b, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct{ Results []struct{ RuleID string } }
	}
	if err := json.Unmarshal(b, &log); err != nil || log.Version != "2.1.0" || len(log.Runs[0].Results) == 0 {
		t.Errorf("SARIF file: %v %+v", err, log)
	}
	b, err = os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Tests int `xml:"tests,attr"`
	}
	if err := xml.Unmarshal(b, &suites); err != nil || suites.Tests == 0 {
		t.Errorf("JUnit file: %v %+v", err, suites)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--output", "text", "--output", "json"}, "only one format can go to stdout"},
		{[]string{"--output", "yaml"}, `unknown format "yaml"`},
		{[]string{"--output", "sarif="}, "empty path"},
		{[]string{"--output", "sarif=" + sarif, "--output", "json=" + sarif}, "written twice"},
		{[]string{"--output", "sarif=" + filepath.Join(dir, "no/such/dir/x.sarif")}, "writing sarif to"},
	} {
		args := append(append([]string{"lint"}, tc.args...), "testdata/layers/base.yaml")
		_, errOut, code := runCLI(t, "", args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestLayerUsageErrors checks flags Helm's parser rejects and stdin misuse.
func TestLayerUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--set", "gateway.replicas"}, `--set[0]: invalid --set: key "replicas" has no value`},
		{[]string{"--set-json", "a={"}, "--set-json[0]: invalid --set-json"},
		{[]string{"--set-file", "a=testdata/layers/nope.txt"}, "--set-file[0]: invalid --set-file"},
		{[]string{"-f", "-", "-"}, "stdin is already an input"},
		{[]string{}, "no input"},
	} {
		_, errOut, code := runCLI(t, "", append([]string{"lint"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestLayerSecretsRedacted checks that a secret set on the command line
// appears in no output format.
func TestLayerSecretsRedacted(t *testing.T) {
	const secret = "987654321"
	for _, fm := range []string{"text", "json", "sarif", "github", "junit"} {
		out, errOut, code := runCLI(t, "", "lint", "--format", fm, "-f", "testdata/layers/base.yaml",
			"--set-json", "user.password="+secret, "--set", "externalServices.postgresql.password="+secret)
		if code != exitFindings {
			t.Errorf("%s: exit %d (%s), want findings on the secret keys", fm, code, errOut)
		}
		if strings.Contains(out+errOut, secret) {
			t.Errorf("%s output shows the secret:\n%s", fm, out)
		}
	}
}

// TestLayerFixOffsets checks that a fix found in a layer of a merged
// document edits that layer's own bytes.
func TestLayerFixOffsets(t *testing.T) {
	out, _, _ := runCLI(t, "", "lint", "--format", "json", "-f", "testdata/layers/base.yaml", "-f", "testdata/layers/prod.yaml")
	var rep struct {
		Files []struct {
			Diagnostics []struct {
				Rule, File string
				Fix        *struct {
					Edits []struct {
						Start, End int
						NewText    string
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	fixed := 0
	for _, d := range rep.Files[0].Diagnostics {
		if d.Fix == nil {
			continue
		}
		src, err := os.ReadFile(d.File)
		if err != nil {
			t.Fatalf("fix for %s: %v", d.File, err)
		}
		for _, e := range d.Fix.Edits {
			if e.End > len(src) || e.Start > e.End {
				t.Fatalf("%s: edit [%d,%d) outside the file", d.File, e.Start, e.End)
			}
			src = append(src[:e.Start:e.Start], append([]byte(e.NewText), src[e.End:]...)...)
		}
		if d.Rule == "yaml11-scalar" && !strings.Contains(string(src), "  enabled: false\n") {
			t.Errorf("the fix does not rewrite prod.yaml's `off`:\n%s", src)
		}
		fixed++
	}
	if fixed == 0 {
		t.Errorf("no fix in the merged lint:\n%s", out)
	}
}
