package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// TestSchemaCommand: `pxvalues schema` prints the exported schema of the
// chart and major asked for (the newest major by default) in both formats
// and targets, and refuses bad flags with exit code 2.
func TestSchemaCommand(t *testing.T) {
	cat := cue.New()
	for _, ch := range cue.Charts() {
		for _, m := range cue.Majors(ch) {
			for _, target := range []string{cue.TargetHelm, cue.TargetPolyaxonCLI} {
				out, errOut, code := runCLI(t, "", "schema", "--chart", ch, "--major", m, "--target", target)
				if code != exitOK || errOut != "" {
					t.Fatalf("schema %s %s %s: exit %d, stderr %q", ch, m, target, code, errOut)
				}
				want, err := cat.JSONSchema(ch, m, cue.ExportOptions{Target: target})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal([]byte(out), want) {
					t.Errorf("schema %s %s %s: stdout is not the exported schema", ch, m, target)
				}
				var doc map[string]any
				if err := json.Unmarshal([]byte(out), &doc); err != nil || doc["$schema"] != cue.JSONDraft07 {
					t.Errorf("schema %s %s: not a draft-07 JSON Schema (%v)", ch, m, err)
				}
			}
		}
	}
	newest, _, _ := runCLI(t, "", "schema", "--chart", "agent")
	v2, _, _ := runCLI(t, "", "schema", "--chart", "agent", "--major", "v2")
	if newest != v2 {
		t.Error("--major does not default to the newest major")
	}
	out, _, code := runCLI(t, "", "schema", "--chart", "platform", "--major", "v1", "--format", "cue")
	want, err := cat.ExportCUE("platform", "v1", cue.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if code != exitOK || out != string(want) || !strings.Contains(out, "#PlatformV1: {") {
		t.Errorf("--format cue: exit %d, output differs from ExportCUE", code)
	}
	for _, args := range [][]string{
		{"schema"},
		{"schema", "--chart", "gateway"},
		{"schema", "--chart", "agent", "--major", "v0"},
		{"schema", "--chart", "platform", "--format", "yaml"},
		{"schema", "--chart", "platform", "--target", "kubectl"},
		{"schema", "--chart", "platform", "extra"},
	} {
		if out, errOut, code := runCLI(t, "", args...); code != exitUsage || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want a usage error", args, code, out, errOut)
		}
	}
}
