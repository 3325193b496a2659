package cue

import (
	"strings"
	"testing"
)

// TestSecretsCoverSchemas checks that cue/secrets.cue, the one definition of
// a secret key, covers every key that a schema of any chart and major marks
// @px(secret): a key secret in one major is then secret in every file.
func TestSecretsCoverSchemas(t *testing.T) {
	c := New()
	sec, err := c.Secrets()
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, chart := range []string{"platform", "agent"} {
		for _, major := range Majors(chart) {
			s, err := c.Schema(chart, major)
			if err != nil {
				t.Fatal(err)
			}
			var walk func(ty *Type, segs []string, depth int)
			walk = func(ty *Type, segs []string, depth int) {
				if ty == nil || depth > 16 {
					return
				}
				for i, name := range ty.Names {
					f := ty.Fields[i]
					p := append(segs[:len(segs):len(segs)], name)
					if f.Meta.Secret {
						marked++
						if !sec.IsSecret(p) {
							t.Errorf("%s %s: %s is marked secret in the schema but not by cue/secrets.cue", chart, major, strings.Join(p, "."))
						}
					}
					walk(f.Type, p, depth+1)
				}
				if ty.Elem != nil {
					walk(ty.Elem, append(segs[:len(segs):len(segs)], "0"), depth+1)
				}
			}
			walk(s.Root, nil, 0)
		}
	}
	if marked < 10 {
		t.Errorf("only %d keys marked secret in the schemas: the walk finds too little", marked)
	}
}

// TestIsSecret checks names, places and values below a secret key.
func TestIsSecret(t *testing.T) {
	sec, err := New().Secrets()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want bool
	}{
		{"user.password", true},
		{"organizationKey", true},
		{"k8s.authorisation", true},
		{"k8s.authorisation.token.x", true},
		{"postgresql.auth.username", true},
		{"credentials.0.value", true},
		{"encryptionSecret", true},
		{"user.username", false},
		{"gateway.replicas", false},
		{"k8s.host", false},
	} {
		if got := sec.IsSecret(strings.Split(c.path, ".")); got != c.want {
			t.Errorf("IsSecret(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}
