package verify

import (
	"strings"
	"testing"
)

// TestTextEscapesValues: a rendered value, a chart path or a key holding a
// newline or an ANSI escape stays on its line, escaped.
func TestTextEscapesValues(t *testing.T) {
	r := &Report{Old: ChartInfo{Name: "old", Path: "/c\x1b[2J"}, New: ChartInfo{Name: "new", Path: "/n"},
		Differences: []Difference{{Workload: "Deployment/api", Setting: "env.X", Old: "a\nDIFF forged", New: "b\x1b[31m" + strings.Repeat("é", 60)}}}
	var b strings.Builder
	if err := r.Write(&b, "text", true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\nDIFF forged") {
		t.Errorf("raw control characters in the text report:\n%q", out)
	}
	if !strings.Contains(out, `a\nDIFF forged`) {
		t.Errorf("the value is not shown escaped:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if !strings.ContainsRune(l, '\uFFFD') {
			continue
		}
		t.Errorf("a truncated value split a character: %q", l)
	}
}
