package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// actionlintVersion is the workflow linter the test builds from the Go
// module proxy.
const actionlintVersion = "v1.7.12"

// actionlintBinary returns actionlint, built once with `go install` into
// the user cache folder.
func actionlintBinary(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "pxvalues-test", "actionlint-"+actionlintVersion)
	bin := filepath.Join(dir, "actionlint")
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
	cmd := exec.CommandContext(ctx, "go", "install", "github.com/rhysd/actionlint/cmd/actionlint@"+actionlintVersion)
	cmd.Dir = os.TempDir() // outside this module
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install actionlint: %v\n%s", err, out)
	}
	return bin
}

var (
	yamlBlockRE   = regexp.MustCompile("(?s)```yaml\n(.*?)```")
	pxvaluesUseRE = regexp.MustCompile(`uses: pxvalues/pxvalues@\S+`)
)

// readmeWorkflows returns the GitHub workflows among the README's YAML
// examples, unindented.
func readmeWorkflows(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var wfs []string
	for _, m := range yamlBlockRE.FindAllStringSubmatch(string(b), -1) {
		lines := strings.Split(m[1], "\n")
		indent := len(lines[0]) - len(strings.TrimLeft(lines[0], " "))
		for i, l := range lines {
			if len(l) >= indent {
				lines[i] = l[indent:]
			}
		}
		wf := strings.Join(lines, "\n")
		if strings.Contains(wf, "\njobs:") && strings.Contains(wf, "uses: pxvalues/pxvalues@") {
			wfs = append(wfs, wf)
		}
	}
	return wfs
}

// allInputsWorkflow uses the action with every input it declares and reads
// every output.
func allInputsWorkflow(t *testing.T) string {
	act := loadAction(t)
	var ins, outs []string
	for k := range act.Inputs {
		ins = append(ins, "          "+k+": \"\"")
	}
	for k := range act.Outputs {
		outs = append(outs, "${{ steps.px.outputs."+k+" }}")
	}
	sort.Strings(ins)
	sort.Strings(outs)
	return `name: all inputs
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./
        id: px
        with:
` + strings.Join(ins, "\n") + `
      - if: always()
        run: echo "` + strings.Join(outs, " ") + `"
`
}

// TestActionlint runs actionlint over the README's workflow examples and a
// workflow that uses every input and output of action.yml, with the action
// checked out as a local action so that actionlint checks each `with:` and
// each output against action.yml; a workflow with an undeclared input and
// output must fail. Slow the first time (it builds actionlint from the Go
// module proxy): it runs only with PXVALUES_SLOW_TESTS=1 and without -short.
func TestActionlint(t *testing.T) {
	if testing.Short() || os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("slow: set PXVALUES_SLOW_TESTS=1 (and no -short) to build actionlint and lint the workflows")
	}
	al := actionlintBinary(t)
	dir := t.TempDir()
	wfDir := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wfDir, 0o755); err != nil {
		t.Fatal(err)
	}
	act, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "action.yml"), act, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out) // actionlint finds local actions from the repository root
	}
	lint := func(name, wf string) (string, error) {
		p := filepath.Join(wfDir, name)
		if err := os.WriteFile(p, []byte(wf), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
		cmd := exec.Command(al, "-no-color", filepath.Join(".github", "workflows", name))
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	wfs := readmeWorkflows(t)
	if len(wfs) == 0 {
		t.Fatal("the README has no workflow example using the action")
	}
	for i, wf := range wfs {
		local := pxvaluesUseRE.ReplaceAllString(wf, "uses: ./")
		if out, err := lint("readme-"+string(rune('a'+i))+".yml", local); err != nil {
			t.Errorf("README workflow %d: %v\n%s\n%s", i+1, err, out, wf)
		}
	}
	if out, err := lint("all-inputs.yml", allInputsWorkflow(t)); err != nil {
		t.Errorf("workflow with every input: %v\n%s", err, out)
	}
	bad := strings.Replace(allInputsWorkflow(t), "          paths: \"\"", "          path: \"\"", 1) + "      - run: echo \"${{ steps.px.outputs.count }}\"\n"
	out, err := lint("bad.yml", bad)
	if err == nil || !strings.Contains(out, `input "path" is not defined`) || !strings.Contains(out, `property "count" is not defined`) {
		t.Errorf("actionlint does not catch an undeclared input and output: %v\n%s", err, out)
	}
}
