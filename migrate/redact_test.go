package migrate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// TestRedactedDiff: no secret in -d, in any spelling or through any path,
// and the diff stays well-formed YAML around the redactions.
func TestRedactedDiff(t *testing.T) {
	m, err := New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, src string
		secrets   []string
		keep      []string
	}{
		{"flow map with two secrets",
			"postgresql: {postgresqlPassword: SENTpg1, postgresqlDatabase: db}\nredis: {password: \"SENTrd2\", enabled: true}\napi:\n  replicas: 2\n",
			[]string{"SENTpg1", "SENTrd2"}, []string{"{password: \"<redacted>\", enabled: true}"}},
		{"alias from a plain key",
			"dbPass: &pg SENTalias\npostgresql:\n  postgresqlPassword: *pg\napi:\n  replicas: 2\n",
			[]string{"SENTalias"}, []string{"*pg"}},
		{"block scalar with comment-like lines",
			"user:\n  password: |\n    # SENTblock comment-like\n    SENTblock2\napi:\n  replicas: 2\n",
			[]string{"SENTblock"}, nil},
		{"quotes, backslashes, tabs",
			"user:\n  password: \"SENT\\\"q\\\\b\\tt\"\napi:\n  replicas: 2\n",
			[]string{"SENT"}, nil},
		{"key secret in another major only",
			"organizationKey: SENTorg\napi:\n  replicas: 2\n",
			[]string{"SENTorg"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := m.Migrate("v.yaml", []byte(c.src), Options{From: "v1", To: "v2", Chart: "platform"})
			if err != nil {
				t.Fatal(err)
			}
			d := m.RedactedDiff("a", "b", res)
			for _, s := range c.secrets {
				if strings.Contains(d, s) {
					t.Errorf("the diff shows %q:\n%s", s, d)
				}
			}
			for _, k := range c.keep {
				if !strings.Contains(d, k) {
					t.Errorf("the diff lacks %q:\n%s", k, d)
				}
			}
			if strings.Contains(d, "<redacted: ") {
				t.Errorf("the diff was given up:\n%s", d)
			}
			var rep bytes.Buffer
			fr := &FileReport{Result: res, Changed: res.Changed()}
			r := &Report{Files: []*FileReport{fr}}
			_ = r.WriteText(&rep)
			_ = r.WriteJSON(&rep)
			for _, s := range c.secrets {
				if strings.Contains(rep.String(), s) {
					t.Errorf("the report shows %q:\n%s", s, rep.String())
				}
			}
		})
	}
}
