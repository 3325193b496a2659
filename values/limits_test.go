package values

import (
	"math"
	"strings"
	"testing"
)

func TestLimitsCheck(t *testing.T) {
	for _, c := range []struct {
		lim  Limits
		want string
	}{
		{DefaultLimits(), ""},
		{MaxLimits(), ""},
		{Limits{MaxBytes: math.MaxInt64, MaxDepth: 1, MaxNodes: 1}, "--max-bytes"},
		{Limits{MaxBytes: 0, MaxDepth: 1, MaxNodes: 1}, "--max-bytes"},
		{Limits{MaxBytes: -1, MaxDepth: 1, MaxNodes: 1}, "--max-bytes"},
		{Limits{MaxBytes: 1, MaxDepth: 0, MaxNodes: 1}, "--max-depth"},
		{Limits{MaxBytes: 1, MaxDepth: 1, MaxNodes: -5}, "--max-nodes"},
		{Limits{MaxBytes: 1, MaxDepth: 1 << 30, MaxNodes: 1}, "--max-depth"},
	} {
		err := c.lim.Check()
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.lim, err, c.want)
		}
	}
}

// TestMergeLimits: --set flags are bounded like files.
func TestMergeLimits(t *testing.T) {
	deepJSON := "a=" + strings.Repeat("[", 200) + strings.Repeat("]", 200)
	for _, c := range []struct {
		name string
		sets []Set
		want string
	}{
		{"index bomb", []Set{{SetValue, "a[0][65535]=1"}}, "list index 65535"},
		{"indices over several clauses", []Set{{SetValue, strings.Repeat("a[40000]=1,", 2) + "b=2"}}, "--max-nodes"},
		{"indices over several flags", []Set{{SetValue, "a[30000]=1"}, {SetString, "b[30000]=x"}}, "--max-nodes"},
		{"deep keys", []Set{{SetValue, strings.Repeat("a.", 200) + "b=1"}}, "--max-depth"},
		{"deep json", []Set{{SetJSON, deepJSON}}, "--max-depth"},
		{"index in a value is no index", []Set{{SetString, "a=[99999999]"}}, ""},
		{"escaped comma", []Set{{SetValue, `a=x\,b[99999999]=1`}}, ""},
		{"fine", []Set{{SetValue, "a[2]=1,b.c=2"}, {SetJSON, `d={"e":[1,{"f":2}]},g=3`}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Merge(Layers{Sets: c.sets})
			if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}
