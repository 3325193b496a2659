package lint_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/format"
	"github.com/pxvalues/pxvalues/values"
)

// secretMarker is replaced, in every fuzz input, by the planted secret.
const secretMarker = "@SECRET@"

// fuzzTargets are the chart/major pairs every fuzz input is linted as:
// detected, then each schema forced.
var fuzzTargets = []lint.Options{
	{},
	{Chart: "platform", Major: "v0"},
	{Chart: "platform", Major: "v1"},
	{Chart: "platform", Major: "v2", Target: "polyaxon-cli"},
	{Chart: "platform", Major: "v2"},
	{Chart: "agent", Major: "v1"},
	{Chart: "agent", Major: "v2", Target: "polyaxon-cli"},
}

// plantedSecret turns the fuzzer's string into a secret that cannot occur in
// pxvalues' own output text: letters and digits between fixed fences.
func plantedSecret(s string) string {
	var b strings.Builder
	b.WriteString("Zq")
	for _, c := range s {
		if b.Len() >= 26 {
			break
		}
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
			b.WriteRune(c)
		}
	}
	b.WriteString("x9K")
	return b.String()
}

// FuzzLint lints arbitrary values files under every chart and major and
// writes the text and JSON reports. It must not panic, every diagnostic must
// be well formed (declared rule, position inside the file, one-line message,
// fix edits that apply), and a secret planted under a secret key (the input's
// @SECRET@ markers) must never appear in any output. Seeds:
// testdata/fuzz/FuzzLint.
func FuzzLint(f *testing.F) {
	f.Add([]byte("postgresql:\n  auth:\n    password: @SECRET@\n"), "hunter2")
	f.Add([]byte("agent:\n  token: @SECRET@\n  tokn: 1\n"), "s3cr3t")
	l, err := lint.New(cue.New())
	if err != nil {
		f.Fatal(err)
	}
	secrets, err := cue.New().Secrets()
	if err != nil {
		f.Fatal(err)
	}
	text, err := format.New("text", format.Options{Verbose: true})
	if err != nil {
		f.Fatal(err)
	}
	js, err := format.New("json", format.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, secretSeed string) {
		secret := plantedSecret(secretSeed)
		src := bytes.ReplaceAll(data, []byte(secretMarker), []byte(secret))
		doc, err := values.Load("f.yaml", src, values.Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 20_000})
		if err != nil {
			return // FuzzLoad covers load errors
		}
		checkSecret := bytes.Contains(src, []byte(secret)) && onlyUnderSecretKeys(doc, secrets, secret)
		for _, opts := range fuzzTargets {
			res, err := l.Lint(doc, opts)
			if err != nil {
				if opts.Chart != "" {
					t.Fatalf("lint as %s %s: %v", opts.Chart, opts.Major, err)
				}
				continue
			}
			checkDiagnostics(t, l, doc, res, opts)
			rep := &format.Report{Files: []*lint.Result{res}, Rules: l.RuleDocs(), Tool: "fuzz"}
			for name, fm := range map[string]format.Formatter{"text": text, "json": js} {
				var out bytes.Buffer
				if err := fm.Format(&out, rep); err != nil {
					t.Fatalf("%s format: %v", name, err)
				}
				if name == "json" && !json.Valid(out.Bytes()) {
					t.Fatalf("json format wrote invalid JSON:\n%s", out.Bytes())
				}
				if checkSecret && bytes.Contains(out.Bytes(), []byte(secret)) {
					t.Fatalf("%s output (as %s %s) shows the planted secret %q:\n%s", name, opts.Chart, opts.Major, secret, out.Bytes())
				}
			}
		}
	})
}

// onlyUnderSecretKeys reports whether every occurrence of secret in the
// document is a value under a secret key (so that no output may show it): not
// in a key, not in a non-secret value (an alias or merge can copy it there),
// not an anchor, alias or tag name.
func onlyUnderSecretKeys(doc *values.Document, secrets cue.Secrets, secret string) bool {
	for _, p := range []string{"&", "*", "!"} {
		if bytes.Contains(doc.Src, []byte(p+secret)) {
			return false
		}
	}
	ok := true
	var walk func(n *values.Node, secret bool)
	walk = func(n *values.Node, underSecret bool) {
		if n.Parent != nil {
			underSecret = underSecret || secrets.IsSecret(n.Segments())
		}
		if strings.Contains(n.Key, secret) || strings.Contains(n.Tag, secret) {
			ok = false
		}
		switch n.Kind {
		case values.MapKind:
			for _, e := range n.Entries {
				walk(e, underSecret)
			}
		case values.ListKind:
			for _, it := range n.Items {
				walk(it, underSecret)
			}
		default:
			s, _ := n.Value.(string)
			if !underSecret && (strings.Contains(n.Raw, secret) || strings.Contains(s, secret)) {
				ok = false
			}
		}
	}
	walk(doc.Root, false)
	return ok
}

// checkDiagnostics asserts that every diagnostic is well formed.
func checkDiagnostics(t *testing.T, l *lint.Linter, doc *values.Document, res *lint.Result, opts lint.Options) {
	t.Helper()
	for _, d := range res.Diagnostics {
		where := d.String()
		if l.Rules().Get(d.Rule) == nil {
			t.Errorf("as %s %s: undeclared rule: %s", opts.Chart, opts.Major, where)
		}
		if d.Severity < lint.Info || d.Severity > lint.Error {
			t.Errorf("bad severity %d: %s", d.Severity, where)
		}
		if d.Line < 0 || d.Line > doc.Lines()+1 || d.Offset < 0 || d.Offset > len(doc.Src) {
			t.Errorf("position outside the file (%d lines, %d bytes): %s", doc.Lines(), len(doc.Src), where)
		}
		if strings.ContainsAny(d.Message, "\n\r") || strings.ContainsAny(d.Hint, "\r") {
			t.Errorf("message or hint breaks the one-line text format: %q (hint %q)", d.Message, d.Hint)
		}
		if d.Fix != nil {
			if _, err := values.ApplyEdits(doc.Src, d.Fix.Edits); err != nil {
				t.Errorf("fix does not apply: %v: %s", err, where)
			}
		}
	}
}

// TestPlantedSecretCheck shows that FuzzLint's secret check can fail: a
// planted value under a key that is not secret is printed (an enum error
// quotes it) and is recognised as such, while under secret keys it is
// both recognised as secret-only and never printed.
func TestPlantedSecretCheck(t *testing.T) {
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := cue.New().Secrets()
	if err != nil {
		t.Fatal(err)
	}
	secret := plantedSecret("abc")
	for _, tc := range []struct {
		src               string
		secretOnly, shown bool
	}{
		{"gateway:\n  service:\n    type: @SECRET@\n", false, true},
		{"gateway:\n  service:\n    type: &a @SECRET@\npostgresql:\n  auth:\n    password: *a\n", false, false},
		{"postgresql:\n  auth:\n    password: @SECRET@\ngateway:\n  service:\n    type: @SECRET@x\n", false, false},
		{"agentSecret: {a: @SECRET@}\nagent:\n  token: [@SECRET@]\n", true, false},
	} {
		src := strings.ReplaceAll(tc.src, secretMarker, secret)
		doc, err := values.Load("f.yaml", []byte(src), values.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if got := onlyUnderSecretKeys(doc, secrets, secret); got != tc.secretOnly {
			t.Errorf("onlyUnderSecretKeys(%q) = %v, want %v", src, got, tc.secretOnly)
		}
		res, err := l.Lint(doc, lint.Options{Chart: "platform", Major: "v2"})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := (format.JSON{}).Format(&out, &format.Report{Files: []*lint.Result{res}}); err != nil {
			t.Fatal(err)
		}
		if shown := bytes.Contains(out.Bytes(), []byte(secret)); shown != tc.shown {
			t.Errorf("%q: secret shown in the output = %v, want %v:\n%s", src, shown, tc.shown, out.Bytes())
		}
	}
}
