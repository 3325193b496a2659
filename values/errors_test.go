package values

import (
	"strings"
	"testing"
)

// TestLoadErrorsNeverQuoteValues: a value that cannot be read may be a
// secret, so load errors give its position, never its text.
func TestLoadErrorsNeverQuoteValues(t *testing.T) {
	const sentinel = "SENTINELxyz123"
	cases := []string{
		"user:\n  password: !!int " + sentinel + "\n",
		"user:\n  password: !!float " + sentinel + "\n",
		"user:\n  password: !!bool " + sentinel + "\n",
		"user:\n  password: !!null " + sentinel + "\n",
		"user:\n  password: !!binary " + sentinel + "!\n",
		"user:\n  password: !!timestamp " + sentinel + "\n",
		"user:\n  password: !!map " + sentinel + "\n",
		"user:\n  password: \"" + sentinel + "\n",
		"user:\n  password: '" + sentinel + "\n",
		"user:\n  password: [" + sentinel + "\n",
		"user:\n  password: {a: " + sentinel + "\n",
		"user:\n  password: " + sentinel + "\n\tbad: 1\n",
		"user: {password: " + sentinel + ", password: " + sentinel + "}\n---\nx: 1\n",
	}
	for _, src := range cases {
		_, err := Load("s.yaml", []byte(src), DefaultLimits())
		if err == nil {
			continue
		}
		if strings.Contains(err.Error(), sentinel) {
			t.Errorf("error quotes the value: %v\ninput:\n%s", err, src)
		}
		var verr *Error
		if e, ok := err.(*Error); ok {
			verr = e
		}
		if verr == nil || !verr.Pos.IsValid() {
			t.Errorf("error without a position: %v", err)
		}
	}
}

// TestImplicitValueAtEOF: the parser places an implicit null after the last
// line; its position is clamped into the file.
func TestImplicitValueAtEOF(t *testing.T) {
	for _, src := range []string{"? 00", "a:", "? a\n"} {
		doc, err := Load("eof.yaml", []byte(src), DefaultLimits())
		if err != nil {
			continue
		}
		doc.Root.Walk(func(n *Node) bool {
			if n.Pos.Offset > len(doc.Src) || n.Pos.Line > doc.Lines() {
				t.Errorf("%q: %s at %v is outside the file", src, n.Path(), n.Pos)
			}
			return true
		})
	}
}
