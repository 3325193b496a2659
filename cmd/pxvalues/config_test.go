package main

import (
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/migrate"
)

// TestLintConfig: the flags of `pxvalues lint` decide the options by a pure
// function (no file, catalogue or environment read).
func TestLintConfig(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		opts   lint.Options
		failOn lint.Severity
		err    string
	}{
		{args: []string{"v.yaml"}, opts: lint.Options{Target: "helm"}, failOn: lint.Error},
		{args: []string{"--chart", "agent", "--major", "v2", "--fail-on", "warning", "--target", "polyaxon-cli", "--disable", "a,b", "v.yaml"},
			opts: lint.Options{Chart: "agent", Major: "v2", Target: "polyaxon-cli", Disable: []string{"a", "b"}}, failOn: lint.Warning},
		{args: []string{"--fail-on", "never", "--enable", "x", "v.yaml"}, opts: lint.Options{Target: "helm", Enable: []string{"x"}}},
		{args: []string{"--set", "a=1"}, opts: lint.Options{Target: "helm"}, failOn: lint.Error},
		{args: []string{"--fail-on", "sometimes", "v.yaml"}, err: "--fail-on"},
		{args: []string{"--chart", "other", "v.yaml"}, err: "--chart \"other\""},
		{args: []string{"--major", "v3", "v.yaml"}, err: "--major"},
		{args: []string{"--chart", "agent", "--major", "v0", "v.yaml"}, err: "starts at v1"},
		{args: []string{"--target", "kubectl", "v.yaml"}, err: "--target"},
		{args: nil, err: "no input"},
	} {
		var f lintFlags
		fs := newLintFlagSet(&env{stderr: io.Discard}, &f)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		opts, failOn, err := f.config(fs.NArg())
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(opts, tc.opts) || failOn != tc.failOn {
			t.Errorf("%v: %+v %v %v, want %+v %v", tc.args, opts, failOn, err, tc.opts, tc.failOn)
		}
	}
}

// TestMigrateConfig: likewise for `pxvalues migrate`.
func TestMigrateConfig(t *testing.T) {
	for _, tc := range []struct {
		args []string
		opts migrate.Options
		err  string
	}{
		{args: []string{"--to", "v2", "v.yaml"}, opts: migrate.Options{From: "auto", To: "v2"}},
		{args: []string{"--to", "v1", "--from", "v0", "--chart", "platform", "--keep-celery", "-w", "--backup", ".orig", "v.yaml"},
			opts: migrate.Options{Chart: "platform", From: "v0", To: "v1", KeepCelery: true}},
		{args: []string{"v.yaml"}, err: "--to"},
		{args: []string{"--to", "v2", "--from", "v3", "v.yaml"}, err: "--from"},
		// --from v2: the file is at v2 already (settles an ambiguous detection)
		{args: []string{"--to", "v2", "--from", "v2", "v.yaml"}, opts: migrate.Options{From: "v2", To: "v2"}},
		{args: []string{"--to", "v2", "--values-path", "polyaxon", "v.yaml"}, opts: migrate.Options{From: "auto", To: "v2", ValuesPath: "polyaxon"}},
		{args: []string{"--to", "v2", "--chart", "x", "v.yaml"}, err: "--chart"},
		{args: []string{"--to", "v1", "--chart", "agent", "v.yaml"}, err: "agent chart starts at v1"},
		{args: []string{"--to", "v2", "--report", "xml", "v.yaml"}, err: "--report"},
		{args: []string{"--to", "v2", "--backup", ".b", "v.yaml"}, err: "--backup needs -w"},
		{args: []string{"--to", "v2", "--force", "v.yaml"}, err: "--force needs -w"},
		{args: []string{"--to", "v2", "-w", "--check", "v.yaml"}, err: "cannot be used together"},
		{args: []string{"--to", "v2"}, err: "no input"},
	} {
		var f migrateFlags
		fs := newMigrateFlagSet(&env{stderr: io.Discard}, &f)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		opts, err := f.config(fs.NArg())
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(opts, tc.opts) {
			t.Errorf("%v: %+v %v, want %+v", tc.args, opts, err, tc.opts)
		}
	}
}
