package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// fakeRelease writes a release folder as goreleaser lays it out
// (.goreleaser.yaml): pxvalues_<os>_<arch>.tar.gz with the binary bin, and
// checksums.txt; corrupt breaks the checksum. It returns the file:// URL of
// the folder that holds the <tag>/ folder.
func fakeRelease(t *testing.T, bin, tag string, corrupt bool) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, tag)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		b    []byte
		mode int64
	}{{"README.md", []byte("# pxvalues\n"), 0o644}, {"pxvalues", exe, 0o755}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	asset := "pxvalues_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	sum := sha256.Sum256(buf.Bytes())
	if corrupt {
		sum[0] ^= 0xff
	}
	sums := hex.EncodeToString(sum[:]) + "  " + asset + "\n" + strings.Repeat("0", 64) + "  pxvalues_plan9_amd64.tar.gz\n"
	if err := os.WriteFile(filepath.Join(dir, asset), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "checksums.txt"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(root)
}

// actionResult is what a simulated run of the action's steps left.
type actionResult struct {
	stdout, stderr string
	outputs        map[string]map[string]string
	lastExit       int
	failed         string // the step that failed before "Fail on findings"
	runnerTemp     string
}

// runAction runs the shell steps of the composite action the way the runner
// does (inputs, env expressions, GITHUB_PATH, GITHUB_OUTPUT) in the
// workspace ws. Steps that use other actions (cache, SARIF upload) are not
// run; their wiring is checked apart. github holds the github.* context;
// env is added to every step's environment; patch may rewrite a step's
// outputs (as a restored cache would) before the next steps read them.
func runAction(t *testing.T, act *actionFile, ws string, inputs, github map[string]string, env []string, patch func(id string, out map[string]string)) actionResult {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	res := actionResult{outputs: map[string]map[string]string{}, runnerTemp: t.TempDir()}
	all := map[string]string{}
	for k, v := range act.Inputs {
		all[k] = v.Default
	}
	for k, v := range inputs {
		all[k] = v
	}
	ghPath, ghOut := filepath.Join(res.runnerTemp, "github_path"), filepath.Join(res.runnerTemp, "github_output")
	if err := os.WriteFile(ghPath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	eval := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string {
			expr := exprRE.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(expr, "inputs."):
				v, ok := all[strings.TrimPrefix(expr, "inputs.")]
				if !ok {
					t.Fatalf("undeclared input in %q", expr)
				}
				return v
			case expr == "github.action_path":
				return root
			case strings.HasPrefix(expr, "github."):
				return github[strings.TrimPrefix(expr, "github.")]
			case strings.HasPrefix(expr, "steps."):
				parts := strings.SplitN(expr, ".", 4) // steps.ID.outputs.NAME
				return res.outputs[parts[1]][parts[3]]
			}
			t.Fatalf("unknown expression %q", expr)
			return ""
		})
	}
	var stdout, stderr bytes.Buffer
	for _, s := range act.Runs.Steps {
		if s.Run == "" {
			continue
		}
		stepEnv := append(os.Environ(), "RUNNER_TEMP="+res.runnerTemp, "GITHUB_PATH="+ghPath, "GITHUB_OUTPUT="+ghOut)
		stepEnv = append(stepEnv, env...)
		if b, _ := os.ReadFile(ghPath); len(b) > 0 {
			var dirs []string
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				dirs = append([]string{l}, dirs...)
			}
			stepEnv = append(stepEnv, "PATH="+strings.Join(dirs, string(os.PathListSeparator))+string(os.PathListSeparator)+os.Getenv("PATH"))
		}
		for k, v := range s.Env {
			stepEnv = append(stepEnv, k+"="+eval(v))
		}
		if err := os.WriteFile(ghOut, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
		cmd.Dir, cmd.Env = ws, stepEnv
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		res.lastExit = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			res.lastExit = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %q: %v", s.Name, err)
		}
		if s.ID != "" {
			out := map[string]string{}
			b, _ := os.ReadFile(ghOut)
			for _, l := range strings.Split(string(b), "\n") {
				if k, v, ok := strings.Cut(l, "="); ok {
					out[k] = v
				}
			}
			if patch != nil {
				patch(s.ID, out)
			}
			res.outputs[s.ID] = out
		}
		if res.lastExit != 0 && s.Name != "Fail on findings" {
			res.failed = s.Name
			break
		}
	}
	res.stdout, res.stderr = stdout.String(), stderr.String()
	return res
}

func loadAction(t *testing.T) *actionFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var act actionFile
	if err := yaml.Unmarshal(b, &act); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if act.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", act.Runs.Using)
	}
	return &act
}

// TestActionWiring checks what the simulation cannot run: the action never
// sets up Go, caches only a build, uploads SARIF only when the lint step
// says it can, and declares the outputs.
func TestActionWiring(t *testing.T) {
	act := loadAction(t)
	var upload, cache *actionStep
	for i, s := range act.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			t.Errorf("step %q changes the job's Go", s.Name)
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			upload = &act.Runs.Steps[i]
		case strings.HasPrefix(s.Uses, "actions/cache@"):
			cache = &act.Runs.Steps[i]
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q: composite run steps need a shell", s.Name)
		}
	}
	if upload == nil || upload.If != "steps.lint.outputs.upload == 'true'" ||
		upload.With["sarif_file"] != "${{ steps.lint.outputs.sarif }}" || upload.With["category"] != "${{ steps.lint.outputs.category }}" {
		t.Errorf("SARIF upload step not wired to the lint step's upload, sarif and category: %+v", upload)
	}
	if cache == nil || cache.If != "steps.resolve.outputs.mode == 'build'" || cache.With["key"] != "${{ steps.resolve.outputs.cache-key }}" {
		t.Errorf("Go cache step not limited to builds: %+v", cache)
	}
	for _, o := range []string{"exit-code", "errors", "warnings", "sarif"} {
		if act.Outputs[o].Value != "${{ steps.lint.outputs."+o+" }}" {
			t.Errorf("output %s not wired to the lint step: %q", o, act.Outputs[o].Value)
		}
	}
	for _, in := range []string{"format", "set-string", "set-json", "config", "exclude", "target", "major", "chart", "category", "upload-sarif", "version"} {
		if _, ok := act.Inputs[in]; !ok {
			t.Errorf("no input %s", in)
		}
	}
}

// TestActionRelease runs the action with a release version: the binary
// comes from the (fake, local) release, checksum verified; a corrupt
// download stops the action before linting and installs nothing.
func TestActionRelease(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	act := loadAction(t)
	bin := buildPxvalues(t)
	good, bad := fakeRelease(t, bin, "v9.9.9", false), fakeRelease(t, bin, "v9.9.9", true)
	pr := map[string]string{"action_ref": "v9.9.9", "event_name": "pull_request", "repository": "acme/deploy",
		"event.pull_request.head.repo.full_name": "acme/deploy", "actor": "alice"}
	fork := map[string]string{"action_ref": "v9.9.9", "event_name": "pull_request", "repository": "acme/deploy",
		"event.pull_request.head.repo.full_name": "mallory/deploy", "actor": "mallory"}
	for _, tc := range []struct {
		name     string
		inputs   map[string]string
		github   map[string]string
		wantExit string
		errors   string
		upload   string
		category string
		want     []string
	}{
		{"findings", map[string]string{"paths": "values.yaml values-prod.yaml", "set": "gateway.replicas=2\nui.enabled=true"}, pr, "1", "2", "true",
			"pxvalues/values.yaml values-prod.yaml",
			[]string{"::error file=values-prod.yaml,line=3,col=3,title=unknown-key::", "::error file=values-prod.yaml,line=5,col=11,title=enum-value::"}},
		{"layers alone", map[string]string{"values": "values.yaml\nvalues-prod.yaml", "fail-on": "never", "category": "prod"}, pr, "0", "2", "true", "prod",
			[]string{"::error file=values-prod.yaml,line=3,col=3,title=unknown-key::"}},
		{"clean, chart and major", map[string]string{"paths": "values.yaml", "chart": "platform", "major": "v2", "target": "helm"}, pr, "0", "0", "true", "pxvalues/values.yaml", nil},
		{"a --set-string and --set-json", map[string]string{"paths": "values.yaml", "set-string": "gateway.replicas=2", "set-json": `ui={"enabled":"yes"}`, "format": "text"}, pr, "1", "2", "true", "",
			[]string{"--set-string[0]: error: `gateway.replicas` must be an integer", "--set-json[0]: error:"}},
		{"fork pull request", map[string]string{"paths": "values.yaml"}, fork, "0", "0", "false", "", nil},
		{"a directory with excludes", map[string]string{"paths": ".", "exclude": "values-prod.yaml\nv1.values.yaml"}, pr, "0", "0", "true", "pxvalues/.", nil},
		{"a directory", map[string]string{"paths": "."}, pr, "1", "", "true", "", []string{"title=unknown-key"}},
		{"no SARIF", map[string]string{"paths": "values.yaml", "sarif": "", "upload-sarif": "true"}, pr, "0", "0", "false", "", nil},
		{"upload forced on a fork", map[string]string{"paths": "values.yaml", "upload-sarif": "true"}, fork, "0", "0", "true", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := t.TempDir()
			copyFixtures(t, ws)
			res := runAction(t, act, ws, tc.inputs, tc.github, []string{"PXVALUES_DOWNLOAD_URL=" + good}, nil)
			if res.failed != "" {
				t.Fatalf("step %q failed:\n%s\n%s", res.failed, res.stdout, res.stderr)
			}
			if m := res.outputs["resolve"]["mode"]; m != "release" {
				t.Errorf("mode %q for a release tag", m)
			}
			lint := res.outputs["lint"]
			if lint["exit-code"] != tc.wantExit || (tc.errors != "" && lint["errors"] != tc.errors) || lint["upload"] != tc.upload {
				t.Errorf("outputs %v, want exit-code %s errors %s upload %s\n%s", lint, tc.wantExit, tc.errors, tc.upload, res.stdout)
			}
			if tc.category != "" && lint["category"] != tc.category {
				t.Errorf("category %q, want %q", lint["category"], tc.category)
			}
			if (tc.wantExit == "0") != (res.lastExit == 0) {
				t.Errorf("the action's last step exited %d, want the lint exit code %s", res.lastExit, tc.wantExit)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, res.stdout)
				}
			}
			if tc.inputs["sarif"] == "" && tc.name == "no SARIF" {
				if lint["sarif"] != "" {
					t.Errorf("sarif output %q with no SARIF", lint["sarif"])
				}
				return
			}
			sarif, err := os.ReadFile(filepath.Join(ws, lint["sarif"]))
			if err != nil {
				t.Fatalf("no SARIF file for the upload step: %v", err)
			}
			var log struct{ Version string }
			if err := json.Unmarshal(sarif, &log); err != nil || log.Version != "2.1.0" {
				t.Errorf("SARIF file: %v %q", err, log.Version)
			}
		})
	}
	t.Run("corrupt download", func(t *testing.T) {
		ws := t.TempDir()
		copyFixtures(t, ws)
		res := runAction(t, act, ws, map[string]string{"paths": "values.yaml"}, pr, []string{"PXVALUES_DOWNLOAD_URL=" + bad}, nil)
		if res.failed != "Install pxvalues" || !strings.Contains(res.stderr, "checksum mismatch for pxvalues_") {
			t.Errorf("failed step %q, stderr:\n%s", res.failed, res.stderr)
		}
		if _, err := os.Stat(filepath.Join(res.runnerTemp, "pxvalues-bin", "pxvalues")); err == nil {
			t.Errorf("a corrupt download was installed")
		}
	})
	t.Run("missing release", func(t *testing.T) {
		ws := t.TempDir()
		copyFixtures(t, ws)
		res := runAction(t, act, ws, map[string]string{"paths": "values.yaml", "version": "v1.0.0"}, pr, []string{"PXVALUES_DOWNLOAD_URL=" + good}, nil)
		if res.failed != "Install pxvalues" || !strings.Contains(res.stderr, "cannot download") {
			t.Errorf("failed step %q, stderr:\n%s", res.failed, res.stderr)
		}
	})
}

// TestActionBuild runs the action at a commit: pxvalues is built from the
// action's checkout with the job's Go and the action's own cache folders
// (here pointed at the test's Go caches, as a restored cache would be).
func TestActionBuild(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	act := loadAction(t)
	goEnv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	gocache, gomodcache := goEnv("GOCACHE"), goEnv("GOMODCACHE")
	ws := t.TempDir()
	copyFixtures(t, ws)
	home := t.TempDir()
	res := runAction(t, act, ws, map[string]string{"paths": "values-prod.yaml"},
		map[string]string{"action_ref": "0a9cb6512c0ffee", "event_name": "push", "repository": "acme/deploy"},
		[]string{"HOME=" + home, "GOFLAGS=-mod=mod"},
		func(id string, out map[string]string) {
			if id != "resolve" {
				return
			}
			if out["mode"] != "build" || !strings.HasPrefix(out["gocache"], filepath.Join(home, ".cache", "pxvalues-action")) ||
				!strings.HasPrefix(out["cache-key"], "pxvalues-go-") {
				t.Errorf("resolve outputs for a commit: %v", out)
			}
			out["gocache"], out["gomodcache"] = gocache, gomodcache
		})
	if res.failed != "" {
		t.Fatalf("step %q failed:\n%s\n%s", res.failed, res.stdout, res.stderr)
	}
	if lint := res.outputs["lint"]; lint["exit-code"] != "1" || lint["errors"] != "2" || lint["warnings"] == "" {
		t.Errorf("lint outputs %v\n%s", lint, res.stdout)
	}
}
