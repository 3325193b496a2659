package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeDetectTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLintDirectoryNotValues: issue 11's repository walk. A Kubernetes
// manifest and a compose file found in a directory are skipped (counted,
// named with -v), not linted as Polyaxon values; --exclude and the
// configuration's exclude leave files out; the configuration's per-glob
// major pins a folder; given explicitly, a manifest gets one finding.
func TestLintDirectoryNotValues(t *testing.T) {
	dir := writeDetectTree(t, map[string]string{
		"k8s/configmap.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n",
		"docker-compose.yml":      "version: '3'\nservices:\n  web:\n    image: nginx\n",
		"deploy/v1/values.yaml":   "gateway:\n  service:\n    type: NodePort\npostgresql:\n  persistence:\n    enabled: true\n",
		"deploy/values.yaml":      "gateway:\n  perCore: true\nmountConnections: []\n",
		"vendor/other/chart.yaml": "gatway: {}\n",
	})
	out, _, code := runCLI(t, "", "lint", "-v", "--exclude", "vendor/**", dir)
	if code != exitOK {
		t.Errorf("exit %d, want 0\n%s", code, out)
	}
	for _, want := range []string{"configmap.yaml: skipped: does not look like Polyaxon values: a Kubernetes manifest", "docker-compose.yml: skipped", "2 files: 0 errors, 1 warning, 0 infos; 2 skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "vendor") || strings.Contains(out, "unknown key") {
		t.Errorf("excluded or skipped file linted:\n%s", out)
	}

	// the configuration pins deploy/v1 to v1 and excludes k8s/
	cfg := "overrides:\n  - {files: \"deploy/v1/*.yaml\", major: v1}\nexclude: [\"k8s/**\", \"vendor\"]\n"
	if err := os.WriteFile(filepath.Join(dir, ".pxvalues.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, "", "lint", "--format", "json", dir)
	var rep struct {
		Files []struct {
			Path, Major, Confidence string
			Diagnostics             []struct{ Rule string }
		}
		Skipped []struct{ Path string }
		Summary struct{ Skipped int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitOK || len(rep.Files) != 2 || rep.Summary.Skipped != 1 || !strings.HasSuffix(rep.Skipped[0].Path, "docker-compose.yml") {
		t.Errorf("exit %d, report %+v", code, rep)
	}
	for _, f := range rep.Files {
		if strings.Contains(f.Path, "v1") && (f.Major != "v1" || f.Confidence != "pinned" || len(f.Diagnostics) != 0) {
			t.Errorf("deploy/v1 not pinned to v1: %+v", f)
		}
	}

	// given explicitly: one finding
	out, _, code = runCLI(t, "", "lint", filepath.Join(dir, "k8s", "configmap.yaml"))
	if code != exitFindings || strings.Count(out, "error:") != 1 || !strings.Contains(out, "[not-values]") {
		t.Errorf("explicit manifest: exit %d\n%s", code, out)
	}
}

// TestLintValuesPath: Polyaxon values under an umbrella chart's key, found
// or named with --values-path; findings keep their real positions.
func TestLintValuesPath(t *testing.T) {
	dir := writeDetectTree(t, map[string]string{
		"values.yaml": "grafana:\n  enabled: true\npolyaxon:\n  gateway:\n    replicas: 2\n  postgresql:\n    enabled: true\n  gatway: {}\n",
		"px.yaml":     "px:\n  timeZone: UTC\n",
	})
	out, _, code := runCLI(t, "", "lint", "-v", filepath.Join(dir, "values.yaml"))
	if code != exitFindings || !strings.Contains(out, "values.yaml:8:3: error: unknown key `gatway`") || !strings.Contains(out, "Polyaxon values under `polyaxon`") {
		t.Errorf("umbrella: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "", "lint", "--format", "json", "--values-path", "px", filepath.Join(dir, "px.yaml"))
	if code != exitOK || !strings.Contains(out, `"valuesPath": "px"`) || !strings.Contains(out, `"major": "v0"`) {
		t.Errorf("--values-path px: exit %d\n%s", code, out)
	}
}
