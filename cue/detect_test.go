package cue_test

import (
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// TestDetect checks chart and major detection from the signals of
// cue/detect.cue, the overrides, and the half-migrated report.
func TestDetect(t *testing.T) {
	rules, err := cue.New().DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, src, chart, major string
		forceChart, forceMajor  string
		wantChart, wantMajor    string
		mixed                   bool
		by                      string
	}{
		{name: "explicit agent", src: "deploymentChart: agent\nagent:\n  instance: a.b.c\n", wantChart: "agent", wantMajor: "v2", by: "deploymentChart: agent"},
		{name: "agent by token", src: "agent:\n  token: x\n  instance: a.b\n", wantChart: "agent", wantMajor: "v2", by: "agent.token"},
		{name: "agent token beside platform sections", src: "agent:\n  token: x\npostgresql:\n  enabled: true\n", wantChart: "platform", wantMajor: "v2"},
		{name: "v0 by persistence", src: "persistence:\n  logs:\n    existingClaim: logs\n", wantChart: "platform", wantMajor: "v0", by: "persistence.logs"},
		{name: "v0 by timeZone", src: "timeZone: UTC\nserviceType: NodePort\n", wantChart: "platform", wantMajor: "v0"},
		{name: "v1 layout", src: "gateway:\n  replicas: 1\nstreams:\n  replicas: 1\nartifactsStore:\n  name: a\n", wantChart: "platform", wantMajor: "v1"},
		{name: "v1 image tag", src: "api:\n  imageTag: 1.18.2\n", wantChart: "platform", wantMajor: "v1", by: "1.x image"},
		{name: "v2 keys", src: "mountConnections: [a]\ngateway:\n  perCore: true\n", wantChart: "platform", wantMajor: "v2"},
		{name: "1.22 bridge is v2", src: "deploymentVersion: 1.22.0\ngateway:\n  imageTag: 1.22.0\n", wantChart: "platform", wantMajor: "v2"},
		{name: "agent never v0", src: "deploymentChart: agent\ntimeZone: UTC\n", wantChart: "agent", wantMajor: "v1"},
		{name: "nothing: newest platform", src: "labels:\n  a: b\n", wantChart: "platform", wantMajor: "v2", by: "default"},
		{name: "half migrated", src: "gateway:\n  replicas: 2\nstreams:\n  replicas: 1\nmountConnections: []\n", wantChart: "platform", wantMajor: "v2", mixed: true},
		{name: "override", src: "timeZone: UTC\n", forceChart: "agent", forceMajor: "v2", wantChart: "agent", wantMajor: "v2", by: "--major v2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := values.Load("t.yaml", []byte(c.src), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			det := cue.Detect(doc, rules, c.forceChart, c.forceMajor)
			if det.Chart != c.wantChart || det.Major != c.wantMajor {
				t.Errorf("detected %s %s, want %s %s (by %v)", det.Chart, det.Major, c.wantChart, c.wantMajor, det.DetectedBy)
			}
			if c.by != "" && !strings.Contains(strings.Join(det.DetectedBy, "; "), c.by) {
				t.Errorf("detectedBy %v does not mention %q", det.DetectedBy, c.by)
			}
			if (len(det.Mixed) > 0) != c.mixed {
				t.Errorf("mixed = %v, want %v", det.Mixed, c.mixed)
			}
		})
	}
}
