package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const verifyData = "../../migrate/verify/testdata"

func TestVerifyUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no charts", []string{"verify", "--old", "a.yaml", "--new", "b.yaml"}},
		{"no files", []string{"verify", "--old-chart", "a", "--new-chart", "b"}},
		{"positional", []string{"verify", "--old-chart", "a", "--new-chart", "b", "--old", "a.yaml", "--new", "b.yaml", "c.yaml"}},
		{"bad format", []string{"verify", "--old-chart", "a", "--new-chart", "b", "--old", "a.yaml", "--new", "b.yaml", "--format", "xml"}},
		{"migrate --verify without charts", []string{"migrate", "--to", "v2", "--verify", "x.yaml"}},
		{"no helm", []string{"verify", "--old-chart", verifyData + "/charts/v1", "--new-chart", verifyData + "/charts/v2",
			"--old", verifyData + "/fixtures/old.yaml", "--new", verifyData + "/fixtures/new.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLIEnv(t, map[string]string{"PATH": t.TempDir()}, tc.args...)
			if code != exitUsage || errOut == "" {
				t.Errorf("exit %d, want %d with a message; stderr:\n%s", code, exitUsage, errOut)
			}
		})
	}
}

// testHelm is the Helm CLI the slow tests build ($PXVALUES_TEST_HELM, or
// the one in the user cache), or a skip.
func testHelm(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PXVALUES_TEST_HELM"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err == nil {
		if p := filepath.Join(cache, "pxvalues-test", "helm", "helm"); fileExists(p) {
			return p
		}
	}
	t.Skip("needs the Helm CLI the lint/chart tests build (PXVALUES_SLOW_TESTS=1 go test ./lint/chart)")
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestVerifyCommand runs `pxvalues verify` on the fixture charts of
// migrate/verify: exit 0 when equivalent, 1 with a difference, the JSON
// and GitHub formats naming the key.
func TestVerifyCommand(t *testing.T) {
	helm := testHelm(t)
	env := map[string]string{"HELM_BIN": helm}
	base := []string{"verify", "--old-chart", verifyData + "/charts/v1", "--new-chart", verifyData + "/charts/v2", "--old", verifyData + "/fixtures/old.yaml"}
	out, errOut, code := runCLIEnv(t, env, append(base, "--new", verifyData+"/fixtures/new.yaml")...)
	if code != exitOK || !strings.Contains(out, "equivalent: 0 difference(s)") {
		t.Fatalf("faithful: exit %d\n%s%s", code, out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "new.yaml")
	src, err := os.ReadFile(verifyData + "/fixtures/new.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bad, []byte(strings.Replace(string(src), "nodePort: 31900", "nodePort: 31901", 1)), 0o644)
	out, errOut, code = runCLIEnv(t, env, append(base, "--new", bad, "--format", "json")...)
	var rep struct {
		Equivalent  bool
		Differences []struct{ Workload, Setting, Key, File string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings {
		t.Fatalf("fault: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	if rep.Equivalent || len(rep.Differences) != 1 || rep.Differences[0].Key != "gateway.service.nodePort" || rep.Differences[0].File != bad {
		t.Errorf("fault: %+v", rep)
	}
	out, _, _ = runCLIEnv(t, env, append(base, "--new", bad, "--format", "github")...)
	if !strings.HasPrefix(out, "::error file="+bad+",line=8,") {
		t.Errorf("github annotation: %q", out)
	}
}

// TestMigrateVerifyRealCharts: `migrate --to v2 --verify` of the 1.20.0
// defaults against 2.15.1 is equivalent (needs PXVALUES_CHARTS).
func TestMigrateVerifyRealCharts(t *testing.T) {
	charts := os.Getenv("PXVALUES_CHARTS")
	if charts == "" {
		t.Skip("needs the real Polyaxon charts: set PXVALUES_CHARTS")
	}
	helm := testHelm(t)
	out, errOut, code := runCLIEnv(t, map[string]string{"HELM_BIN": helm}, "migrate", "--to", "v2", "--verify",
		"--old-chart", filepath.Join(charts, "platform-1.20.0"), "--new-chart", filepath.Join(charts, "platform-2.15.1"),
		filepath.Join(charts, "platform-1.20.0", "values.yaml"))
	if code != exitOK || !strings.Contains(out, "equivalent: 0 difference(s)") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}
