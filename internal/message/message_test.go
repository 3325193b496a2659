package message

import (
	"testing"

	"github.com/pxvalues/pxvalues/internal/redact"
)

func TestFill(t *testing.T) {
	var sec redact.Set
	sec.Add("polyaxon")
	sec.Add("x")
	for _, c := range []struct{ tmpl, want string }{
		// the template's own words are never redacted
		{"{path} but `polyaxon admin deploy` {major} rejects it", "user.password but `polyaxon admin deploy` v0 rejects it"},
		{"value {value} is not a number", "value <redacted> is not a number"},
		{"short {short}", "short <redacted>"},
		{"key {key} {missing}", `key a\nb\x1b[31m {missing}`},
		{"no placeholder", "no placeholder"},
		{"unclosed {path", "unclosed {path"},
	} {
		args := map[string]string{"path": "user.password", "major": "v0", "value": `"polyaxon"`, "short": "x", "key": "a\nb\x1b[31m"}
		if got := Fill(c.tmpl, args, &sec); got != c.want {
			t.Errorf("Fill(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
}

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain.yaml":       "plain.yaml",
		"a\nb.yaml":        `a\nb.yaml`,
		"\x1b[31mred.yaml": `\x1b[31mred.yaml`,
		"caf\xe9.yaml":     `caf\xe9.yaml`,
		"café.yaml":        "café.yaml",
		"tab\there":        `tab\there`,
	} {
		if got := EscapeControls(in); got != want {
			t.Errorf("EscapeControls(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFew(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a", "b"}, "a; b"},
		{[]string{"a", "b", "c", "d"}, "a; b; c; d"},
		{[]string{"a", "b", "c", "d", "e", "f"}, "a; b; c; d; and 2 more"},
	} {
		if got := Few(c.in, "; "); got != c.want {
			t.Errorf("Few(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
