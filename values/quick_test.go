package values

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlTop is the parser's reading of text as parseRegion reads it: the
// top node of its one document, or nil.
func yamlTop(text []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var y, second yaml.Node
	if err := dec.Decode(&y); err != nil || len(y.Content) == 0 {
		return nil
	}
	if err := dec.Decode(&second); err != io.EOF {
		return nil
	}
	return y.Content[0]
}

// yamlDiff describes the first difference between two node trees, their
// comments aside, or returns "".
func yamlDiff(got, want *yaml.Node, at string) string {
	type fields struct {
		Kind         yaml.Kind
		Style        yaml.Style
		Tag, Value   string
		Anchor       string
		Line, Column int
		Content      int
		Alias        bool
	}
	f := func(n *yaml.Node) fields {
		return fields{n.Kind, n.Style, n.Tag, n.Value, n.Anchor, n.Line, n.Column, len(n.Content), n.Alias != nil}
	}
	if a, b := f(got), f(want); a != b {
		return fmt.Sprintf("%s: %+v, want %+v", at, a, b)
	}
	for i := range want.Content {
		if d := yamlDiff(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkQuick checks quickParse against the parser on text: when it reads
// text, the parser reads the same tree.
func checkQuick(t *testing.T, text []byte) bool {
	t.Helper()
	got, ok := quickParse(text)
	if !ok {
		return false
	}
	want := yamlTop(text)
	if want == nil {
		t.Fatalf("quickParse reads what the parser refuses:\n%s", text)
	}
	if d := yamlDiff(got, want, ""); d != "" {
		t.Fatalf("quickParse differs from the parser on\n%s\n%s", text, d)
	}
	return true
}

// quickLines are the lines TestQuickParse puts together: what quickParse
// reads and, next to it, what it must leave to the parser.
var quickLines = []string{
	"a: 1", "b:", "b:   ", "c: plain text", "d: \"dq\"", "e: 'sq'", "f: {}", "g: []", "h: x # c", "i: # c",
	"  j: 2", "  k:", "    l: v", "  m: -1", "n: http://x.y/z:8080", "o: polyaxon/api:0.6.1", "p: yes", "q: ~",
	"r: null", "s: 1e3", "t: 0x1F", "u: .5", "v: a,b", "w: (x)", "x: a=b", "kubernetes.io/name: v",
	"# comment", "  # indented comment", "", "   ", "y: 'it''s'", "z: \"a\\\"b\"", "aa: a: b", "ab: a:", "ac:b",
	"ad: \"x\"y", "ae: {a: 1}", "af: [1, 2]", "- item", "  - item", "ag: |", "  text", "ah: &x 1", "ai: *x",
	"aj: !!str 1", "<<: {}", "ak: a #b", "al: a#b", "am: {}x", "an: \"\"", "ao: ''", "\tap: 1", "aq: \t1",
	"? ar", "as:  'x'  # c", "at: -", "au: - x", "av: @x", "aw: `x`", "ax: %x", "ay: a  b", "1: one", "on: off",
	"az: \"a # b\"", "ba: [] # c", "bb: {}  # c", "bc: x:", "bd: :x", "be: -x", "bf: -.5", "bg: +1",
}

// quickGood is the number of quickLines, from the first, that
// quickParse reads on their own.
const quickGood = 30

// TestQuickParse checks quickParse against the parser on random texts of
// quickLines, on the cuts of a migration's kind (maps, comments, scalars)
// and on texts it must refuse; it also checks that it reads most of the
// first kind.
func TestQuickParse(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	read := 0
	for i := range 20000 {
		lines := quickLines
		if i%2 == 0 {
			lines = quickLines[:quickGood] // mostly texts quickParse reads
		}
		var b strings.Builder
		indent := ""
		for range 1 + rng.Intn(8) {
			switch rng.Intn(4) {
			case 0:
				indent += "  "
			case 1:
				if len(indent) >= 2 {
					indent = indent[2:]
				}
			}
			b.WriteString(indent + lines[rng.Intn(len(lines))])
			if rng.Intn(10) > 0 {
				b.WriteString("\n")
			}
		}
		if checkQuick(t, []byte(b.String())) {
			read++
		}
	}
	t.Logf("%d of 20000 texts read by quickParse", read)
	if read < 3000 {
		t.Errorf("quickParse read only %d texts", read)
	}
	for _, text := range []string{
		"  namespace:\n    enabled: false\n    resources:\n      limits:\n        cpu: 120m\n\n  statuses:\n    enabled: true\n    celery: {}\n",
		"# Time zone\ntimezone: 'UTC'\n",
		"gateway:\n  service:\n    # a comment\n    type: LoadBalancer\n",
		"a:\n  b:\n  c: 1\nd:\n",
	} {
		if !checkQuick(t, []byte(text)) {
			t.Errorf("quickParse does not read\n%s", text)
		}
	}
}

// FuzzQuickParse checks quickParse against the parser on arbitrary text:
// what it reads, the parser reads the same way.
func FuzzQuickParse(f *testing.F) {
	for _, l := range quickLines {
		f.Add([]byte(l + "\n"))
	}
	f.Add([]byte("a:\n  b: 1\n  c:\n    d: x # c\n  e: {}\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		checkQuick(t, text)
	})
}
