package lint_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// TestSuppression: `# pxvalues:ignore RULE reason` on the finding's line or
// alone on the line above silences that rule there, and only there;
// `# pxvalues:ignore-file RULE reason` silences it in the whole file. A
// comment without a reason silences nothing; unknown ids, missing reasons
// and (with ignore-unused on) ids that silenced nothing are reported.
func TestSuppression(t *testing.T) {
	l := newLinter(t)
	cases := []struct {
		name, src string
		unused    bool
		want      []string // rule@line left
		hint      string   // expected in some finding's hint
	}{
		{"none", "postgresql:\n  enabled: false\n", false, []string{"postgres-required@2"}, ""},
		{"same line", "postgresql:\n  enabled: false # pxvalues:ignore postgres-required external DB set by the operator\n", false, nil, ""},
		{"line above", "postgresql:\n  # pxvalues:ignore postgres-required set by the operator\n  enabled: false\n", false, nil, ""},
		{"list", "postgresql:\n  enabled: false # pxvalues:ignore unknown-key,postgres-required reason\n", false, nil, ""},
		{"all", "postgresql:\n  enabled: false #pxvalues:ignore all the operator knows\n", false, nil, ""},
		{"other rule", "postgresql:\n  enabled: false # pxvalues:ignore redis-required reason\n", false, []string{"postgres-required@2"}, ""},
		{"two lines above", "postgresql:\n  # pxvalues:ignore postgres-required reason\n  #\n  enabled: false\n", false, []string{"postgres-required@4"}, ""},
		{"value line above", "gatway: {} # pxvalues:ignore postgres-required reason\npostgresql: {enabled: false}\n", false, []string{"unknown-key@1", "postgres-required@2"}, ""},
		{"in a string", "ingress:\n  path: \"/a # pxvalues:ignore placeholder reason\"\n  hostName: <changeme>\n", false, []string{"placeholder@3"}, ""},
		{"no reason", "postgresql:\n  enabled: false # pxvalues:ignore postgres-required\n", false, []string{"postgres-required@2", "ignore-invalid@2"}, "REASON"},
		{"no rule", "postgresql:\n  enabled: false # pxvalues:ignore\n", false, []string{"postgres-required@2", "ignore-invalid@2"}, "RULE reason"},
		{"misspelt rule", "postgresql:\n  enabled: false # pxvalues:ignore postgres-requird external\n", false, []string{"postgres-required@2", "ignore-invalid@2"}, "did you mean `postgres-required`?"},
		{"misspelt beside a good id", "postgresql:\n  enabled: false # pxvalues:ignore postgres-required,enum-valu external\n", false, []string{"ignore-invalid@2"}, "did you mean `enum-value`?"},
		{"file", "# pxvalues:ignore-file postgres-required,unknown-key the database is external\ngatway: {}\npostgresql:\n  enabled: false\n", false, nil, ""},
		{"file, other rule", "# pxvalues:ignore-file unknown-key reason\npostgresql:\n  enabled: false\n", false, []string{"postgres-required@3"}, ""},
		{"unused off", "gateway:\n  replicas: 2 # pxvalues:ignore wrong-type reason\n", false, nil, ""},
		{"unused", "gateway:\n  replicas: 2 # pxvalues:ignore wrong-type reason\n", true, []string{"ignore-unused@2"}, ""},
		{"unused file", "# pxvalues:ignore-file dead-key,postgres-required reason\npostgresql:\n  enabled: false\n", true, []string{"ignore-unused@1"}, ""},
		{"used", "postgresql:\n  enabled: false # pxvalues:ignore postgres-required reason\n", true, nil, ""},
		{"unused all", "gateway:\n  replicas: 2 # pxvalues:ignore all reason\n", true, []string{"ignore-unused@2"}, ""},
		{"unused, rule off", "gateway:\n  replicas: 2 # pxvalues:ignore redundant-value reason\n", true, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := values.Load("s.yaml", []byte(c.src), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			opts := lint.Options{Chart: "platform", Major: "v2"}
			if c.unused {
				opts.Enable = []string{"ignore-unused"}
			}
			res, err := l.Lint(doc, opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			hints := ""
			for _, d := range res.Diagnostics {
				got = append(got, d.Rule+"@"+strconv.Itoa(d.Line))
				hints += d.Hint + "\n"
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			if !strings.Contains(hints, c.hint) {
				t.Errorf("hints %q lack %q", hints, c.hint)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	good := []struct {
		src  string
		want lint.Config
	}{
		{"", lint.Config{}},
		{"disable: [dead-key, placeholder]\nenable: redundant-value\nfailOn: warning\ntarget: polyaxon-cli\n",
			lint.Config{Disable: []string{"dead-key", "placeholder"}, Enable: []string{"redundant-value"}, FailOn: "warning", Target: "polyaxon-cli"}},
		{"fail-on: never\ndisable: dead-key, placeholder\n", lint.Config{FailOn: "never", Disable: []string{"dead-key", "placeholder"}}},
	}
	for _, c := range good {
		got, err := lint.ParseConfig("c.yaml", []byte(c.src))
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		c.want.Path = "c.yaml"
		if !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%q: got %+v, want %+v", c.src, *got, c.want)
		}
	}
	bad := map[string]string{
		"failOn: loud\n":        "failOn",
		"target: kubectl\n":     "target",
		"disable: {a: 1}\n":     "disable",
		"enable: [1, 2]\n":      "enable",
		"rules: [dead-key]\n":   "unknown key `rules`",
		"disable: [a\n":         "config",
		"- disable: dead-key\n": "config",
	}
	for src, want := range bad {
		_, err := lint.ParseConfig("c.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one mentioning %q", src, err, want)
		}
	}
}

func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := lint.FindConfig(deep); err != nil || (got != "" && strings.HasPrefix(got, root)) {
		t.Fatalf("no config yet: got %q, %v", got, err)
	}
	cfg := filepath.Join(root, "a", lint.ConfigName)
	if err := os.WriteFile(cfg, []byte("disable: [dead-key]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := lint.FindConfig(deep)
	if err != nil || got != cfg {
		t.Fatalf("got %q, %v; want %q", got, err, cfg)
	}
	c, err := lint.LoadConfig(got)
	if err != nil || !reflect.DeepEqual(c.Disable, []string{"dead-key"}) {
		t.Fatalf("LoadConfig: %+v, %v", c, err)
	}
	// a nearer directory named like the config is not a config
	if err := os.Mkdir(filepath.Join(deep, lint.ConfigName), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := lint.FindConfig(deep); got != cfg {
		t.Errorf("a directory was taken for the config: %q", got)
	}
}
