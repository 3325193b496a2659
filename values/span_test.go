package values

import "testing"

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
