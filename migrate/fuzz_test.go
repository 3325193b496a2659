package migrate_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// fuzzSecretMarker is replaced, in every fuzz input, by a planted secret.
const fuzzSecretMarker = "@SECRET@"

// fuzzSecret is the planted secret: no report of pxvalues can contain it
// unless it came from the input.
const fuzzSecret = "Zq7migrateSecretx9K"

// fuzzOptions are the migrations each input goes through, chosen by the
// fuzzer's selector byte.
var fuzzOptions = []migrate.Options{
	{To: "v2"},
	{To: "v1"},
	{To: "v2", From: "v0"},
	{To: "v2", From: "v1"},
	{To: "v1", From: "v0", KeepCelery: true},
	{To: "v2", Chart: "agent"},
	{To: "v2", Chart: "platform", From: "v0"},
}

// FuzzMigrate migrates arbitrary values files. Migrate must not panic; a
// migration that succeeds must produce a file that loads again (valid YAML
// with a map root); and the report (changes and TODOs, as `--report json`
// prints them) must never show a secret planted under a secret key (the
// input's @SECRET@ markers). Seeds: testdata/fuzz/FuzzMigrate.
func FuzzMigrate(f *testing.F) {
	f.Add([]byte("namespace: polyaxon\napi:\n  replicas: 2\npostgresql:\n  postgresqlPassword: @SECRET@\n"), uint8(0))
	f.Add([]byte("api:\n  enabled: true\ngateway:\n  service:\n    type: NodePort\n"), uint8(3))
	// an umbrella chart's values: the `polyaxon` section is migrated alone
	f.Add([]byte("grafana:\n  image: x\npolyaxon:\n  api:\n    replicas: 2\n  streams:\n    replicas: 1\n  postgresql:\n    postgresqlPassword: @SECRET@\nminio:\n  a: 1\n"), uint8(0))
	cat := cue.New()
	m, err := migrate.New(cat)
	if err != nil {
		f.Fatal(err)
	}
	secrets, err := cat.Secrets()
	if err != nil {
		f.Fatal(err)
	}
	lim := values.Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 20_000}
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		src := bytes.ReplaceAll(data, []byte(fuzzSecretMarker), []byte(fuzzSecret))
		opts := fuzzOptions[int(sel)%len(fuzzOptions)]
		opts.Limits = lim
		res, err := m.Migrate("f.yaml", src, opts)
		if err != nil {
			if strings.Contains(err.Error(), fuzzSecret) && onlySecretValues(src, secrets, lim) {
				t.Fatalf("the error shows the planted secret: %v", err)
			}
			return
		}
		if !bytes.Equal(res.Input, src) {
			t.Fatalf("Result.Input differs from the input")
		}
		if res.Changed() {
			if _, err := values.Load("out.yaml", res.Output, values.Limits{MaxBytes: 4 << 20, MaxDepth: 128, MaxNodes: 200_000}); err != nil {
				t.Fatalf("migrate %+v produced a file that does not load: %v\n--- input\n%s\n--- output\n%s", opts, err, src, res.Output)
			}
		}
		report, err := json.Marshal(res)
		if err != nil {
			t.Fatalf("report: %v", err)
		}
		if bytes.Contains(report, []byte(fuzzSecret)) && onlySecretValues(src, secrets, lim) {
			t.Fatalf("the report shows the planted secret:\n%s", report)
		}
	})
}

// onlySecretValues reports whether every occurrence of the planted secret
// in src is a value under a secret key (not a key, an anchor, a tag, a
// comment, or a value an alias or merge copies elsewhere).
func onlySecretValues(src []byte, secrets cue.Secrets, lim values.Limits) bool {
	doc, err := values.Load("f.yaml", src, lim)
	if err != nil {
		return false
	}
	if bytes.Contains(src, []byte("#")) {
		// A comment may hold the secret, and migrations move comments.
		for _, line := range bytes.Split(src, []byte("\n")) {
			if i := bytes.IndexByte(line, '#'); i >= 0 && bytes.Contains(line[i:], []byte(fuzzSecret)) {
				return false
			}
		}
	}
	for _, p := range []string{"&", "*", "!"} {
		if bytes.Contains(src, []byte(p+fuzzSecret)) {
			return false
		}
	}
	ok := true
	var walk func(n *values.Node, under bool)
	walk = func(n *values.Node, under bool) {
		if n.Parent != nil {
			under = under || secrets.IsSecret(n.Segments())
		}
		if strings.Contains(n.Key, fuzzSecret) || strings.Contains(n.Tag, fuzzSecret) {
			ok = false
		}
		for _, e := range n.Entries {
			walk(e, under)
		}
		for _, it := range n.Items {
			walk(it, under)
		}
		if n.Kind != values.MapKind && n.Kind != values.ListKind && !under && strings.Contains(n.Raw, fuzzSecret) {
			ok = false
		}
	}
	walk(doc.Root, false)
	return ok
}
