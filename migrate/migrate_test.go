package migrate

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var (
	sharedOnce sync.Once
	sharedM    *Migrator
	sharedL    *lint.Linter
	sharedErr  error
)

func engines(t *testing.T) (*Migrator, *lint.Linter) {
	t.Helper()
	sharedOnce.Do(func() {
		cat := cue.New()
		sharedM, sharedErr = New(cat)
		if sharedErr == nil {
			sharedL, sharedErr = lint.New(cat)
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedM, sharedL
}

// fixtureOptions reads the options of a fixture from its first line:
// `# migrate: --to v2 [--chart agent] [--from v1] [--keep-celery]`.
func fixtureOptions(t *testing.T, src []byte) Options {
	t.Helper()
	first, _, _ := strings.Cut(string(src), "\n")
	args, ok := strings.CutPrefix(first, "# migrate: ")
	if !ok {
		t.Fatalf("fixture without a `# migrate:` first line")
	}
	var o Options
	f := strings.Fields(args)
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case "--to":
			i++
			o.To = f[i]
		case "--from":
			i++
			o.From = f[i]
		case "--chart":
			i++
			o.Chart = f[i]
		case "--keep-celery":
			o.KeepCelery = true
		default:
			t.Fatalf("unknown fixture option %q", f[i])
		}
	}
	return o
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./migrate -update to accept):\n%s", path, Diff(path, "got", want, got))
	}
}

// TestGolden runs every rule fixture: input, expected output, expected
// report (changes and TODOs).
func TestGolden(t *testing.T) {
	m, _ := engines(t)
	ins, err := filepath.Glob("testdata/rules/*.in.yaml")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Migrate(in, src, fixtureOptions(t, src))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Changed() {
				t.Errorf("the fixture does not change")
			}
			golden(t, strings.TrimSuffix(in, ".in.yaml")+".out.yaml", res.Output)
			rep, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(in, ".in.yaml")+".report.json", append(rep, '\n'))
			// secrets never appear in the report, nor in the -d diff
			diff := m.RedactedDiff("a", "b", res)
			for _, secret := range []string{"s3cr3t", "pg-pass"} {
				if bytes.Contains(rep, []byte(secret)) {
					t.Errorf("the report shows a secret value (%s)", secret)
				}
				if strings.Contains(diff, secret) {
					t.Errorf("the -d diff shows a secret value (%s):\n%s", secret, diff)
				}
			}
		})
	}
}

// TestTodosNotDuplicated migrates results again with the source major
// forced, so that every rule runs a second time: no TODO may be written
// twice at the same key, and none may be lost.
func TestTodosNotDuplicated(t *testing.T) {
	m, _ := engines(t)
	ins, _ := filepath.Glob("testdata/rules/*.in.yaml")
	checked := 0
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		opts := fixtureOptions(t, src)
		res, err := m.Migrate(in, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Todos) == 0 {
			continue
		}
		again, err := m.Migrate(in, res.Output, Options{Chart: res.Chart, From: res.From, To: res.To, KeepCelery: opts.KeepCelery})
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		seen := map[string]bool{}
		for _, td := range again.Todos {
			k := td.Path + "\x00" + td.Message
			if seen[k] {
				t.Errorf("%s: TODO %q on %s twice after a second run:\n%s", in, td.Message, td.Path, Diff("first", "second", res.Output, again.Output))
			}
			seen[k] = true
		}
		for _, td := range res.Todos {
			if !seen[td.Path+"\x00"+td.Message] {
				t.Errorf("%s: TODO %q on %s lost by a second run", in, td.Message, td.Path)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no fixture with TODOs")
	}
}

// TestFixtureProperties applies the corpus checks to the fixtures (and
// their intermediate steps): lint-clean under the target unless the
// fixture says otherwise, idempotent, comments kept or reported, lines
// outside the edits identical.
func TestFixtureProperties(t *testing.T) {
	m, l := engines(t)
	ins, _ := filepath.Glob("testdata/rules/*.in.yaml")
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		opts := fixtureOptions(t, src)
		res, err := m.Migrate(in, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		lintClean := !bytes.Contains(src, []byte("# pxvalues-test: lint-errors-expected"))
		checkMigration(t, m, l, res, opts, lintClean, false)
		if t.Failed() {
			t.Logf("%s failed the checks", in)
		}
	}
}

// TestUnsupported checks the migrations the engine refuses.
func TestUnsupported(t *testing.T) {
	m, _ := engines(t)
	cases := []struct {
		name string
		src  string
		opts Options
	}{
		{"down", "gateway:\n  replicas: 1\nbroker: redis\ncronIntervals: {}\n", Options{From: "v2", To: "v1", Chart: "platform"}},
		{"agent v1 target missing", "agent: {}\n", Options{Chart: "agent", To: "v0"}},
		{"not yaml", "a: [\n", Options{To: "v2"}},
	}
	for _, c := range cases {
		if _, err := m.Migrate(c.name, []byte(c.src), c.opts); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// TestAlreadyAtTarget checks that a file at the target major is left alone.
func TestAlreadyAtTarget(t *testing.T) {
	m, _ := engines(t)
	src := []byte("# v2 file\ngateway:\n  replicas: 2\nbroker: redis\n")
	res, err := m.Migrate("v2.yaml", src, Options{Chart: "platform", From: "v2", To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() || len(res.Changes) != 0 {
		t.Errorf("a v2 file changed: %+v", res.Changes)
	}
}

// TestDiff checks the unified diff of -d.
func TestDiff(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\nc\n", "a\nx\nc\n", "--- A\n+++ B\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n"},
		{"", "a\n", "--- A\n+++ B\n@@ -0,0 +1 @@\n+a\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\nten\n", "--- A\n+++ B\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+ten\n"},
	}
	for _, c := range cases {
		if got := Diff("A", "B", []byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", c.a, c.b, got, c.want)
		}
	}
}
