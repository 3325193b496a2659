package values

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

func TestScalarSpan(t *testing.T) {
	src := "a: plain  # c\n" +
		"b: \"dq \\\" x\"\n" +
		"c: 'sq '' x'\n" +
		"d: &an !!str tagged\n" +
		"e: {x: one, w: \"two\", z: three}\n" +
		"f: [p1, p2]\n" +
		"g: |\n  line1\n\n  line2\nh: >-\n  folded\n" +
		"i: multi\n  line plain\n" +
		"j:\n  - item  # c\n  - |\n    blk\n"
	doc, err := Load("v.yaml", []byte(src), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"a"}, "plain"},
		{[]string{"b"}, `"dq \" x"`},
		{[]string{"c"}, `'sq '' x'`},
		{[]string{"d"}, "tagged"},
		{[]string{"e", "x"}, "one"},
		{[]string{"e", "w"}, `"two"`},
		{[]string{"e", "z"}, "three"},
		{[]string{"f", "1"}, "p2"},
		{[]string{"g"}, "|\n  line1\n\n  line2"},
		{[]string{"h"}, ">-\n  folded"},
		{[]string{"i"}, "multi\n  line plain"},
		{[]string{"j", "0"}, "item"},
		{[]string{"j", "1"}, "|\n    blk"},
	} {
		n := doc.Root.Lookup(c.path...)
		if n == nil {
			t.Fatalf("%v: no node", c.path)
		}
		s, e, ok := doc.ScalarSpan(n)
		if !ok || string(doc.Src[s:e]) != c.want {
			t.Errorf("%v: %q (ok %v), want %q", c.path, doc.Src[s:e], ok, c.want)
		}
	}
}

func TestComment(t *testing.T) {
	src := "# head\n" +
		"a: 1 # trailing\n" +
		"b: \"not # a comment\"\n" +
		"c: |\n  # secret text in a block\n  more\n" +
		"d: \"multi\n  # still text\"\n" +
		"e: x#y\n" +
		"  # indented comment\n"
	doc, err := Load("v.yaml", []byte(src), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: "# head", 2: "# trailing", 10: "# indented comment"}
	for l := 1; l <= doc.Lines(); l++ {
		got, ok := doc.Comment(l)
		if w, has := want[l]; ok != has || got != w {
			t.Errorf("line %d %q: Comment = %q, %v; want %q", l, doc.LineText(l), got, ok, w)
		}
	}
}

// commentByIndex is Comment as it was first written, the oracle of
// TestCommentOracle: the token starting last at or before a `#` is found
// in an index of every scalar token of the document.
func commentByIndex(d *Document, line int) (string, bool) {
	var spans [][2]int
	var walk func(n *Node)
	walk = func(n *Node) {
		if s, e, ok := d.ScalarSpan(n); ok && e > s {
			spans = append(spans, [2]int{s, e})
		}
		for _, c := range n.Entries {
			if !c.Alias && !c.Merged {
				walk(c)
			}
		}
		for _, c := range n.Items {
			if !c.Alias {
				walk(c)
			}
		}
	}
	if d.Root != nil {
		walk(d.Root)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	return d.comment(line, func(off int) (int, bool) {
		k := sort.Search(len(spans), func(k int) bool { return spans[k][0] > off }) - 1
		if k < 0 {
			return 0, false
		}
		return spans[k][1], true
	})
}

// checkComments compares Comment with commentByIndex on every line of d.
func checkComments(t *testing.T, d *Document) {
	t.Helper()
	for l := 1; l <= d.Lines(); l++ {
		got, ok := d.Comment(l)
		want, wok := commentByIndex(d, l)
		if got != want || ok != wok {
			t.Fatalf("%s line %d %q: Comment = %q, %v; want %q, %v", d.Name, l, d.LineText(l), got, ok, want, wok)
		}
	}
}

// TestCommentOracle checks Comment against an index of every scalar token
// on the inputs of the reparse and oracle tests, the chart corpus and the
// lint fixtures.
func TestCommentOracle(t *testing.T) {
	inputs := reparseInputs(t)
	for name, src := range oracleCases {
		inputs[name] = src
	}
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Dir(file)
	files, _ := filepath.Glob(filepath.Join(dir, "..", "..", "shared", "reference", "polyaxon-charts", "*", "*.yaml"))
	fixtures, _ := filepath.Glob(filepath.Join(dir, "..", "cmd", "pxvalues", "testdata", "*", "*.yaml"))
	for _, f := range append(files, fixtures...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = string(b)
	}
	n := 0
	for name, src := range inputs {
		if d, err := Load(name, []byte(src), DefaultLimits()); err == nil {
			checkComments(t, d)
			n++
		}
	}
	t.Logf("%d documents", n)
}
