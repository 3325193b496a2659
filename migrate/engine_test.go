package migrate

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// newRun returns the run of src (platform v0 -> v1) as migrateDocs starts
// it: every leaf tracked, nothing done yet.
func newRun(t *testing.T, src string) *run {
	t.Helper()
	m, _ := engines(t)
	doc, err := values.Load("in.yaml", []byte(src), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	in, err := m.cat.Schema("platform", "v0")
	if err != nil {
		t.Fatal(err)
	}
	orig := make([]int, doc.Lines())
	for i := range orig {
		orig[i] = i + 1
	}
	res := &Result{Path: doc.Name, Chart: "platform", From: "v0", To: "v1", Input: doc.Src, Touched: map[int]bool{}, Changes: []Change{}, Todos: []Todo{}}
	r := &run{m: m, lim: values.DefaultLimits(), doc: doc, orig: orig, res: res, in: in, step: &cue.MigrationStep{Chart: "platform", From: "v0", To: "v1"}}
	r.track()
	return r
}

// state is what a guard must give back when it undoes an action.
type state struct {
	src     string
	orig    []int
	touched map[int]bool
	changes []Change
	todos   []Todo
	leaves  []leaf
}

func stateOf(r *run) state {
	s := state{src: string(r.doc.Src), orig: append([]int(nil), r.orig...), touched: map[int]bool{}, changes: append([]Change{}, r.res.Changes...), todos: append([]Todo{}, r.todos...)}
	for k, v := range r.res.Touched {
		s.touched[k] = v
	}
	for _, l := range r.leaves {
		s.leaves = append(s.leaves, *l)
	}
	return s
}

// TestGuardUndo runs, under a guard, actions that change the text, the
// ledger, the touched lines and the report and then leave text that does
// not parse: the guard must give back the state before the action
// exactly, plus its TODO at the top of the file. An action that succeeds
// keeps all it did, and the journal is empty after each guard.
func TestGuardUndo(t *testing.T) {
	const src = "api:\n  replicas: 2\n  service:\n    nodePort: 30000\nlogs:\n  level: debug\nrbac:\n  enabled: true\n"
	for _, tc := range []struct {
		name string
		// ok is the part of the action that succeeds before the failure.
		ok func(r *run) error
	}{
		{"nothing", func(r *run) error { return nil }},
		{"rename", func(r *run) error {
			return r.rename(cue.MigrationAction{Action: "rename"}, "api", "gateway")
		}},
		{"move-and-drop", func(r *run) error {
			if err := r.rename(cue.MigrationAction{Action: "rename"}, "api.service", "gateway.service"); err != nil {
				return err
			}
			return r.drop(cue.MigrationAction{Action: "drop", From: "logs", Message: "gone"})
		}},
		{"todo-drop", func(r *run) error {
			return r.drop(cue.MigrationAction{Action: "drop", From: "rbac", Todo: "check {value}"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRun(t, src)
			// an earlier action that stays
			if err := r.guard(func() error { return r.todoAt("logs", "an earlier TODO") }, "logs", true); err != nil {
				t.Fatal(err)
			}
			before := stateOf(r)
			err := r.guard(func() error {
				if err := tc.ok(r); err != nil {
					return err
				}
				return r.commit([]values.Edit{{Start: 0, End: 0, NewText: "a: [\n"}})
			}, "api", true)
			if err != nil {
				t.Fatal(err)
			}
			after := stateOf(r)
			const todo = TodoMarker + "[api] the migration could not rewrite this part"
			if !strings.HasPrefix(after.src, todo) {
				t.Fatalf("no TODO at the top after the undo:\n%s", after.src)
			}
			// the TODO is the one change left: undo it by hand and compare
			body := after.src[strings.Index(after.src, "\n\n")+2:]
			if body != before.src {
				t.Errorf("text after the undo:\n%s\nwant:\n%s", body, before.src)
			}
			if !reflect.DeepEqual(after.orig[2:], before.orig) {
				t.Errorf("line map after the undo: %v, want %v after the TODO lines", after.orig, before.orig)
			}
			if !reflect.DeepEqual(after.touched, before.touched) {
				t.Errorf("touched lines after the undo: %v, want %v", after.touched, before.touched)
			}
			if len(after.changes) != len(before.changes)+1 || after.changes[len(after.changes)-1].Action != "todo" || !reflect.DeepEqual(append([]Change{}, after.changes[:len(before.changes)]...), before.changes) {
				t.Errorf("changes after the undo: %+v, want %+v and the TODO", after.changes, before.changes)
			}
			if len(after.todos) != len(before.todos)+1 || !reflect.DeepEqual(append([]Todo{}, after.todos[:len(before.todos)]...), before.todos) {
				t.Errorf("TODOs after the undo: %+v, want %+v and one more", after.todos, before.todos)
			}
			if !reflect.DeepEqual(after.leaves, before.leaves) {
				t.Errorf("ledger after the undo:\n%s\nwant:\n%s", leavesText(after.leaves), leavesText(before.leaves))
			}
			if r.undo.depth != 0 || len(r.undo.leaves) != 0 || len(r.undo.touched) != 0 {
				t.Errorf("journal not empty after the guard: %+v", r.undo)
			}

			// the same action without the failure keeps what it did
			r = newRun(t, src)
			before = stateOf(r)
			if err := r.guard(func() error { return tc.ok(r) }, "api", true); err != nil {
				t.Fatal(err)
			}
			if r.undo.depth != 0 || len(r.undo.leaves) != 0 || len(r.undo.touched) != 0 {
				t.Errorf("journal not empty after the guard: %+v", r.undo)
			}
			if tc.name != "nothing" && reflect.DeepEqual(stateOf(r), before) {
				t.Errorf("the action changed nothing: the case tests no undo")
			}
		})
	}
}

func leavesText(ls []leaf) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "  %s cur=%v pending=%+v noEffect=%q must=%q\n", l.path, l.cur, l.pending, l.noEffect, l.must)
	}
	return b.String()
}

// TestWalkOrder checks walkOrder against a walk of the whole tree (each
// shadowed entry right after its parent) for random sets of nodes of a
// file with duplicates, lists and shadowed maps.
func TestWalkOrder(t *testing.T) {
	src := "a: 1\nb:\n  c: 1\n  d: [1, {e: 2}]\n  c: 2\nb:\n  f:\n    g: 1\n    g: 2\n  l:\n  - x: 1\n    x: 2\n  - y\nh: 3\n"
	doc, err := values.Load("w.yaml", []byte(src), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var nodes []*values.Node
	var collect func(n *values.Node)
	collect = func(n *values.Node) {
		nodes = append(nodes, n)
		for _, e := range n.Entries {
			collect(e)
		}
		for _, it := range n.Items {
			collect(it)
		}
	}
	collect(doc.Root)
	rng := rand.New(rand.NewSource(1))
	for range 500 {
		set := map[*values.Node]bool{}
		for _, n := range nodes {
			if rng.Intn(3) == 0 {
				set[n] = true
			}
		}
		var want []*values.Node
		doc.Root.Walk(func(n *values.Node) bool {
			if set[n] {
				want = append(want, n)
			}
			for _, e := range n.Entries {
				if e.Shadowed && set[e] {
					want = append(want, e)
				}
			}
			return true
		})
		if got := walkOrder(set); !slices.Equal(got, want) {
			t.Fatalf("walkOrder differs from the walk: %d nodes, want %d", len(got), len(want))
		}
	}
}
