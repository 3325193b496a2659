package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// umbrellaSrc is an umbrella chart's values: Polyaxon 1.x under
// `polyaxon:`, beside another chart's section with its own image.
const umbrellaSrc = "# tools\nmlflow:\n  image:\n    repository: ghcr.io/mlflow/mlflow  # ours\n  enabled: true\npolyaxon:\n  deploymentChart: platform\n  api:\n    replicas: 2\n  streams:\n    replicas: 1\n  rabbitmq-ha:\n    enabled: true\n"

// TestMigrateUmbrella: issue 11's umbrella file used to be refused (and
// before that got `broker: rabbitmq` at its root and TODOs on other
// charts' images). The Polyaxon section is migrated in place with -w, -d,
// -l, --check and --report json; the rest of the file stays as it was;
// a second run has nothing to do.
func TestMigrateUmbrella(t *testing.T) {
	f := filepath.Join(t.TempDir(), "umbrella.yaml")
	if err := os.WriteFile(f, []byte(umbrellaSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", f); code != exitFindings || !strings.Contains(errOut, "under `polyaxon`") {
		t.Errorf("--check before: exit %d\n%s", code, errOut)
	}
	if out, _, code := runCLI(t, "", "migrate", "--to", "v2", "-l", f); code != exitOK || strings.TrimSpace(out) != f {
		t.Errorf("-l: exit %d: %q", code, out)
	}
	out, _, code := runCLI(t, "", "migrate", "--to", "v2", "-d", f)
	if code != exitOK || !strings.Contains(out, "+  broker: rabbitmq") {
		t.Errorf("-d: exit %d:\n%s", code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") && len(l) > 1 && !strings.HasPrefix(l[1:], "  ") {
			t.Errorf("-d: a changed line outside the section: %q", l)
		}
	}
	if b := readFile(t, f); string(b) != umbrellaSrc {
		t.Fatalf("the file changed without -w:\n%s", b)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "-w", "--report", "json", f)
	if code != exitOK {
		t.Fatalf("-w: exit %d\n%s", code, errOut)
	}
	var rep struct {
		Files []struct {
			ValuesPath string `json:"valuesPath"`
			Written    bool   `json:"written"`
			Changes    []struct {
				From string `json:"from"`
				Line int    `json:"line"`
			} `json:"changes"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(errOut), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, errOut)
	}
	if len(rep.Files) != 1 || rep.Files[0].ValuesPath != "polyaxon" || !rep.Files[0].Written {
		t.Fatalf("report: %s", errOut)
	}
	for _, c := range rep.Files[0].Changes {
		if c.From == "rabbitmq-ha" && c.Line != 12 {
			t.Errorf("rabbitmq-ha reported at line %d, want the file's line 12", c.Line)
		}
	}
	got := string(readFile(t, f))
	if !strings.HasPrefix(got, "# tools\nmlflow:\n  image:\n    repository: ghcr.io/mlflow/mlflow  # ours\n  enabled: true\npolyaxon:\n") ||
		!strings.Contains(got, "\n  broker: rabbitmq\n") || !strings.Contains(got, "\n  gateway:\n") || strings.Contains(got, "\nbroker") {
		t.Errorf("written:\n%s", got)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", f); code != exitOK {
		t.Errorf("--check after -w: exit %d\n%s", code, errOut)
	}
}

// TestMigrateUmbrellaPinned: the section named by --values-path, or by the
// configuration's valuesPath, when detection would not find it.
func TestMigrateUmbrellaPinned(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "values.yaml")
	src := "web:\n  replicas: 3\n  service:\n    type: NodePort\npx:\n  streams:\n    replicas: 1\n"
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "--values-path", "px", f)
	if code != exitOK || !strings.HasPrefix(out, "web:\n  replicas: 3\n  service:\n    type: NodePort\npx:\n") || !strings.Contains(out, "\n  broker: rabbitmq") {
		t.Errorf("--values-path px: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".pxvalues.yaml"), []byte("valuesPath: px\nmajor: v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out2, errOut, code := runCLI(t, "", "migrate", "--to", "v2", f); code != exitOK || out2 != out {
		t.Errorf("valuesPath in the configuration: exit %d\n%s%s", code, out2, errOut)
	}
}

// TestMigrateUmbrellaLayers: the layers of an umbrella release, each with
// (or without) a `polyaxon:` section, migrated together; a --set under the
// section takes part in the decisions.
func TestMigrateUmbrellaLayers(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.yaml")
	prod := filepath.Join(dir, "prod.yaml")
	tools := filepath.Join(dir, "tools.yaml")
	files := map[string]string{
		base:  umbrellaSrc,
		prod:  "mlflow:\n  enabled: false\npolyaxon:\n  # production\n  api:\n    replicas: 4\n",
		tools: "mlflow:\n  image:\n    tag: v2\n",
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "-w", "-f", base, "-f", prod, "-f", tools, "--set", "polyaxon.broker=rabbitmq,mlflow.enabled=true")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got := string(readFile(t, prod)); got != "mlflow:\n  enabled: false\npolyaxon:\n  # production\n  gateway:\n    replicas: 4\n" {
		t.Errorf("prod:\n%s", got)
	}
	if got := string(readFile(t, tools)); got != files[tools] {
		t.Errorf("a layer without the section changed:\n%s", got)
	}
	// --set polyaxon.broker=rabbitmq: the release's broker is given, none written
	if got := string(readFile(t, base)); strings.Contains(got, "broker") || !strings.Contains(got, "\n  gateway:\n") || !strings.HasPrefix(got, umbrellaSrc[:80]) {
		t.Errorf("base:\n%s", got)
	}
}
