package cue_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// TestDetect checks chart and major detection by schema fit and the
// signals of cue/detect.cue, the pins, ambiguity and the half-migrated
// report. The cases named "issue 11" are the examples of the issue; `old`
// records the wrong answer detection gave before.
func TestDetect(t *testing.T) {
	rules, err := cue.New().DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, src              string
		pins                   cue.Pins
		old                    string
		wantChart, wantMajor   string
		confidence             string
		ambiguous, ambiguousCh []string
		mixed                  bool
		by, valuesPath, notVal string
	}{
		{name: "explicit agent", src: "deploymentChart: agent\nagent:\n  instance: a.b.c\n", wantChart: "agent", wantMajor: "v2", confidence: cue.Ambiguous, ambiguous: []string{"v2", "v1"}, by: "deploymentChart: agent"},
		{name: "agent by token on a tie", src: "agent:\n  token: x\n  instance: a.b\n", wantChart: "agent", wantMajor: "v2", ambiguousCh: []string{"platform", "agent"}, by: "agent.token"},
		{name: "agent token beside platform sections", src: "agent:\n  token: x\npostgresql:\n  enabled: true\n", wantChart: "platform", wantMajor: "v2"},
		{name: "v0 by persistence", src: "persistence:\n  logs:\n    existingClaim: logs\n", wantChart: "platform", wantMajor: "v0", confidence: cue.Strong, by: "only v0 knows: `persistence`"},
		{name: "v0 by timeZone", src: "timeZone: UTC\nserviceType: NodePort\n", wantChart: "platform", wantMajor: "v0", confidence: cue.Strong},
		{name: "v1 layout", src: "gateway:\n  replicas: 1\nstreams:\n  replicas: 1\nartifactsStore:\n  name: a\n", wantChart: "platform", wantMajor: "v1"},
		{name: "v1 image tag", src: "api:\n  imageTag: 1.18.2\n", wantChart: "platform", wantMajor: "v1", by: "1.x image"},
		{name: "v2 keys", src: "mountConnections: [a]\ngateway:\n  perCore: true\n", wantChart: "platform", wantMajor: "v2", confidence: cue.Strong},
		{name: "1.22 bridge is v2", src: "deploymentVersion: 1.22.0\ngateway:\n  imageTag: 1.22.0\n", wantChart: "platform", wantMajor: "v2", confidence: cue.Strong},
		{name: "agent never v0", src: "deploymentChart: agent\ntimeZone: UTC\n", wantChart: "agent", wantMajor: "v2", ambiguous: []string{"v2", "v1"}},
		{name: "nothing tells: ambiguous, newest taken", src: "nodeSelector:\n  a: b\n", wantChart: "platform", wantMajor: "v2", confidence: cue.Ambiguous, ambiguous: []string{"v2", "v1", "v0"}, by: "ambiguous"},
		// v1 passes the connections list whole to Polyaxon's services: the
		// items' keys are v1 keys too (once taken for v2 leftovers)
		{name: "v1 connections are not v2 leftovers", src: "api:\n  replicas: 2\nconnections:\n  - name: a\n    kind: s3\n    schema: {bucket: s3://x}\n", wantChart: "platform", wantMajor: "v1"},
		{name: "half migrated toward v2", src: "gateway:\n  replicas: 2\nstreams:\n  replicas: 1\nmountConnections: []\n", wantChart: "platform", wantMajor: "v2", mixed: true},
		{name: "pinned", src: "timeZone: UTC\n", pins: cue.Pins{Chart: "agent", Major: "v2"}, wantChart: "agent", wantMajor: "v2", confidence: cue.Pinned, by: "--major v2"},
		{name: "typo still counts", src: "timeZnoe: UTC\nserviceTyp: NodePort\n", wantChart: "platform", wantMajor: "v0", by: "read as `timeZone`"},
		{name: "typo of deploymentChart", src: "deploymentChrat: agent\nagent:\n  instance: a.b\n", wantChart: "agent", wantMajor: "v2", ambiguous: []string{"v2", "v1"}},

		// issue 11, Why
		{name: "issue 11: 1.x override file", old: "platform v2 (default: no signal matched)",
			src:       "api:\n  replicas: 2\nstreams:\n  replicas: 1\nrabbitmq-ha:\n  enabled: true\n",
			wantChart: "platform", wantMajor: "v1", confidence: cue.Ambiguous, ambiguous: []string{"v1", "v0"}, by: "keys v0 and v1 know: `api`, `streams`, `rabbitmq-ha`"},
		{name: "issue 11: v1 file with timezone, api, scheduler.celery, ingress.backend", old: "platform v2",
			src:       "timezone: UTC\napi:\n  replicas: 1\nscheduler:\n  celery:\n    taskTrackStarted: true\ningress:\n  backend: x\n",
			wantChart: "platform", wantMajor: "v1", confidence: cue.Weak},
		{name: "issue 11: deploymentChart platform with api.nodeSelector/tolerations", old: "platform v2",
			src:       "deploymentChart: platform\napi:\n  nodeSelector: {a: b}\n  tolerations: []\n",
			wantChart: "platform", wantMajor: "v1", by: "`api.nodeSelector`"},
		{name: "issue 11: 1.x agent with streams", old: "agent v2",
			src:       "deploymentChart: agent\nagent:\n  instance: a.b.c\nstreams:\n  replicas: 1\n",
			wantChart: "agent", wantMajor: "v1", confidence: cue.Strong, by: "`streams`"},
		{name: "issue 11: 1.x file that sets only gateway.service.type", old: "platform v2 (`gateway` without separate `api`/`streams` sections)",
			src:       "gateway:\n  service:\n    type: NodePort\npostgresql:\n  persistence:\n    enabled: true\n",
			wantChart: "platform", wantMajor: "v2", confidence: cue.Ambiguous, ambiguous: []string{"v2", "v1"}},
		{name: "issue 11: v2 file with leftover api/streams and gateway.perCore", old: "platform v1",
			src:       "api:\n  replicas: 1\nstreams:\n  replicas: 1\ngateway:\n  perCore: true\n",
			wantChart: "platform", wantMajor: "v2", ambiguous: []string{}, mixed: true},
		{name: "issue 11: v2 file with leftovers and more v2 keys", old: "platform v1",
			src:       "api:\n  replicas: 1\nstreams:\n  replicas: 1\ngateway:\n  perCore: true\nmountConnections: []\ncronIntervals: {}\n",
			wantChart: "platform", wantMajor: "v2", confidence: cue.Strong, mixed: true},
		{name: "issue 11: Kubernetes ConfigMap", old: "platform v2, linted: unknown key `apiVersion`",
			src:       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n",
			wantChart: "platform", wantMajor: "v2", notVal: "Kubernetes manifest"},
		{name: "issue 11: docker-compose file", old: "platform v1, `services` is a v1 key",
			src:       "version: '3'\nservices:\n  web:\n    image: nginx\n  db:\n    image: postgres\n",
			wantChart: "platform", wantMajor: "v1", notVal: "docker-compose"},
		{name: "issue 11: another chart's values", old: "platform v2, linted",
			src:       "architecture: standalone\nauth:\n  enabled: false\nmaster:\n  count: 1\nreplica:\n  replicaCount: 3\nsentinel:\n  enabled: false\n",
			wantChart: "platform", notVal: "no Polyaxon chart's keys"},
		{name: "issue 11: umbrella chart", old: "platform v2, three unknown-key errors",
			src:       "polyaxon:\n  gateway:\n    service:\n      type: NodePort\n  postgresql:\n    enabled: true\n  api:\n    replicas: 2\ngrafana:\n  enabled: true\nprometheus:\n  server:\n    retention: 7d\n",
			wantChart: "platform", wantMajor: "v1", valuesPath: "polyaxon", by: "Polyaxon values under `polyaxon`"},
		{name: "values path pinned", pins: cue.Pins{ValuesPath: "px"},
			src:       "px:\n  timeZone: UTC\n",
			wantChart: "platform", wantMajor: "v0", valuesPath: "px", by: "--values-path px"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := values.Load("t.yaml", []byte(c.src), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			det := cue.DetectPinned(doc, rules, c.pins)
			by := strings.Join(det.DetectedBy, "; ")
			if det.Chart != c.wantChart || (c.wantMajor != "" && det.Major != c.wantMajor) {
				t.Errorf("detected %s %s, want %s %s (old answer: %s; by %s)", det.Chart, det.Major, c.wantChart, c.wantMajor, c.old, by)
			}
			if c.confidence != "" && det.Confidence != c.confidence {
				t.Errorf("confidence %s, want %s (by %s)", det.Confidence, c.confidence, by)
			}
			if c.ambiguous != nil && !slices.Equal(det.Ambiguous, c.ambiguous) && (len(c.ambiguous) > 0 || len(det.Ambiguous) > 0) {
				t.Errorf("ambiguous %v, want %v (by %s)", det.Ambiguous, c.ambiguous, by)
			}
			if c.ambiguousCh != nil && !slices.Equal(det.AmbiguousCharts, c.ambiguousCh) {
				t.Errorf("ambiguous charts %v, want %v (by %s)", det.AmbiguousCharts, c.ambiguousCh, by)
			}
			if c.by != "" && !strings.Contains(by, c.by) {
				t.Errorf("detectedBy %q does not mention %q", by, c.by)
			}
			if (len(det.Mixed) > 0) != c.mixed {
				t.Errorf("mixed = %v, want %v", det.Mixed, c.mixed)
			}
			if det.ValuesPath != c.valuesPath {
				t.Errorf("values path %q, want %q", det.ValuesPath, c.valuesPath)
			}
			if (c.notVal == "") != (det.NotValues == "") || !strings.Contains(det.NotValues, c.notVal) {
				t.Errorf("not values %q, want %q", det.NotValues, c.notVal)
			}
		})
	}
}

// TestDetectRootPinned: Detect (what migrate uses) never looks below the
// root for an umbrella chart's values.
func TestDetectRootPinned(t *testing.T) {
	rules, err := cue.New().DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := values.Load("t.yaml", []byte("polyaxon:\n  timeZone: UTC\n  serviceType: NodePort\nother:\n  a: 1\n"), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if det := cue.Detect(doc, rules, "", ""); det.ValuesPath != "" || det.NotValues == "" {
		t.Errorf("Detect: values path %q, not values %q; want the root, not values", det.ValuesPath, det.NotValues)
	}
	det := cue.DetectPinned(doc, rules, cue.Pins{})
	if det.ValuesPath != "polyaxon" || det.Major != "v0" {
		t.Errorf("DetectPinned: values path %q major %s, want polyaxon v0", det.ValuesPath, det.Major)
	}
	sub := cue.ValuesRoot(doc, det)
	n := sub.Root.Get("timeZone")
	if n == nil || n.Path() != "timeZone" || n.KeyPos.Line != 2 || n.KeyPos.Column != 3 {
		t.Errorf("values root: timeZone at %v path %q, want 2:3 timeZone", n.KeyPos, n.Path())
	}
}

// TestDetectChartUndecided: when no key and no preference signal tells
// platform from agent, the chart taken is a guess: the detection says so
// (and that --chart chooses); a preference signal or --chart decides.
func TestDetectChartUndecided(t *testing.T) {
	rules, err := cue.New().DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		src       string
		pins      cue.Pins
		undecided bool
	}{
		{src: "nodeSelector:\n  a: b\nstreams:\n  replicas: 1\n", undecided: true},
		{src: "nodeSelector:\n  a: b\nstreams:\n  replicas: 1\n", pins: cue.Pins{Chart: "platform"}},
		{src: "agent:\n  token: x\n  instance: a.b\n"},
		{src: "postgresql:\n  enabled: true\n"},
	}
	for _, c := range cases {
		doc, err := values.Load("t.yaml", []byte(c.src), values.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		det := cue.DetectPinned(doc, rules, c.pins)
		by := strings.Join(det.DetectedBy, "; ")
		if det.ChartUndecided != c.undecided || strings.Contains(by, "pass --chart") != c.undecided {
			t.Errorf("%q %+v: chart undecided %v, want %v (by %s)", c.src, c.pins, det.ChartUndecided, c.undecided, by)
		}
		if c.undecided && len(det.AmbiguousCharts) < 2 {
			t.Errorf("%q: undecided, but ambiguous charts %v", c.src, det.AmbiguousCharts)
		}
	}
}
