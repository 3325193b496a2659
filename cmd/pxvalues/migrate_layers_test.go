package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateLayers migrates a release's base and overlay together with
// -w: the base's broker decides, the overlay gets no `broker` of its own,
// and --check then passes.
func TestMigrateLayers(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.yaml")
	prod := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(base, []byte("broker: redis\nredis:\n  enabled: true\napi:\n  replicas: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prod, []byte("# production\napi:\n  replicas: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "-w", "--report", "json", "-f", base, "-f", prod, "--set", "gateway.service.type=ClusterIP")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Files []struct {
			Path    string `json:"path"`
			Written bool   `json:"written"`
			Leaves  []struct {
				Path string `json:"path"`
				Fate string `json:"fate"`
			} `json:"leaves"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(errOut), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, errOut)
	}
	if len(rep.Files) != 2 || !rep.Files[0].Written || !rep.Files[1].Written {
		t.Fatalf("both layers should be written: %s", errOut)
	}
	if len(rep.Files[1].Leaves) != 1 || rep.Files[1].Leaves[0].Fate != "moved" {
		t.Errorf("overlay leaves: %+v", rep.Files[1].Leaves)
	}
	got := string(readFile(t, prod))
	if strings.Contains(got, "broker") || !strings.Contains(got, "gateway:\n  replicas: 4") || !strings.Contains(got, "# production") {
		t.Errorf("overlay:\n%s", got)
	}
	if got := string(readFile(t, base)); !strings.Contains(got, "broker: redis") || strings.Contains(got, "rabbitmq") {
		t.Errorf("base:\n%s", got)
	}
	// the migrated release fits v1 and v2 alike: --from v2 says which
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v2", "--check", "-f", base, "-f", prod); code != exitOK {
		t.Errorf("--check after -w: exit %d: %s", code, errOut)
	}
	if _, _, code := runCLI(t, "", "migrate", "--to", "v2", "-f", base, prod); code != exitUsage {
		t.Errorf("-f with a positional file: exit %d, want %d", code, exitUsage)
	}
}

// TestMigrateCheckTodo: a file at the target with a PXVALUES-TODO left is
// not migrated yet: --check exits 1, and lint reports migration-todo.
func TestMigrateCheckTodo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "values.yaml")
	src := "deploymentChart: platform\nbroker: redis\ngateway:\n  # PXVALUES-TODO: custom image kept: check it\n  image: example.com/api\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", p); code != exitFindings {
		t.Errorf("--check with a TODO: exit %d, want %d: %s", code, exitFindings, errOut)
	}
	out, _, code := runCLI(t, "", "lint", p)
	if code != exitFindings || !strings.Contains(out, "migration-todo") {
		t.Errorf("lint with a TODO: exit %d:\n%s", code, out)
	}
}

// TestMigrateLayersAmbiguous: layers whose merged values fit v1 and v2
// equally used to pass `--check` as "unchanged"; they now name the
// ambiguity and fail --check, unless --from or the configuration pins the
// major.
func TestMigrateLayersAmbiguous(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.yaml")
	prod := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(base, []byte("gateway:\n  service:\n    type: NodePort\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prod, []byte("gateway:\n  replicas: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", "-f", base, "-f", prod)
	if code != exitFindings || !strings.Contains(errOut, "ambiguous") || !strings.Contains(errOut, "31833") {
		t.Errorf("--check: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, "", "migrate", "--to", "v2", "--check", "--report", "json", "-f", base, "-f", prod)
	if code != exitFindings || !strings.Contains(errOut, `"ambiguous": [`) {
		t.Errorf("--check --report json: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "--check", "-f", base, "-f", prod); code != exitFindings || strings.Contains(errOut, "ambiguous") {
		t.Errorf("--from v1 --check: exit %d\n%s", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".pxvalues.yaml"), []byte("major: v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", "-f", base, "-f", prod); code != exitOK || strings.Contains(errOut, "ambiguous") {
		t.Errorf("major pinned by the configuration: exit %d\n%s", code, errOut)
	}
}
