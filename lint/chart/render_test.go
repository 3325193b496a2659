package chart

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/values"
)

// TestHelmFailureParsing reads Helm's error messages (as Helm v3.22 prints
// them) without running Helm: rule, position of the value, hint and the
// template's position.
func TestHelmFailureParsing(t *testing.T) {
	ch, err := Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		t.Fatal(err)
	}
	user, err := values.Load("user.yaml", []byte("gateway:\n  replicas: 2\n  service: null\n  imageTag: null\n  token: s3cr3t-value\n  apiToken: \"s3cr3t \\\"q\\\\  two  spaces\"\n"), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stderr string
		schemaFailed bool
		want         string // rule pos path | related
	}{
		{
			"nil pointer under a null section",
			`Error: template: pxtest/templates/deployment.yaml:13:39: executing "pxtest/templates/deployment.yaml" at <.Values.gateway.service.port>: nil pointer evaluating interface {}.port` + "\n\nUse --debug flag to render out invalid YAML\n",
			false,
			"chart-render user.yaml:3:12 gateway.service.port | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":13:39",
		},
		{
			"required names a dotted path",
			"walk.go:75: found symbolic link in path\nError: execution error at (pxtest/templates/deployment.yaml:11:49): gateway.imageTag is required\n",
			false,
			"chart-render user.yaml:4:13 gateway.imageTag | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":11:49",
		},
		{
			"a default the user did not touch",
			`Error: template: pxtest/templates/deployment.yaml:6:3: executing "pxtest/templates/deployment.yaml" at <.Values.gateway.image>: wrong type`,
			false,
			"chart-render " + filepath.Join("testdata", "pxtest", "values.yaml") + ":4:10 gateway.image | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":6:3",
		},
		{
			"no path at all",
			"Error: chart requires kubeVersion: >=1.30 which is incompatible with Kubernetes v1.20.0\n",
			false,
			"chart-render user.yaml:1:1 ",
		},
		{
			"Helm 3.18+ schema refusal",
			"Error: values don't meet the specifications of the schema(s) in the following chart(s):\npxtest:\n- at '/gateway': additional properties 'servce' not allowed\n- at '/gateway/replicas': got string, want integer\n",
			false,
			"chart-schema user.yaml:1:1 gateway.servce; chart-schema user.yaml:2:13 gateway.replicas",
		},
		{
			"older Helm schema refusal",
			"Error: values don't meet the specifications of the schema(s) in the following chart(s):\npxtest:\n- gateway.replicas: Invalid type. Expected: integer, given: string\n",
			false,
			"chart-schema user.yaml:2:13 gateway.replicas",
		},
		{
			"schema refusal already reported",
			"Error: values don't meet the specifications of the schema(s) in the following chart(s):\npxtest:\n- at '/gateway': additional properties 'servce' not allowed\n",
			true,
			"",
		},
		{
			"a secret in Helm's message",
			"Error: execution error at (pxtest/templates/deployment.yaml:2:2): token s3cr3t-value rejected\n",
			false,
			"chart-render user.yaml:1:1  | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":2:2",
		},
		{
			"a secret Helm quoted with %q",
			"Error: execution error at (pxtest/templates/deployment.yaml:2:2): bad token \"s3cr3t \\\"q\\\\  two  spaces\"\n",
			false,
			"chart-render user.yaml:1:1  | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":2:2",
		},
		{
			"a secret with its whitespace collapsed",
			"Error: execution error at (pxtest/templates/deployment.yaml:2:2): bad token s3cr3t \"q\\ two spaces\n",
			false,
			"chart-render user.yaml:1:1  | " + filepath.Join("testdata", "pxtest", "templates", "deployment.yaml") + ":2:2",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isSecret := func(segs []string) bool { return strings.HasSuffix(segs[len(segs)-1], "oken") }
			k := &checker{c: ch, user: user, layers: []*values.Document{user}, schemaFailed: tc.schemaFailed,
				opts: Options{IsSecret: isSecret}, hide: redact.Collect(isSecret, user)}
			k.coalesced = coalesceValues(ch.c, user.Root.Interface().(map[string]any))
			k.helmFailure(tc.stderr)
			var got []string
			for _, d := range k.diags {
				s := d.Rule + " " + d.Pos.String() + " " + d.Path
				for _, r := range d.Related {
					s += " | " + r.Pos.String()
				}
				got = append(got, s)
				if strings.Contains(d.Message, "s3cr3t") || strings.Contains(d.Hint, "s3cr3t") || strings.Contains(d.Message, "spaces") {
					t.Errorf("a secret value in %q", d.Message)
				}
				if strings.Contains(d.Message, "--debug") {
					t.Errorf("Helm's --debug advice kept: %q", d.Message)
				}
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, "; "), tc.want)
			}
		})
	}
}

// FuzzHelmFailure: whatever Helm prints, reading it neither panics nor
// loses the finding.
func FuzzHelmFailure(f *testing.F) {
	for _, s := range []string{
		"Error: template: pxtest/templates/a.yaml:1:2: executing \"x\" at <.Values.a.b>: nil pointer",
		"Error: execution error at (pxtest/templates/a.yaml:3:4): gateway.imageTag is required",
		"Error: values don't meet the specifications of the schema(s) in the following chart(s):\npxtest:\n- at '/gateway': additional properties 'x' not allowed\n",
		"Error: values don't meet the specifications of the schema(s)\n- a.b: bad\n- at '': x",
		"",
		"Error: ",
		"Error: .Values. .Values.. at <.Values.0.1>",
	} {
		f.Add(s)
	}
	ch, err := Load(filepath.Join("testdata", "pxtest"))
	if err != nil {
		f.Fatal(err)
	}
	user, err := values.Load("user.yaml", []byte("gateway:\n  list: [1, {a: null}]\n  service: null\n"), values.DefaultLimits())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, stderr string) {
		k := &checker{c: ch, user: user, layers: []*values.Document{user}}
		k.coalesced = coalesceValues(ch.c, user.Root.Interface().(map[string]any))
		k.helmFailure(stderr)
		if len(k.diags) == 0 {
			t.Errorf("no finding for %q", stderr)
		}
	})
}
