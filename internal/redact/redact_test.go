package redact

import (
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/values"
)

func TestCollectAndHides(t *testing.T) {
	src := "shared: &pw \"Pa55 \\\"q\\\\\\tw\\nx  y\"\n" +
		"user:\n  password: *pw\n" +
		"base: &b {token: tok-PXS1}\n" +
		"merged:\n  <<: *b\n" +
		"auth:\n  x: 0x1F\n" +
		"name: admin\n" +
		"password: ab\n"
	doc, err := values.Load("v.yaml", []byte(src), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	isSecret := func(segs []string) bool {
		last := segs[len(segs)-1]
		return last == "password" || last == "token" || last == "auth"
	}
	s := Collect(isSecret, doc)
	secret := "Pa55 \"q\\\tw\nx  y"
	for _, arg := range []string{
		secret,
		`"` + secret + `"`,
		`Pa55 \"q\\\tw\nx  y`,   // %q inner
		"Pa55 \"q\\ w x y",      // whitespace collapsed
		"tok-PXS1",              // through a merge
		`value "tok-PXS1" bad`,  // quoted inside
		"0x1F", "31", "3.1e+01", // a number and its forms
		"ab", `"ab"`, // a short secret, whole
	} {
		if !s.Hides(arg) {
			t.Errorf("Hides(%q) = false", arg)
		}
	}
	for _, arg := range []string{"admin", "a", "abc", "platform", "v2", "user.password", "3"} {
		if s.Hides(arg) {
			t.Errorf("Hides(%q) = true", arg)
		}
	}
	ext := `helm: values don't meet the specifications: user.password: Invalid type. Expected: integer, given: "Pa55 \"q\\\tw\nx  y"; token "tok-PXS1"; short "ab"; Pa55 "q\ w x y`
	got := s.Scrub(ext)
	for _, leak := range []string{"Pa55", "tok-PXS1", `"ab"`} {
		if strings.Contains(got, leak) {
			t.Errorf("Scrub left %q: %s", leak, got)
		}
	}
	if !strings.Contains(got, "Invalid type. Expected: integer") {
		t.Errorf("Scrub removed more than secrets: %s", got)
	}
	if s.Leaks(got) {
		t.Errorf("Leaks after Scrub")
	}
	var none *Set
	if none.Hides("x") || none.Scrub("x") != "x" || !none.Empty() {
		t.Errorf("nil set")
	}
}

func TestAddSets(t *testing.T) {
	isSecret := func(segs []string) bool {
		return len(segs) > 0 && strings.HasSuffix(segs[len(segs)-1], "assword") || len(segs) > 0 && segs[0] == "encryptionSecret"
	}
	var s Set
	s.AddSets(isSecret, []values.Set{
		{Kind: values.SetValue, Expr: "encryptionSecret=Xk9,Qm2SecretTail"},
		{Kind: values.SetValue, Expr: "gateway.replicas=2,user.password=Pa55,w0rd=x"},
		{Kind: values.SetLiteral, Expr: "db.password=lit,eral"},
	})
	for _, hidden := range []string{"Qm2SecretTail", "Xk9", "w0rd", "Pa55", "Pa55,w0rd=x", "lit,eral"} {
		if !s.Hides(hidden) {
			t.Errorf("%q not hidden", hidden)
		}
	}
	if s.Hides("2") || s.Hides("gateway.replicas") {
		t.Errorf("a value of a plain key is hidden")
	}
	if got := s.Scrub(`invalid --set: key "Qm2SecretTail" has no value`); got != `invalid --set: key "<redacted>" has no value` {
		t.Errorf("Scrub: %s", got)
	}
}
