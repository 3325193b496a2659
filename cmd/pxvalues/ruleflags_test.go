package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRuleFlagsAndProjectConfig covers --next, --upgrade-to, --redundant,
// --config and the .pxvalues.yaml found upward from a values file.
func TestRuleFlagsAndProjectConfig(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "clusters", "prod")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) string {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	v1 := write(filepath.Join(dir, "v1.yaml"), "api:\n  replicas: 2\nstreams:\n  replicas: 1\nbroker: rabbitmq\nrabbitmq-ha:\n  enabled: true\n")
	v2 := write(filepath.Join(dir, "v2.yaml"), "gateway:\n  replicas: 1\nbroker: redis\n")
	prod := write(filepath.Join(sub, "values.yaml"), "gateway:\n  replicas: 1\n  imageTag: \"1.20.0\"\nbroker: redis\n")
	other := write(filepath.Join(dir, "other.yaml"), "disable: [image-tag-major]\n")
	cases := []struct {
		name     string
		args     []string
		code     int
		contains []string
		absent   []string
	}{
		{"next", []string{"lint", "--major", "v1", "--next", v1}, 0,
			[]string{"[upgrade-renamed]", "`api` becomes `gateway` in v2", "v2 removes `streams`", "`rabbitmq-ha.enabled` becomes `rabbitmq.enabled`"}, nil},
		{"next fails on warning", []string{"lint", "--major", "v1", "--next", "--fail-on", "warning", v1}, 1, nil, nil},
		{"no next", []string{"lint", "--major", "v1", v1}, 0, nil, []string{"upgrade-"}},
		{"upgrade-to v2 from v0", []string{"lint", "--major", "v0", "--upgrade-to", "v2", write(filepath.Join(dir, "v0.yaml"), "timeZone: UTC\n")}, 0,
			[]string{"`timeZone` becomes `timezone` in v1"}, nil},
		{"bad upgrade-to", []string{"lint", "--upgrade-to", "v3", v2}, 2, nil, nil},
		{"next and upgrade-to", []string{"lint", "--next", "--upgrade-to", "v2", v2}, 2, nil, nil},
		{"redundant", []string{"lint", "--redundant", v2}, 0, []string{"`gateway.replicas` equals the platform v2 default [redundant-value]"}, nil},
		{"redundant off", []string{"lint", v2}, 0, nil, []string{"redundant-value"}},
		{"no config", []string{"lint", "--major", "v2", "--fail-on", "warning", prod}, 1, []string{"[image-tag-major]"}, nil},
		{"explicit config", []string{"lint", "--major", "v2", "--fail-on", "warning", "--config", other, prod}, 0, nil, []string{"image-tag-major"}},
		{"missing config", []string{"lint", "--config", filepath.Join(dir, "nope.yaml"), prod}, 2, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errOut)
			}
			for _, s := range c.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.absent {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
		})
	}

	// a project config above the file: failOn and disable apply; flags win
	write(filepath.Join(dir, "clusters", ".pxvalues.yaml"), "failOn: warning\nenable: [redundant-value]\n")
	out, _, code := runCLI(t, "", "lint", "--major", "v2", prod)
	if code != 1 || !strings.Contains(out, "[image-tag-major]") || !strings.Contains(out, "[redundant-value]") {
		t.Errorf("config failOn/enable not applied: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "", "lint", "--major", "v2", "--fail-on", "error", prod); code != 0 {
		t.Errorf("--fail-on should win over the config's failOn: exit %d", code)
	}
	if out, _, _ := runCLI(t, "", "lint", "--major", "v2", "--disable", "redundant-value", prod); strings.Contains(out, "redundant-value") {
		t.Errorf("--disable should win over the config's enable:\n%s", out)
	}
	// the config does not reach files outside its directory
	if out, _, _ := runCLI(t, "", "lint", v2); strings.Contains(out, "redundant-value") {
		t.Errorf("config applied outside its tree:\n%s", out)
	}
	write(filepath.Join(dir, "clusters", ".pxvalues.yaml"), "disable: [no-such-rule]\n")
	if _, errOut, code := runCLI(t, "", "lint", "--major", "v2", prod); code != 2 || !strings.Contains(errOut, "no-such-rule") {
		t.Errorf("unknown rule in config: exit %d, stderr %s", code, errOut)
	}
}
