package lint_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
)

// TestConfigPins: chart, major and valuesPath pins, per-glob overrides
// (the last match wins) and exclude globs, relative to the configuration.
func TestConfigPins(t *testing.T) {
	dir := t.TempDir()
	src := `chart: platform
major: v2
overrides:
  - {files: "deploy/v1/*.yaml", major: v1}
  - {files: "umbrella/**", valuesPath: polyaxon}
  - {files: "deploy/v1/agent-*.yaml", chart: agent}
exclude: ["k8s/**", "docker-compose.yml", "deploy/**/secret-*.yaml"]
`
	c, err := lint.ParseConfig(filepath.Join(dir, ".pxvalues.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	pins := []struct{ file, chart, major, vp string }{
		{"values.yaml", "platform", "v2", ""},
		{"deploy/v1/prod.yaml", "platform", "v1", ""},
		{"deploy/v1/agent-a.yaml", "agent", "v1", ""},
		{"deploy/v1/sub/prod.yaml", "platform", "v2", ""},
		{"umbrella/a/values.yaml", "platform", "v2", "polyaxon"},
		{"../elsewhere.yaml", "platform", "v2", ""},
	}
	for _, p := range pins {
		ch, m, vp := c.PinsFor(filepath.Join(dir, p.file))
		if ch != p.chart || m != p.major || vp != p.vp {
			t.Errorf("%s: pins %s %s %q, want %s %s %q", p.file, ch, m, vp, p.chart, p.major, p.vp)
		}
	}
	excl := map[string]bool{
		"k8s/configmap.yaml":          true,
		"k8s":                         true,
		"a/docker-compose.yml":        true,
		"deploy/v1/secret-x.yaml":     true,
		"deploy/secret-x.yaml":        true,
		"deploy/v1/prod.yaml":         false,
		"values.yaml":                 false,
		"../k8s/configmap.yaml":       false,
		"k8sx/configmap.yaml":         false,
		"deploy/v1/not-secret-x.yaml": false,
	}
	for f, want := range excl {
		if got := c.Excluded(filepath.Join(dir, f)); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", f, got, want)
		}
	}
}

func TestConfigPinErrors(t *testing.T) {
	bad := map[string]string{
		"chart: gateway\n":                             "`chart` must be one of platform, agent",
		"major: v3\n":                                  "`major` must be v0, v1 or v2",
		"valuesPath: 3\n":                              "`valuesPath` must be a string",
		"overrides: {files: a}\n":                      "`overrides` must be a list",
		"overrides:\n  - {major: v1}\n":                "needs `files`",
		"overrides:\n  - {files: a, mjaor: v1}\n":      "unknown key `mjaor` in an override",
		"exclude: {a: b}\n":                            "`exclude` must be a list of globs",
		"exclude: [\"k8s/[a\"]\n":                      "syntax error in pattern",
		"overrides:\n  - {files: \"[x\", major: v1}\n": "`files` must be a glob",
	}
	for src, want := range bad {
		_, err := lint.ParseConfig("c.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}
