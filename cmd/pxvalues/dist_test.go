package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// The distribution files at the repository root, each exercised for real:
// action.yml (its shell steps run against a fixture), .pre-commit-hooks.yaml
// (each hook's entry runs on fixture files) and plugin.yaml (installed into
// Helm's CLI, then run as `helm pxvalues lint`).

const repoRoot = "../.."

// buildPxvalues builds the command into a temporary folder.
func buildPxvalues(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pxvalues")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copyFixtures copies testdata/dist into a fresh folder.
func copyFixtures(t *testing.T, dst string) {
	t.Helper()
	entries, err := os.ReadDir("testdata/dist")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/dist", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
	Run   string            `yaml:"run"`
}

type actionFile struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

type preCommitHook struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Entry    string   `yaml:"entry"`
	Language string   `yaml:"language"`
	Files    string   `yaml:"files"`
	Types    []string `yaml:"types"`
	Args     []string `yaml:"args"`
}

// TestPreCommitHooks runs each hook's entry and args on fixture files the
// way pre-commit does (entry args... files...) with a freshly built binary,
// and checks the files pattern picks values files only.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	byID := map[string]preCommitHook{}
	for _, h := range hooks {
		byID[h.ID] = h
		if h.Language != "golang" || h.Name == "" {
			t.Errorf("hook %s: language %q, name %q", h.ID, h.Language, h.Name)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		for path, want := range map[string]bool{
			"values.yaml": true, "envs/values-prod.yml": true, "prod.values.yaml": true, "deploy/values_eu.yaml": true,
			".github/workflows/ci.yaml": false, "chart/templates/deployment.yaml": false, "myvalues.yaml": false, "values.json": false,
		} {
			if re.MatchString(path) != want {
				t.Errorf("hook %s: files pattern matches %s: %v, want %v", h.ID, path, !want, want)
			}
		}
	}
	bin := buildPxvalues(t)
	dir := t.TempDir()
	copyFixtures(t, dir)
	run := func(h preCommitHook, files ...string) (int, string) {
		argv := append(strings.Fields(h.Entry), h.Args...)
		if argv[0] != "pxvalues" {
			t.Fatalf("hook %s: entry %q does not run pxvalues", h.ID, h.Entry)
		}
		cmd := exec.Command(bin, append(argv[1:], files...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	for _, tc := range []struct {
		hook  string
		files []string
		want  int
	}{
		{"pxvalues-lint", []string{"values.yaml"}, exitOK},
		{"pxvalues-lint", []string{"values.yaml", "values-prod.yaml"}, exitFindings},
		{"pxvalues-migrate-check", []string{"values.yaml"}, exitOK},
		{"pxvalues-migrate-check", []string{"values.yaml", "v1.values.yaml"}, exitFindings},
	} {
		h, ok := byID[tc.hook]
		if !ok {
			t.Errorf("no hook %s", tc.hook)
			continue
		}
		code, out := run(h, tc.files...)
		if strings.Contains(out, `unknown command "migrate"`) {
			t.Skipf("hook %s: pxvalues has no migrate command yet", tc.hook)
		}
		if code != tc.want {
			t.Errorf("%s %v: exit %d, want %d\n%s", tc.hook, tc.files, code, tc.want, out)
		}
	}
}

// helmVersion is the Helm CLI the plugin test installs from the Go module
// proxy.
const helmVersion = "v3.22.0"

// helmBinary returns Helm's CLI, built once with `go install` into the user
// cache folder (a minute or two the first time).
func helmBinary(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "pxvalues-test", "helm-"+helmVersion)
	bin := filepath.Join(dir, "helm")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "install", "helm.sh/helm/v3/cmd/helm@"+helmVersion)
	cmd.Dir = os.TempDir() // outside this module: install Helm's own go.mod
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install helm: %v\n%s", err, out)
	}
	return bin
}

// copyCheckout copies the repository (no .git, tests, test data or build
// output) to dst, as a user's local checkout.
func copyCheckout(t *testing.T, dst string) {
	t.Helper()
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(repoRoot, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "bin":
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(p, "_test.go") || !d.Type().IsRegular() {
			return nil
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
}

// TestHelmPlugin installs Helm's CLI from the Go module proxy, installs the
// plugin from a local checkout into a temporary HELM_PLUGINS (which builds
// pxvalues through the install hook) and runs `helm pxvalues lint`. Slow:
// it runs only with PXVALUES_SLOW_TESTS=1 and without -short.
func TestHelmPlugin(t *testing.T) {
	if testing.Short() || os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("slow: set PXVALUES_SLOW_TESTS=1 (and no -short) to install Helm and the plugin")
	}
	helm := helmBinary(t)
	tmp := t.TempDir()
	checkout := filepath.Join(tmp, "pxvalues")
	copyCheckout(t, checkout)
	env := append(os.Environ(),
		"HELM_PLUGINS="+filepath.Join(tmp, "plugins"),
		"HELM_CONFIG_HOME="+filepath.Join(tmp, "config"),
		"HELM_CACHE_HOME="+filepath.Join(tmp, "cache"),
		"HELM_DATA_HOME="+filepath.Join(tmp, "data"),
	)
	work := filepath.Join(tmp, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFixtures(t, work)
	helmRun := func(args ...string) (int, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, helm, args...)
		cmd.Env, cmd.Dir = env, work
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatalf("helm %v: %v", args, err)
		}
		return 0, string(out)
	}
	if code, out := helmRun("plugin", "install", checkout); code != 0 {
		t.Fatalf("helm plugin install: exit %d\n%s", code, out)
	}
	if code, out := helmRun("plugin", "list"); code != 0 || !strings.Contains(out, "pxvalues") {
		t.Fatalf("helm plugin list: exit %d\n%s", code, out)
	}
	for _, tc := range []struct {
		args []string
		want int
		out  string
	}{
		{[]string{"pxvalues", "lint", "-f", "values.yaml"}, exitOK, "1 file: 0 errors"},
		{[]string{"pxvalues", "lint", "-f", "values.yaml", "-f", "values-prod.yaml", "--set", "ui.enabled=true"}, exitFindings,
			"values-prod.yaml:3:3: error: unknown key `replics`"},
		{[]string{"pxvalues", "lint", "-f", "values.yaml", "--set", "gateway.replicas=two"}, exitFindings,
			"--set[0]: error: `gateway.replicas` must be an integer"},
		{[]string{"pxvalues", "lint", "--output", "sarif", "-f", "values-prod.yaml"}, exitFindings, `"version": "2.1.0"`},
		{[]string{"pxvalues", "version"}, exitOK, "pxvalues "},
	} {
		code, out := helmRun(tc.args...)
		if code != tc.want || !strings.Contains(out, tc.out) {
			t.Errorf("helm %s: exit %d, want %d and %q:\n%s", strings.Join(tc.args, " "), code, tc.want, tc.out, out)
		}
	}
	// Without Go and without a release to download, the install fails and
	// leaves no plugin behind (the hook removes what Helm added).
	if code, out := helmRun("plugin", "uninstall", "pxvalues"); code != 0 {
		t.Fatalf("helm plugin uninstall: exit %d\n%s", code, out)
	}
	env = append(env, "PATH="+pathWithoutGo(t), "PXVALUES_DOWNLOAD_URL=file://"+filepath.ToSlash(filepath.Join(tmp, "no-release")))
	if code, out := helmRun("plugin", "install", checkout); code == 0 || !strings.Contains(out, "nothing is installed") {
		t.Errorf("helm plugin install without Go or release: exit %d\n%s", code, out)
	}
	if code, out := helmRun("plugin", "list"); code != 0 || strings.Contains(out, "pxvalues") {
		t.Errorf("a failed install stays listed: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(checkout, "plugin.yaml")); err != nil {
		t.Errorf("the failed install touched the checkout: %v", err)
	}
}
