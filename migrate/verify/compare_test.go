package verify

import "testing"

// TestDefaultOf: the default of an object's setting is its own in the
// defaults render; for an object the chart does not render by default, an
// environment variable takes the value every default pod that reads it
// has, and none when they disagree.
func TestDefaultOf(t *testing.T) {
	s := settings{
		"Deployment/api":      {"env.A": "1", "env.B": "x", "replicas": "1"},
		"Deployment/operator": {"env.A": "1", "env.B": "y"},
		"Job/migrate":         {"env.A": "2"},
	}
	for _, tc := range []struct{ obj, key, want string }{
		{"Deployment/api", "env.B", "x"},
		{"Deployment/api", "env.C", absent},
		{"Deployment/scheduler", "env.A", "1"},       // the Job is not a default pod
		{"Deployment/scheduler", "env.B", noDefault}, // api and operator disagree
		{"Deployment/scheduler", "env.C", absent},
		{"Deployment/scheduler", "replicas", absent}, // not an environment variable
	} {
		if got := defaultOf(s, tc.obj, tc.key); got != tc.want {
			t.Errorf("defaultOf(%s, %s) = %q, want %q", tc.obj, tc.key, got, tc.want)
		}
	}
}

// TestReadWhole: a key of a Secret that is not rendered, read by the old
// pod as one variable, is read by the new pod through envFrom of the whole
// Secret only when the variable is named as the key.
func TestReadWhole(t *testing.T) {
	newS := map[string]string{"envFrom secret aws-credentials": "(not rendered)"}
	for _, tc := range []struct {
		setting, old string
		want         bool
	}{
		{"env.credentials.json", "secretKeyRef aws-credentials/credentials.json", true},
		{"env.AWS_KEY", "secretKeyRef aws-credentials/credentials.json", false},
		{"env.credentials.json", "secretKeyRef other/credentials.json", false},
		{"env.credentials.json", "plain", false},
		{"mount /x", "secretKeyRef aws-credentials/credentials.json", false},
	} {
		if got := readWhole(newS, tc.setting, tc.old); got != tc.want {
			t.Errorf("readWhole(%s, %s) = %v, want %v", tc.setting, tc.old, got, tc.want)
		}
	}
	if !readsKeyOf(map[string]string{"env.X": "secretKeyRef aws-credentials/k"}, "aws-credentials") ||
		readsKeyOf(map[string]string{"env.X": "secretKeyRef aws-credentials-2/k"}, "aws-credentials") {
		t.Error("readsKeyOf")
	}
}
