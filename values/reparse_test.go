package values

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"
)

// reparseInputs are the documents TestEditReparse edits: a chart's
// defaults and small files with the constructs a region boundary must
// respect (block scalars, multi-line flow, comments between entries,
// anchors, CRLF, a header, a flow root).
func reparseInputs(t *testing.T) map[string]string {
	t.Helper()
	in := map[string]string{
		"sections": "# header\n\n# about a\na: 1\nb:\n  c: 2\n  d: [1, 2]\n\n# foot of b\n\ne: |+\n  text\n\nf:\n  - x\n  - y: 1\n    z: 2\ng: {h: 1, i: [2, 3]}\nj: \"q\"\n",
		"scalars":  "a: >-\n  folded\n  text\nb: 'single\n  line two'\nc: [1,\n  2]\nd: ~\n# end\n",
		"anchors":  "base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\nother: *b\nlast: 1\n",
		"crlf":     "a: 1\r\nb:\r\n  c: 2\r\nd: 3\r\n",
		"markers":  "---\na: 1\nb: 2\n...\n",
		"flowroot": "{a: 1, b: {c: 2}}\n",
		"nolf":     "a: 1\nb:\n  c: 2",
		"dupes":    "a: 1\nb: 2\na: 3\n",
		"unicode":  "ä: \"ö\"\nb:\n  ü: x # ç\nc: 1\n",
		"nested":   "# top\na:\n  # about b\n  b:\n    c: 1\n    d:\n      e: x\n      # e's foot\n\n    f: [1,\n      2]\n  g: |+\n    keep\n\n  h:\n  - i: 1\n    j:\n      k: 2\n  - l\n# between\n\nm:\n  n: \"q\n  # not a comment\"\n  # head of o\n  o: 'x\n# inside'\n  p: 3\n  r:\n    s: >-\n      folded\n\n    t: ~\n",
		"quoted":   "x: \"foo\n# bar\"\ny: 1\nz:\n  a: 'it''s\n  # it''s\n  # end'\n  b: 2\n",
	}
	if b, err := os.ReadFile("../lint/testdata/bench/platform-v2.yaml"); err == nil {
		in["platform-v2"] = string(b)
	} else {
		t.Fatal(err)
	}
	return in
}

// snippets are what the random edits insert.
var snippets = []string{
	"k: v\n", "  nested: 1\n", "# comment\n", "\n", "  # indented comment\n", "x:\n  y: 1\n  z: [1, 2]\n",
	"s: |\n  block\n\n", "t: |+\n  keep\n\n\n", "f: {a: 1}\n", "l: [1,\n", "al: *b\n", "an: &n 1\n", "m:\n  <<: {q: 1}\n",
	"---\n", "%YAML 1.1\n", "- item\n", "a: 9\n", "  - li\n", "\t: tab\n", "q: 'open\n", "p: 1", "\r\n", "e: \u2028x\n",
	"{}", "ü: ö\n", "k2: v2 # c\n", "   \n", "q2: \"open\n# x\"\n", "# it's \"quoted\"\n",
}

// benign are snippets that keep a file valid where they go at a line
// start between entries.
var benign = []string{"k: v\n", "# comment\n", "\n", "x:\n  y: 1\n  z: [1, 2]\n", "s: |\n  block\n", "f: {a: 1}\n", "ü: ö\n"}

// randomEdits returns one to three non-overlapping edits of doc (from
// benign snippets only, when mild).
func randomEdits(rng *rand.Rand, doc *Document, mild bool) []Edit {
	snippets := snippets
	if mild {
		snippets = benign
	}
	var edits []Edit
	n := 1 + rng.Intn(3)
	if mild {
		n = 1
	}
	lines := doc.Lines()
	// edits in order, each after the previous one
	at := 1
	for i := 0; i < n && at <= lines; i++ {
		l := at + rng.Intn(max(1, (lines-at+1)/(n-i)))
		start := doc.LineStart(l)
		var e Edit
		op := rng.Intn(6)
		if mild && op == 3 {
			op = 1
		}
		switch op {
		case 0: // delete lines
			k := 1 + rng.Intn(3)
			e = Edit{Start: start, End: doc.LineStart(l + k)}
			at = l + k + 1
		case 1, 2: // insert a snippet at a line start
			e = Edit{Start: start, End: start, NewText: snippets[rng.Intn(len(snippets))]}
			if mild {
				// a new key each time: no duplicates
				e.NewText = strings.Replace(e.NewText, ":", fmt.Sprintf("%d:", rng.Int()), 1)
			}
			at = l + 1
		case 3: // replace part of a line
			text := doc.LineText(l)
			a := rng.Intn(len(text) + 1)
			b := a + rng.Intn(len(text)-a+1)
			e = Edit{Start: start + a, End: start + b, NewText: []string{"", "x", "key2", ": ", " {}", "\n", "  "}[rng.Intn(7)]}
			at = l + 1
		case 4: // replace a line
			e = Edit{Start: start, End: doc.LineStart(l + 1), NewText: snippets[rng.Intn(len(snippets))]}
			at = l + 2
		default: // insert a snippet at the indentation of a line (into its map)
			text := snippets[rng.Intn(len(snippets))]
			if mild {
				text = strings.Replace(text, ":", fmt.Sprintf("%d:", rng.Int()), 1)
			}
			line := doc.LineText(l)
			pad := line[:len(line)-len(strings.TrimLeft(line, " "))]
			e = Edit{Start: start, End: start, NewText: pad + strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "\n"+pad)}
			if strings.HasSuffix(text, "\n") {
				e.NewText += "\n"
			}
			at = l + 1
		}
		edits = append(edits, e)
	}
	return edits
}

// TestEditReparse checks Edit against Load: for random edits of each
// input, chained as a migration chains them, the document Edit returns
// (by a partial parse or a full one) equals Load's of the same text, and
// an error is the same error. It also checks that most edits of the
// chart's defaults take the partial path, and that many of those of the
// nested inputs parse less than a top-level entry, so that the test
// tests them.
func TestEditReparse(t *testing.T) {
	lim := DefaultLimits()
	for name, src := range reparseInputs(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(len(name))))
			partial, deeper, total := 0, 0, 0
			for chain := 0; chain < 40; chain++ {
				doc, err := Load(name, []byte(src), lim)
				if err != nil {
					t.Fatal(err)
				}
				for step := 0; step < 12; step++ {
					got, deep := checkEdit(t, doc, randomEdits(rng, doc, chain%2 == 0), lim)
					if got == nil {
						break // the chain cannot go on
					}
					total++
					if got.partial {
						partial++
						if deep {
							deeper++
						}
					}
					doc = got
				}
			}
			t.Logf("%d of %d valid edits parsed partially, %d below the top level", partial, total, deeper)
			if name == "platform-v2" && partial*10 < total*9 {
				t.Errorf("only %d of %d valid edits of the chart defaults were parsed partially", partial, total)
			}
			if (name == "platform-v2" || name == "nested") && deeper*4 < total {
				t.Errorf("only %d of %d valid edits of %s were parsed below the top level", deeper, total, name)
			}
		})
	}
}

// checkEdit applies edits to doc with Edit and checks the result against
// Load's of the same text: the same error, or the same tree. It returns
// the new document (nil when the text does not load) and whether a cut of
// the edits went below the top level.
func checkEdit(t *testing.T, doc *Document, edits []Edit, lim Limits) (*Document, bool) {
	t.Helper()
	text, err := ApplyEdits(doc.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	want, werr := Load(doc.Name, text, lim)
	deep := false
	if _, ok := doc.reparsable(); ok {
		for _, c := range doc.clusters(text, doc.newEdits(edits)) {
			deep = deep || len(c.levels) > 1
		}
	}
	before := doc.Src
	got, gerr := doc.Edit(edits, lim)
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("edits %+v of\n%s\nLoad: %v\nEdit: %v", edits, before, werr, gerr)
	}
	if werr != nil {
		return nil, false
	}
	if diff := docDiff(got, want); diff != "" {
		t.Fatalf("edits %+v of\n%s\ngive\n%s\nEdit differs from Load: %s", edits, before, text, diff)
	}
	return got, deep
}

// FuzzEdit edits arbitrary values files as TestEditReparse does (three
// chained steps of random edits drawn from seed) and checks every result
// of Edit against Load's, and the comments of the file against
// commentByIndex's, from the seeds below and what it finds.
func FuzzEdit(f *testing.F) {
	for _, src := range []string{
		"a:\n  b: 1\n  c:\n    d: 2\n\n# foot\ne: 3\n",
		"x: \"foo\n# bar\"\ny: 1\n",
		"a:\n  s: |+\n    keep\n\n  t: 1\nb:\n- c: 1\n  d:\n    e: 2\n",
	} {
		f.Add([]byte(src), int64(1))
	}
	lim := Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 20_000}
	f.Fuzz(func(t *testing.T, src []byte, seed int64) {
		doc, err := Load("f.yaml", src, lim)
		if err != nil {
			return
		}
		rng := rand.New(rand.NewSource(seed))
		checkComments(t, doc)
		for step := 0; step < 3 && doc != nil; step++ {
			doc, _ = checkEdit(t, doc, randomEdits(rng, doc, step%2 == 1), lim)
		}
	})
}

// docDiff describes the first difference between two documents (the
// parser's comment fields aside), or returns "".
func docDiff(got, want *Document) string {
	if string(got.Src) != string(want.Src) || got.Name != want.Name {
		return "source or name"
	}
	if fmt.Sprint(got.lineStarts) != fmt.Sprint(want.lineStarts) {
		return fmt.Sprintf("line starts %v, want %v", got.lineStarts, want.lineStarts)
	}
	return nodeDiff(got.Root, want.Root, nil, nil)
}

func nodeDiff(g, w, gp, wp *Node) string {
	where := w.Path()
	if (g.Parent == gp) != (w.Parent == wp) {
		return where + ": parent link"
	}
	type fields struct {
		Kind                    Kind
		Key, RawKey             string
		Index                   int
		KeyPos, Pos, MergePos   Pos
		Value                   any
		Raw, Tag                string
		Plain, Shadowed, Merged bool
		Alias                   bool
		StartLine, EndLine      int
		Entries, Items          int
		Shadow                  bool
	}
	f := func(n *Node) fields {
		return fields{n.Kind, n.Key, n.RawKey, n.Index, n.KeyPos, n.Pos, n.MergePos, n.Value, n.Raw, n.Tag, n.Plain, n.Shadowed, n.Merged, n.Alias, n.StartLine, n.EndLine, len(n.Entries), len(n.Items), n.Shadow != nil}
	}
	if a, b := f(g), f(w); a != b {
		return fmt.Sprintf("%s: %+v, want %+v", where, a, b)
	}
	for i := range w.Entries {
		if d := nodeDiff(g.Entries[i], w.Entries[i], g, w); d != "" {
			return d
		}
	}
	for i := range w.Items {
		if d := nodeDiff(g.Items[i], w.Items[i], g, w); d != "" {
			return d
		}
	}
	return ""
}

// TestEditReusesTree checks the point of Edit: an edit of one entry of a
// large file parses that entry only (the other entries are d's nodes).
func TestEditReusesTree(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "k%d:\n  a: %d\n  b: [x, y]\n", i, i)
	}
	doc, err := Load("big.yaml", []byte(b.String()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	first, last := doc.Root.Entries[0], doc.Root.Entries[1999]
	n := doc.Root.Entries[1000]
	got, err := doc.Edit([]Edit{{Start: n.KeyPos.Offset, End: n.KeyPos.Offset + len("k1000"), NewText: "renamed"}}, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got.Root.Entries[0] != first || got.Root.Entries[1999] != last || got.Root.Entries[1000] == n {
		t.Errorf("Edit parsed more than the entry it changed")
	}
	if got.Root.Entries[1000].Key != "renamed" || last.KeyPos.Line != 5998 || last.Parent != got.Root {
		t.Errorf("the edit is not in the tree: %q at line %d", got.Root.Entries[1000].Key, last.KeyPos.Line)
	}
	// comments inserted above an entry (a TODO at the top of the file)
	// parse nothing but themselves
	n = got.Root.Entries[0]
	got, err = got.Edit([]Edit{{Start: 0, End: 0, NewText: "# a TODO\n\n"}}, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got.Root.Entries[0] != n || n.KeyPos.Line != 3 || n.StartLine != 3 || last.KeyPos.Line != 6000 {
		t.Errorf("an insertion above the first entry parsed it again, or did not move it: line %d", n.KeyPos.Line)
	}
}

// TestEditQuotedHead checks an edit of comment-like lines that end a
// quoted scalar of the entry above: they are that scalar's text, not the
// head comments of the entry below, so the edit changes the entry above.
func TestEditQuotedHead(t *testing.T) {
	for _, src := range []string{"x: \"foo\n# bar\"\ny: 1\n", "m:\n  x: 'foo\n  # bar'\n  y: 1\nz: 2\n"} {
		doc, err := Load("q.yaml", []byte(src), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		at := strings.Index(src, "bar")
		got, _ := checkEdit(t, doc, []Edit{{Start: at, End: at + 3, NewText: "baz"}}, DefaultLimits())
		if v := got.Root.Lookup("x"); v == nil || !strings.HasSuffix(v.Raw, "baz") {
			if v = got.Root.Lookup("m", "x"); v == nil || !strings.HasSuffix(v.Raw, "baz") {
				t.Errorf("%q: the edit is not in the scalar", src)
			}
		}
	}
}
