package migrate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/values"
)

// TestUmbrella migrates umbrella charts' values files (Polyaxon's values
// under `polyaxon:` beside other charts' sections), the section detected:
// each case under testdata/umbrella has in.yaml (its first line gives the
// options) and the golden out.yaml and report.json. Whatever the
// migration does lands inside the section; the rest of the file stays byte
// for byte; the report's lines are the file's; the section migrates as it
// would standalone; a second migration changes nothing.
func TestUmbrella(t *testing.T) {
	m, _ := engines(t)
	dirs, _ := filepath.Glob("testdata/umbrella/*")
	if len(dirs) == 0 {
		t.Fatal("no umbrella fixture")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in := filepath.Join(dir, "in.yaml")
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			opts := fixtureOptions(t, src)
			res, err := m.Migrate(in, src, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.ValuesPath != "polyaxon" || !res.Changed() {
				t.Fatalf("values path %q, changed %v: want the polyaxon section migrated", res.ValuesPath, res.Changed())
			}
			golden(t, filepath.Join(dir, "out.yaml"), res.Output)
			rep, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, "report.json"), append(rep, '\n'))
			checkUmbrella(t, m, res, opts)
			// a Windows file: the same, with its line endings
			crlf := bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
			resW, err := m.Migrate(in, crlf, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want := bytes.ReplaceAll(res.Output, []byte("\n"), []byte("\r\n")); !bytes.Equal(resW.Output, want) {
				t.Errorf("CR LF input:\n%s", Diff("want", "got", want, resW.Output))
			}
		})
	}
}

// checkUmbrella checks the properties of the migration res of an umbrella
// file.
func checkUmbrella(t *testing.T, m *Migrator, res *Result, opts Options) {
	t.Helper()
	inDoc, err := values.Load(res.Path, res.Input, values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	outDoc, err := values.Load(res.Path, res.Output, values.DefaultLimits())
	if err != nil {
		t.Fatalf("the output does not parse: %v", err)
	}
	sec := func(d *values.Document) (first, last int) {
		n := d.Root.Get(res.ValuesPath)
		return n.KeyPos.Line, n.EndLine
	}
	inFirst, inLast := sec(inDoc)
	outFirst, outLast := sec(outDoc)
	// other charts' sections, byte for byte
	if a, b := inDoc.Src[:inDoc.LineStart(inFirst+1)], outDoc.Src[:outDoc.LineStart(outFirst+1)]; !bytes.Equal(a, b) {
		t.Errorf("the text before the section changed:\n%s", Diff("in", "out", a, b))
	}
	if a, b := tailAfter(inDoc, inLast), tailAfter(outDoc, outLast); !bytes.Equal(a, b) {
		t.Errorf("the text after the section changed:\n%s", Diff("in", "out", a, b))
	}
	for _, e := range inDoc.Root.Live() {
		if e.Key != res.ValuesPath && outDoc.Root.Get(e.Key) == nil {
			t.Errorf("section %s lost", e.Key)
		}
	}
	// what the migration wrote is inside the section
	for l, o := range res.LineMap {
		line := l + 1
		if o == 0 && (line <= outFirst || line > outLast) {
			t.Errorf("out l.%d written outside the section: %q", line, outDoc.LineText(line))
		}
		if o == 0 && strings.TrimSpace(outDoc.LineText(line)) != "" && !strings.HasPrefix(outDoc.LineText(line), "  ") {
			t.Errorf("out l.%d not indented under the section: %q", line, outDoc.LineText(line))
		}
	}
	// the report's lines are the file's
	for _, td := range res.Todos {
		if !strings.Contains(outDoc.LineText(td.Line), TodoMarker) {
			t.Errorf("TODO %s at out l.%d, which reads %q", td.Path, td.Line, outDoc.LineText(td.Line))
		}
	}
	for _, c := range res.Changes {
		if c.Line == 0 {
			continue
		}
		segs := strings.Split(c.From, ".")
		if !strings.Contains(inDoc.LineText(c.Line), segs[len(segs)-1]+":") {
			t.Errorf("change %s %s at in l.%d, which reads %q", c.Action, c.From, c.Line, inDoc.LineText(c.Line))
		}
	}
	for _, f := range res.Leaves {
		segs := strings.Split(f.Path, ".")
		if !strings.Contains(inDoc.LineText(f.Line), segs[len(segs)-1]) {
			t.Errorf("leaf %s at in l.%d, which reads %q", f.Path, f.Line, inDoc.LineText(f.Line))
		}
	}
	for l, o := range res.LineMap {
		if o > 0 && !res.Touched[o] && outDoc.LineText(l+1) != inDoc.LineText(o) {
			t.Errorf("out l.%d copied from in l.%d untouched, but %q != %q", l+1, o, outDoc.LineText(l+1), inDoc.LineText(o))
		}
	}
	// the section migrates as it would in a file of its own
	alone, err := m.Migrate("section.yaml", res.ValuesIn, opts)
	if err != nil {
		t.Fatal(err)
	}
	// (but for the lines TODOs name: the file's)
	inLine := regexp.MustCompile(`\(in l\.[0-9]+\)`)
	if !bytes.Equal(inLine.ReplaceAll(alone.Output, nil), inLine.ReplaceAll(res.ValuesOut, nil)) {
		t.Errorf("the section migrates otherwise alone:\n%s", Diff("alone", "in the umbrella", alone.Output, res.ValuesOut))
	}
	// no secret in the diff
	if d := m.RedactedDiff("a", "b", res); strings.Contains(d, "pg-pass") {
		t.Errorf("the -d diff shows a secret:\n%s", d)
	}
	// idempotent: detected as the target, nothing to do
	again, err := m.Migrate(res.Path, res.Output, Options{To: opts.To})
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() || again.From != opts.To || len(again.Ambiguous) > 0 || again.ValuesPath != res.ValuesPath {
		t.Errorf("a second migration: from %s, ambiguous %v, values path %q, changed:\n%s", again.From, again.Ambiguous, again.ValuesPath, Diff("first", "second", res.Output, again.Output))
	}
}

// tailAfter returns the text after line last of d.
func tailAfter(d *values.Document, last int) []byte {
	rest := d.Src[d.LineStart(last+1):]
	// the blank lines and less indented comments that close the section
	// belong to what follows
	return bytes.TrimLeft(rest, "\r\n")
}

// TestUmbrellaErrors: an umbrella section the migration cannot cut out
// is refused with the file's own position, nothing written.
func TestUmbrellaErrors(t *testing.T) {
	m, _ := engines(t)
	cases := []struct {
		name, src, want string
	}{
		{"flow", "grafana:\n  enabled: true\npolyaxon: {api: {replicas: 2}, streams: {replicas: 1}}\n", "block style"},
		{"bad yaml inside", "grafana:\n  enabled: true\npolyaxon:\n  api:\n    replicas: 2\n  streams: *nope\n", "u.yaml:6"},
		{"alias of an anchor outside", "base: &b\n  replicas: 2\npolyaxon:\n  api: *b\n  streams:\n    replicas: 1\n", "u.yaml:4"},
		{"no such key", "grafana:\n  enabled: true\n", "no `polyaxon` key"},
	}
	for _, c := range cases {
		_, err := m.Migrate("u.yaml", []byte(c.src), Options{To: "v2", ValuesPath: "polyaxon"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// TestSectionSets: --set flags of an umbrella release reach Polyaxon's
// values once the section's key is removed; others are left out.
func TestSectionSets(t *testing.T) {
	got, err := sectionSets([]values.Set{
		{Kind: values.SetValue, Expr: `polyaxon.gateway.replicas=2,grafana.enabled=true,polyaxon.tags={a,b},polyaxon.x=a\,b`},
		{Kind: values.SetString, Expr: "grafana.adminUser=me"},
		{Kind: values.SetJSON, Expr: `polyaxon.api={"replicas":1}`},
	}, "polyaxon")
	if err != nil {
		t.Fatal(err)
	}
	want := []values.Set{
		{Kind: values.SetValue, Expr: `gateway.replicas=2,tags={a,b},x=a\,b`},
		{Kind: values.SetJSON, Expr: `api={"replicas":1}`},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("sectionSets = %+v, want %+v", got, want)
	}
	if _, err := sectionSets([]values.Set{{Kind: values.SetJSON, Expr: `polyaxon={"api":{}}`}}, "polyaxon"); err == nil {
		t.Errorf("a flag setting the whole section: no error")
	}
}
