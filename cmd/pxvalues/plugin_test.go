package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// pathWithoutGo returns PATH without the folders that hold a go command.
func pathWithoutGo(t *testing.T) string {
	t.Helper()
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	p := strings.Join(keep, string(os.PathListSeparator))
	cmd := exec.Command("bash", "-c", "command -v go")
	cmd.Env = append(os.Environ(), "PATH="+p)
	if cmd.Run() == nil {
		t.Skip("cannot hide go from PATH")
	}
	return p
}

// TestHelmPluginHook runs the plugin's install hook (scripts/helm-plugin.sh)
// as `helm plugin install` does for a local checkout: HELM_PLUGIN_DIR is a
// link under HELM_PLUGINS to the checkout. Without Go it installs the
// release binary of plugin.yaml's version (from a fake local release); when
// that fails too, the install fails, leaves no binary and removes the link,
// not the checkout. (TestHelmPlugin covers the build with Go, through Helm.)
func TestHelmPluginHook(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	bin := buildPxvalues(t)
	noGo := pathWithoutGo(t)
	b, err := os.ReadFile(filepath.Join(repoRoot, "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct{ Version string }
	if err := yaml.Unmarshal(b, &meta); err != nil || meta.Version == "" {
		t.Fatalf("plugin.yaml version: %v", err)
	}
	tag := "v" + meta.Version
	good, bad := fakeRelease(t, bin, tag, false), fakeRelease(t, bin, tag, true)
	for _, tc := range []struct {
		name    string
		mode    string
		path    string
		release string // "good", "bad" or "" (none)
		want    int
		stderr  string
	}{
		{"release binary without go", "install", noGo, "good", 0, "downloading the release binary " + tag},
		{"corrupt release", "install", noGo, "bad", 1, "checksum mismatch"},
		{"no release", "install", noGo, "", 1, "cannot download"},
		{"failed update keeps the plugin", "update", noGo, "bad", 1, "the previous binary is kept"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			checkout := filepath.Join(tmp, "src", "pxvalues")
			copyCheckout(t, checkout)
			plugins := filepath.Join(tmp, "plugins")
			if err := os.MkdirAll(plugins, 0o755); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(plugins, "pxvalues")
			if err := os.Symlink(checkout, link); err != nil {
				t.Fatal(err)
			}
			url := "file://" + filepath.ToSlash(filepath.Join(tmp, "no-release"))
			switch tc.release {
			case "good":
				url = good
			case "bad":
				url = bad
			}
			cmd := exec.Command("bash", filepath.Join(link, "scripts", "helm-plugin.sh"), tc.mode)
			cmd.Env = append(os.Environ(), "PATH="+tc.path, "HELM_PLUGIN_DIR="+link, "HELM_PLUGINS="+plugins,
				"PXVALUES_DOWNLOAD_URL="+url, "GOFLAGS=-mod=mod")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want || !strings.Contains(stderr.String(), tc.stderr) {
				t.Fatalf("exit %d, want %d and %q:\n%s", code, tc.want, tc.stderr, stderr.String())
			}
			installed := filepath.Join(checkout, "bin", "pxvalues")
			if tc.want == 0 {
				out, err := exec.Command(installed, "version").CombinedOutput()
				if err != nil || !strings.HasPrefix(string(out), "pxvalues ") {
					t.Errorf("installed binary: %v %s", err, out)
				}
				return
			}
			if _, err := os.Stat(installed); err == nil {
				t.Errorf("a failed install left %s", installed)
			}
			leftovers, _ := filepath.Glob(filepath.Join(checkout, "bin", ".*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
			if _, err := os.Stat(filepath.Join(checkout, "plugin.yaml")); err != nil {
				t.Errorf("the checkout was touched: %v", err)
			}
			_, err = os.Lstat(link)
			if removed := errors.Is(err, os.ErrNotExist); removed != (tc.mode == "install") {
				t.Errorf("plugin link removed: %v, want %v", removed, tc.mode == "install")
			}
		})
	}
}
