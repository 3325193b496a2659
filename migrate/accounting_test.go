package migrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
