package lint_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// TestRun: the library entry point lints every input once, in input order,
// marks unreadable ones broken with a parse-error finding, and hands back
// the parsed documents.
func TestRun(t *testing.T) {
	l, err := lint.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	src := map[string]string{
		"good.yaml": "gateway:\n  replicas: 2\n",
		"bad.yaml":  "gateway: [\n",
		"typo.yaml": "gateway:\n  replicaz: 2\n",
	}
	loads := map[string]int{}
	input := func(name string) lint.Input {
		return lint.Input{Name: name, Options: lint.Options{Chart: "platform", Major: "v2"}, Load: func() (*values.Document, error) {
			loads[name]++
			if name == "missing.yaml" {
				return nil, errors.New("no such file")
			}
			return values.Load(name, []byte(src[name]), values.DefaultLimits())
		}}
	}
	names := []string{"good.yaml", "bad.yaml", "missing.yaml", "typo.yaml"}
	cfg := lint.RunConfig{Jobs: 1, KeepDocs: true}
	for _, n := range names {
		cfg.Inputs = append(cfg.Inputs, input(n))
	}
	out, err := l.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		broken bool
		rule   string
		doc    bool
	}{
		{false, "", true},
		{true, "parse-error", false},
		{true, "parse-error", false},
		{false, "unknown-key", true},
	} {
		o := out[i]
		if o.Broken != tc.broken || (o.Doc != nil) != tc.doc {
			t.Errorf("%s: broken %v doc %v, want %v %v", names[i], o.Broken, o.Doc != nil, tc.broken, tc.doc)
		}
		if loads[names[i]] != 1 {
			t.Errorf("%s read %d times", names[i], loads[names[i]])
		}
		var rules []string
		for _, d := range o.Result.Diagnostics {
			rules = append(rules, d.Rule)
		}
		if tc.rule == "" && len(rules) > 0 || tc.rule != "" && (len(rules) == 0 || rules[0] != tc.rule) {
			t.Errorf("%s: rules %v, want %q", names[i], rules, tc.rule)
		}
	}
	// Without KeepDocs the documents are released once linted.
	cfg.KeepDocs = false
	out, err = l.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range out {
		if o.Doc != nil {
			t.Errorf("%s: document kept without KeepDocs", names[i])
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Run(ctx, cfg); err == nil {
		t.Error("a cancelled run returned no error")
	}
}
