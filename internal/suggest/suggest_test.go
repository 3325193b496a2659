package suggest

import "testing"

func TestClosest(t *testing.T) {
	for _, tc := range []struct {
		s          string
		candidates []string
		want, uniq string
	}{
		{"gatway", []string{"gateway", "api", "ui"}, "gateway", "gateway"},
		{"Gateway", []string{"gateway"}, "gateway", "gateway"},
		{"--formt", []string{"--format", "--fail-on"}, "--format", "--format"},
		{"enum-valu", []string{"enum-value", "invalid-value"}, "enum-value", "enum-value"},
		{"xyz", []string{"gateway"}, "", ""},
		{"ab", []string{"ac", "ad"}, "ac", ""}, // two at distance 1: not unique
		{"lint", []string{"lint", "list"}, "list", "list"},
	} {
		if got := Closest(tc.s, tc.candidates); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.s, got, tc.want)
		}
		if got := ClosestUnique(tc.s, tc.candidates); got != tc.uniq {
			t.Errorf("ClosestUnique(%q) = %q, want %q", tc.s, got, tc.uniq)
		}
	}
}
