package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var chartTestdata = filepath.Join("..", "..", "lint", "chart", "testdata")

// TestLintChartDir: --chart-dir adds the chart's findings to the lint of
// each input (files and stdin alike), honours --disable, says on stderr
// that templates were not rendered without a Helm, and refuses a chart it
// cannot read.
func TestLintChartDir(t *testing.T) {
	chartDir := filepath.Join(chartTestdata, "pxtest")
	bad := filepath.Join(chartTestdata, "values", "schema-bad.yaml")
	src, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}

	out, errOut, code := runCLI(t, string(src), "lint", "--chart-dir", chartDir, bad, "-")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFindings, out, errOut)
	}
	for _, name := range []string{bad, "<stdin>"} {
		if n := strings.Count(out, name+":"); n < 3 {
			t.Errorf("%s: %d findings, want the lint's and the chart's:\n%s", name, n, out)
		}
	}
	if got := strings.Count(out, "[chart-schema]"); got != 6 {
		t.Errorf("%d chart-schema findings, want 3 per input:\n%s", got, out)
	}
	if !strings.Contains(errOut, "not rendered") {
		t.Errorf("no note about the missing Helm on stderr: %q", errOut)
	}

	out, _, _ = runCLI(t, "", "lint", "--chart-dir", chartDir, "--disable", "chart-schema", bad)
	if strings.Contains(out, "[chart-schema]") {
		t.Errorf("--disable chart-schema still reports it:\n%s", out)
	}
	good := filepath.Join(chartTestdata, "values", "good.yaml")
	out, _, code = runCLI(t, "", "lint", "--chart-dir", chartDir, "--set", "gateway.replicas=-2", good)
	if code != exitFindings || !strings.Contains(out, "--set[0]: error: the chart's values.schema.json refuses `gateway.replicas`") {
		t.Errorf("a --set value the chart's schema refuses is not reported at the flag (exit %d):\n%s", code, out)
	}
	plain, _, _ := runCLI(t, "", "lint", bad)
	if strings.Contains(plain, "[chart-") {
		t.Errorf("the plain lint reports chart findings:\n%s", plain)
	}

	if _, errOut, code := runCLI(t, "", "lint", "--chart-dir", filepath.Join(chartTestdata, "nope"), bad); code != exitUsage || !strings.Contains(errOut, "--chart-dir") {
		t.Errorf("a missing chart: exit %d, stderr %q", code, errOut)
	}
}

// TestLintChartDirHelmBin: the Helm named by HELM_BIN (what Helm sets for
// its plugins) renders the chart; a failing template is a chart-render
// finding at the user's value.
func TestLintChartDirHelmBin(t *testing.T) {
	helm := os.Getenv("PXVALUES_TEST_HELM")
	if helm == "" {
		cache, err := os.UserCacheDir()
		if err == nil {
			helm = filepath.Join(cache, "pxvalues-test", "helm", "helm")
		}
	}
	if _, err := os.Stat(helm); err != nil || os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("needs the Helm CLI the lint/chart tests build (PXVALUES_SLOW_TESTS=1)")
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "HELM_BIN" {
			return helm
		}
		return ""
	}}
	file := filepath.Join(chartTestdata, "values", "service-null.yaml")
	code := run(e, []string{"lint", "--chart-dir", filepath.Join(chartTestdata, "pxtest"), file})
	if code != exitFindings || !strings.Contains(out.String(), file+":4:12: error: `helm template` fails") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestPlainLintLinksNoKubernetes: the binary links Helm's chart loader (for
// --chart-dir) but none of Helm's packages that pull Kubernetes' client
// libraries (chartutil, engine) and their start-up cost.
func TestPlainLintLinksNoKubernetes(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "k8s.io/") || dep == "helm.sh/helm/v3/pkg/chartutil" || dep == "helm.sh/helm/v3/pkg/engine" {
			t.Errorf("pxvalues links %s", dep)
		}
	}
}

// TestLintChartDirHelmFails: a Helm that cannot run leaves the lint's
// findings in the report, says why on stderr and exits 2.
func TestLintChartDirHelmFails(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "HELM_BIN" {
			return filepath.Join(t.TempDir(), "no-helm-here")
		}
		return ""
	}}
	bad := filepath.Join(chartTestdata, "values", "schema-bad.yaml")
	code := run(e, []string{"lint", "--chart-dir", filepath.Join(chartTestdata, "pxtest"), bad})
	if code != exitUsage || !strings.Contains(out.String(), "[unknown-key]") || !strings.Contains(errb.String(), "no-helm-here") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}
