//go:build linux || darwin

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sentinelMark is in every secret planted below: no output may contain it.
const sentinelMark = "PXSENT"

// sentinelFiles are values files whose secrets reach messages every way the
// issue lists: spelled with quotes, backslashes, tabs, newlines and double
// spaces; shared with plain keys through anchors, aliases and merges; keys
// secret in another major only; a number under `*.auth`.
var sentinelFiles = map[string]string{
	"spelled.yaml": "deploymentChart: platform\n" +
		"user:\n  password: \"PXSENT1 \\\"q\\\\ b\\tt\\n n  two  spaces\"\n" +
		"gateway:\n  replicas: \"PXSENT1 \\\"q\\\\ b\\tt\\n n  two  spaces\"\n",
	"shared.yaml": "deploymentChart: platform\n" +
		"gateway:\n  replicas: &shared PXSENT2shared\n  imageTag: *shared\n" +
		"encryptionSecret: *shared\n" +
		"ui:\n  auth: &a\n    replicas: PXSENT3merged\n" +
		"api:\n  <<: *a\n" +
		"postgresql:\n  auth:\n    password: 0x1F\n",
	"other-major.yaml": "organizationKey: PXSENT4org\nk8s:\n  authorisation: PXSENT5auth\n" +
		"gateway:\n  replicas: PXSENT4org\n",
	"block.yaml": "deploymentChart: platform\nuser:\n  password: |\n    # PXSENT6 looks like a comment\n    PXSENT6tail\n" +
		"api:\n  replicas: 2\n",
	"base.yaml": "user:\n  password: PXSENT7layer\ngateway:\n  replicas: PXSENT7layer\n",
}

// TestMain lets the test binary stand in for Helm (PXVALUES_FAKE_HELM).
func TestMain(m *testing.M) {
	if os.Getenv("PXVALUES_FAKE_HELM") != "" {
		os.Exit(fakeHelm(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeHelm fails `helm template` quoting every string of the values it is
// given the ways Helm's errors do: %q, raw, and with whitespace collapsed.
func fakeHelm(args []string) int {
	var file string
	for i, a := range args {
		if a == "--values" && i+1 < len(args) {
			file = args[i+1]
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		return 1
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		return 1
	}
	var strs []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			strs = append(strs, x)
		}
	}
	walk(v)
	var parts []string
	for _, s := range strs {
		parts = append(parts, fmt.Sprintf("%q", s), s, strings.Join(strings.Fields(s), " "))
	}
	fmt.Fprintf(os.Stderr, "Error: execution error at (pxtest/templates/deployment.yaml:2:2): bad values: %s\n", strings.Join(parts, " | "))
	return 1
}

// TestSentinelEveryChannel runs the CLI over every channel of output: every
// lint format with -v, layers, --set parse errors, --chart-dir with a Helm
// that echoes values, and every migrate mode and report. No output holds a
// sentinel (the migrated file itself, the user's own data, excepted).
func TestSentinelEveryChannel(t *testing.T) {
	dir := t.TempDir()
	path := map[string]string{}
	for name, src := range sentinelFiles {
		path[name] = filepath.Join(dir, name)
		if err := os.WriteFile(path[name], []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type run struct {
		args     []string
		stdoutOK bool // stdout is the user's file (plain migrate)
	}
	var runs []run
	files := []string{path["spelled.yaml"], path["shared.yaml"], path["other-major.yaml"], path["block.yaml"]}
	for _, f := range []string{"text", "json", "sarif", "github", "junit"} {
		for _, target := range []string{"helm", "polyaxon-cli"} {
			runs = append(runs, run{args: append([]string{"lint", "-v", "--format", f, "--target", target, "--upgrade-to", "v2", "--redundant"}, files...)})
		}
		for _, major := range []string{"v0", "v1", "v2"} {
			runs = append(runs, run{args: []string{"lint", "--format", f, "--major", major, path["other-major.yaml"]}})
		}
		runs = append(runs,
			run{args: []string{"lint", "--format", f, "-f", path["base.yaml"], "--set", "user.password=other-pw", "--set", "user.password=PXSENT8,w0rdPXSENT8=x"}},
			run{args: []string{"lint", "--format", f, "--set", "encryptionSecret=PXSENT9a,PXSENT9tail", path["spelled.yaml"]}},
			run{args: []string{"lint", "--format", f, "--chart-dir", filepath.Join(chartTestdata, "pxtest"), path["spelled.yaml"], path["shared.yaml"]}},
			run{args: []string{"lint", "--format", f, "--chart-dir", filepath.Join(chartTestdata, "pxtest"), "-f", path["base.yaml"], "--set", "gateway.token=PXSENT10  two"}},
		)
	}
	for _, in := range []string{"spelled.yaml", "shared.yaml", "block.yaml", "other-major.yaml"} {
		p := path[in]
		for _, mode := range [][]string{{"-d"}, {"-l"}, {"--check"}, {"--report", "json"}, {"-d", "--report", "json"}} {
			// without -d, -l or --check the migrated file (the user's own
			// data) goes to stdout
			plain := mode[0] == "--report"
			runs = append(runs, run{args: append(append([]string{"migrate", "--to", "v2", "--chart", "platform", "--from", "v1"}, mode...), p), stdoutOK: plain})
		}
		runs = append(runs, run{args: []string{"migrate", "--to", "v2", "--chart", "platform", "--from", "v1", p}, stdoutOK: true})
		cp := filepath.Join(t.TempDir(), in)
		if err := os.WriteFile(cp, []byte(sentinelFiles[in]), 0o644); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run{args: []string{"migrate", "--to", "v2", "--chart", "platform", "--from", "v1", "-w", "--force", "--report", "json", cp}})
	}
	t.Setenv("PXVALUES_FAKE_HELM", "1")
	env := map[string]string{"HELM_BIN": os.Args[0]}
	for _, r := range runs {
		stdout, stderr, code := runCLIEnv(t, env, r.args...)
		name := strings.ReplaceAll(strings.Join(r.args, " "), dir+"/", "")
		if code > exitUsage {
			t.Errorf("%s: exit %d", name, code)
		}
		outs := map[string]string{"stderr": stderr}
		if !r.stdoutOK {
			outs["stdout"] = stdout
		}
		for which, s := range outs {
			if i := strings.Index(s, sentinelMark); i >= 0 {
				t.Errorf("%s: %s shows a secret:\n%s", name, which, s[max(0, i-300):min(len(s), i+100)])
			}
			for _, leak := range []string{"as the number 31", "0x1F"} {
				if strings.Contains(s, leak) {
					t.Errorf("%s: %s shows the secret 0x1F: %q", name, which, leak)
				}
			}
		}
	}
}

// TestRedactionKeepsMessages: redaction never alters pxvalues' own words.
// The same file with the password `polyaxon` (a word of the messages) and
// with `qwertyui` gives the same output in every format.
func TestRedactionKeepsMessages(t *testing.T) {
	dir := t.TempDir()
	src := "user:\n  password: %s\n  username: admin\norganizationKey: %s\ngateway:\n  replicas: 2.0\n  service:\n    type: Nodeport\n"
	sawCLI := false
	for _, chart := range []string{"platform", "agent"} {
		for _, f := range []string{"text", "json", "sarif", "github", "junit"} {
			var outs []string
			for _, pw := range []string{"polyaxon", "qwertyui"} {
				d := filepath.Join(dir, chart+f+pw)
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(d, "values.yaml")
				if err := os.WriteFile(p, []byte(fmt.Sprintf(src, pw, pw)), 0o644); err != nil {
					t.Fatal(err)
				}
				out, _, _ := runCLI(t, "", "lint", "--format", f, "--target", "polyaxon-cli", "--major", "v1", "--chart", chart, p)
				outs = append(outs, strings.ReplaceAll(out, d, "DIR"))
			}
			if outs[0] != outs[1] {
				t.Errorf("%s --format %s: the output depends on the secret's text:\n--- polyaxon\n%s\n--- qwertyui\n%s", chart, f, outs[0], outs[1])
			}
			if strings.Contains(outs[0], "admin deploy") {
				sawCLI = true
				if !strings.Contains(outs[0], "polyaxon admin deploy") {
					t.Errorf("a message lost the word polyaxon:\n%s", outs[0])
				}
			}
		}
	}
	if !sawCLI {
		t.Errorf("no message names `polyaxon admin deploy`: the test exercises too little")
	}
}

// malformedSentinels are values files that do not parse, each with a secret
// placed where the YAML parser's or the loader's error could quote it.
var malformedSentinels = map[string]string{
	"unclosed-quote":   "user:\n  password: \"PXSENT11 open\n",
	"bad-escape":       "user:\n  password: \"PXSENT12\\q\"\n",
	"tab-indent":       "user:\n  password: PXSENT13\n\t x: 1\n",
	"map-in-scalar":    "user:\n  password: PXSENT14: x\n",
	"int-tag":          "user:\n  password: !!int PXSENT15\n",
	"float-tag":        "user:\n  password: !!float PXSENT16\n",
	"bool-tag":         "user:\n  password: !!bool PXSENT17\n",
	"binary-tag":       "user:\n  password: !!binary PXSENT18!\n",
	"timestamp-tag":    "user:\n  password: !!timestamp PXSENT19\n",
	"map-tag":          "user:\n  password: !!map PXSENT20\n",
	"block-indent":     "user:\n  password: |\n      PXSENT21\n    PXSENT21b\n   x: 1\n",
	"flow-unclosed":    "user: {password: PXSENT22, username: x\n",
	"unknown-alias":    "user:\n  password: PXSENT23\n  username: *nope\n",
	"huge-int":         "user:\n  password: !!int 9999999999999999999999999999PXSENT24\n",
	"secret-then-junk": "encryptionSecret: PXSENT25\n@junk\n",
}

// TestSentinelMalformedYAML: a file that does not parse is reported with
// a position and without the secret it holds, by lint in every format and
// by migrate in every mode, and as an -f layer.
func TestSentinelMalformedYAML(t *testing.T) {
	dir := t.TempDir()
	for name, src := range malformedSentinels {
		p := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		var runs [][]string
		for _, f := range []string{"text", "json", "sarif", "github", "junit", "gitlab", "checkstyle"} {
			runs = append(runs, []string{"lint", "-v", "--format", f, p}, []string{"lint", "--format", f, "-f", p, "--set", "gateway.replicas=2"})
		}
		for _, mode := range [][]string{{"-d"}, {"-l"}, {"--check"}, {"--report", "json", "-d"}, {"-w"}} {
			runs = append(runs, append(append([]string{"migrate", "--to", "v2", "--chart", "platform", "--from", "v1"}, mode...), p))
		}
		for _, args := range runs {
			stdout, stderr, code := runCLI(t, "", args...)
			label := name + ": " + strings.Join(args[:len(args)-1], " ")
			if code == 0 {
				t.Errorf("%s: exit 0 on a file that does not parse", label)
			}
			for which, s := range map[string]string{"stdout": stdout, "stderr": stderr} {
				if i := strings.Index(s, sentinelMark); i >= 0 {
					t.Errorf("%s: %s shows a secret:\n%s", label, which, s[max(0, i-300):min(len(s), i+100)])
				}
			}
			if args[0] == "lint" && args[3] == "text" && !strings.Contains(stdout+stderr, name+".yaml:") {
				t.Errorf("%s: no position names the file:\n%s%s", label, stdout, stderr)
			}
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != src {
			t.Errorf("%s: migrate -w changed a file that does not parse", name)
		}
	}
}
