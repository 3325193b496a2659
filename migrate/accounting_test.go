package migrate

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/values"
)

// inputLeaves counts the leaves of src as Helm reads it: scalars, empty
// maps and lists (a list is one value).
func inputLeaves(t *testing.T, name string, src []byte) map[string]int {
	t.Helper()
	doc, err := values.Load(name, src, values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var walk func(n *values.Node)
	walk = func(n *values.Node) {
		if n.Parent != nil && (n.Kind != values.MapKind || len(n.Live()) == 0) {
			out[n.Path()]++
			return
		}
		for _, e := range n.Live() {
			walk(e)
		}
	}
	walk(doc.Root)
	return out
}

// checkAccounting verifies the invariant of the engine on one result:
// every leaf of the input has exactly one fate; the fates add up; a
// dropped leaf says why; a leaf handed to a human has a TODO in the output;
// kept and moved leaves are in the output with their value.
// isReleaseDefault, when not nil, tells whether a dropped leaf holds the
// default of the file's release (the corpus files are release defaults).
func checkAccounting(t *testing.T, res *Result) {
	t.Helper()
	want := inputLeaves(t, res.Path, res.Input)
	got := map[string]int{}
	for _, f := range res.Leaves {
		got[f.Path]++
		switch f.Fate {
		case FateKept, FateMoved, FateTransformed:
		case FateDropped:
			if f.Reason == "" {
				t.Errorf("%s: %s dropped without a reason", res.Path, f.Path)
			}
			if !strings.HasPrefix(f.Reason, "equal to the default of ") && !strings.HasPrefix(f.Reason, "no effect in ") {
				t.Errorf("%s: %s dropped although it had an effect: %s", res.Path, f.Path, f.Reason)
			}
		case FateTodo:
			if len(res.Todos) == 0 {
				t.Errorf("%s: %s handed to a human but the output has no TODO", res.Path, f.Path)
			}
		default:
			t.Errorf("%s: %s has fate %q", res.Path, f.Path, f.Fate)
		}
	}
	for p, n := range want {
		if got[p] != n {
			t.Errorf("%s: leaf %s: %d in the input, %d fates in the report", res.Path, p, n, got[p])
		}
	}
	for p := range got {
		if want[p] == 0 {
			t.Errorf("%s: the report has a fate for %s, which is not a leaf of the input", res.Path, p)
		}
	}
	a := res.Account()
	if a.Kept+a.Moved+a.Transformed+a.Dropped+a.Todo != a.Leaves {
		t.Errorf("%s: accounting does not add up: %+v", res.Path, a)
	}
	// kept and moved leaves are in the output with their value
	out, err := values.Load(res.Path, res.Output, values.DefaultLimits())
	if err != nil {
		t.Fatalf("%s: output does not parse: %v", res.Path, err)
	}
	in, _ := values.Load(res.Path, res.Input, values.DefaultLimits())
	byPath := func(d *values.Document) map[string]*values.Node {
		m := map[string]*values.Node{}
		d.Root.Walk(func(n *values.Node) bool { m[n.Path()] = n; return true })
		return m
	}
	outs, ins := byPath(out), byPath(in)
	for _, f := range res.Leaves {
		if f.Fate != FateKept && f.Fate != FateMoved {
			continue
		}
		to := f.Path
		if f.Fate == FateMoved {
			to = f.To
		}
		o, i := outs[to], ins[f.Path]
		if o == nil || i == nil || !sameValue(o.Interface(), i.Interface()) {
			t.Errorf("%s: %s is %s to %s but not there with its value", res.Path, f.Path, f.Fate, to)
		}
	}
	checkDefaults(t, res, ins, outs)
}

// releaseDocs are the values files of every release, rebuilt from
// cue/facts, by chart and version ("platform/0.6.1").
var releaseDocs = sync.OnceValues(func() (map[string]*values.Document, error) {
	dir, err := facts.Dir()
	if err != nil {
		return nil, err
	}
	rs, err := facts.Releases(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]*values.Document{}
	for _, r := range rs {
		doc, err := values.Load(r.Name(), r.YAML, values.DefaultLimits())
		if err != nil {
			return nil, err
		}
		out[r.Chart+"/"+r.Version] = doc
	}
	return out, nil
})

// checkDefaults verifies the leaves dropped as defaults, against the
// released values files themselves: the value is the default of the
// release the report names, and the target release's default at the same
// key is the same value (or the output sets that key, or the key's default
// follows the release: images). A leaf whose default changed must have
// been kept, moved, transformed or handed to a human.
func checkDefaults(t *testing.T, res *Result, ins, outs map[string]*values.Node) {
	t.Helper()
	docs, err := releaseDocs()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := engines(t)
	target, err := m.cat.Schema(res.Chart, res.To)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Leaves {
		if f.Fate != FateDropped || !strings.HasPrefix(f.Reason, "equal to the default of ") {
			continue
		}
		in := ins[f.Path]
		if in == nil {
			t.Errorf("%s: dropped %s is not in the input", res.Path, f.Path)
			continue
		}
		fs := strings.Fields(strings.TrimPrefix(f.Reason, "equal to the default of "))
		if len(fs) < 2 {
			t.Errorf("%s: %s: the reason names no release: %s", res.Path, f.Path, f.Reason)
			continue
		}
		rel := fs[0] + "/" + strings.TrimPrefix(strings.TrimSuffix(fs[1], ";"), "v")
		doc := docs[rel]
		if doc == nil {
			t.Errorf("%s: %s: no release %s", res.Path, f.Path, rel)
			continue
		}
		segs := in.Segments()
		d := doc.Root.Lookup(segs...)
		switch {
		case d != nil && sameValue(d.Interface(), in.Interface()):
		case d == nil && normalize(in.Interface()) == nil:
			// an empty value where the chart has none: Helm renders the same
		default:
			t.Errorf("%s: %s dropped as the default of %s, which it is not", res.Path, f.Path, rel)
			continue
		}
		if slices.ContainsFunc(segs, func(s string) bool { return slices.Contains(m.tables.ReleaseBound, s) }) {
			continue
		}
		if td, ok := defaultAt(target, segs); ok && !sameValue(td, in.Interface()) && outs[f.Path] == nil {
			t.Errorf("%s: %s dropped as the default of %s, but the %s %s default differs: the deployment changes", res.Path, f.Path, rel, res.Chart, res.To)
		}
	}
}

// TestAccountingFixtures checks the accounting of every fixture.
func TestAccountingFixtures(t *testing.T) {
	m, _ := engines(t)
	ins, _ := filepath.Glob("testdata/rules/*.in.yaml")
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Migrate(in, src, fixtureOptions(t, src))
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, res)
	}
}
