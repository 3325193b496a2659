package lint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// TestDetectionDownstream: the examples of issue 11, linted as a user
// would (auto-detection). `old` is what pxvalues said before; want lists
// findings as "line:col rule" and hintHas/hintLacks what their hints must
// (not) say.
func TestDetectionDownstream(t *testing.T) {
	l := newLinter(t)
	example, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "platform-v1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, src, old string
		opts           lint.Options
		want           []string
		hintHas        []string
		hintLacks      []string
	}{
		{name: "1.x override file", old: "error: unknown key `api` (platform v2); hint: run `pxvalues migrate --to v2`",
			src:  "api:\n  replicas: 2\nstreams:\n  replicas: 1\nrabbitmq-ha:\n  enabled: true\n",
			want: nil},
		{name: "1.x file with only gateway.service.type", old: "postgresql.persistence: hint: remove it: it has no effect",
			src:       "gateway:\n  service:\n    type: NodePort\npostgresql:\n  persistence:\n    enabled: true\n",
			want:      []string{"5:3 subchart-old-key"},
			hintHas:   []string{"pass --major v1"},
			hintLacks: []string{"it has no effect"}},
		{name: "bundled example", old: "hint: run `pxvalues migrate --to v1` (answers v1 -> v1, unchanged)",
			src:       string(example),
			want:      []string{"15:3 dead-key", "24:1 mixed-version", "24:1 unknown-key", "27:12 yaml11-scalar"},
			hintHas:   []string{"pxvalues migrate --from v0 --to v1"},
			hintLacks: []string{"pxvalues migrate --to v1"}},
		{name: "Kubernetes ConfigMap", old: "error: unknown key `apiVersion` ... (platform v2), one per key",
			src:  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n",
			want: []string{"1:1 not-values"}},
		{name: "docker-compose file", old: "`services` is a v1 key that v2 moved or removed: run `pxvalues migrate --to v2`",
			src:  "version: '3'\nservices:\n  web:\n    image: nginx\n",
			want: []string{"1:1 not-values"}},
		{name: "ConfigMap with --chart is linted", opts: lint.Options{Chart: "platform"},
			src:  "apiVersion: v1\nkind: ConfigMap\n",
			want: []string{"1:1 unknown-key", "2:1 unknown-key"}},
		{name: "umbrella chart", old: "three unknown-key errors at the top level, no hint",
			src:  "# umbrella\npolyaxon:\n  gateway:\n    service:\n      type: NodePort\n  postgresql:\n    enabled: true\n  api:\n    replicas: 2\n  gatway: {}\ngrafana:\n  enabled: true\n",
			want: []string{"10:3 unknown-key"}, hintHas: []string{"did you mean `gateway`?"}},
		{name: "umbrella chart, values path pinned", opts: lint.Options{ValuesPath: "px"},
			src:  "px:\n  timeZone: UTC\n  bogus: 1\n",
			want: []string{"3:3 unknown-key"}},
		{name: "platform or agent: nothing tells", old: "hint: run `pxvalues migrate --from v1 --to v2` (migrate guesses the chart again)",
			src:       "nodeSelector:\n  a: b\nstreams:\n  replicas: 1\ngateway:\n  perCore: true\n",
			want:      []string{"3:1 mixed-version", "3:1 unknown-key"},
			hintHas:   []string{"pxvalues migrate --chart platform --from v1 --to v2"},
			hintLacks: []string{"pxvalues migrate --from"}},
		{name: "platform or agent, chart given", opts: lint.Options{Chart: "platform"},
			src:       "nodeSelector:\n  a: b\nstreams:\n  replicas: 1\ngateway:\n  perCore: true\n",
			want:      []string{"3:1 mixed-version", "3:1 unknown-key"},
			hintHas:   []string{"pxvalues migrate --from v1 --to v2"},
			hintLacks: []string{"--chart"}},
		{name: "v2 sub-chart old spelling", old: "passed silently",
			src:     "gateway:\n  perCore: true\nmountConnections: []\nredis:\n  slave:\n    persistence:\n      enabled: false\n",
			want:    []string{"5:3 subchart-old-key"},
			hintHas: []string{"`redis.replica`"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := values.Load("t.yaml", []byte(c.src), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.Lint(doc, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got, hints []string
			for _, d := range res.Diagnostics {
				got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Rule))
				hints = append(hints, d.Hint)
			}
			if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
				t.Errorf("findings %v, want %v (old: %s; detected %s %s by %v)", got, c.want, c.old, res.Chart, res.Major, res.DetectedBy)
			}
			all := strings.Join(hints, "\n")
			for _, h := range c.hintHas {
				if !strings.Contains(all, h) {
					t.Errorf("no hint says %q:\n%s", h, all)
				}
			}
			for _, h := range c.hintLacks {
				if strings.Contains(all, h) {
					t.Errorf("a hint says %q:\n%s", h, all)
				}
			}
		})
	}
}
