package glob

import "testing"

// TestMatch is the table of the glob syntax (the package doc and the
// README say the same).
func TestMatch(t *testing.T) {
	cases := []struct {
		glob, path string
		want       bool
	}{
		// no slash: the name of the file or of any folder above it
		{"legacy", "deploy/legacy/values.yaml", true},
		{"legacy", "legacy", true},
		{"legacy", "deploy/legacy-old/values.yaml", false},
		{"*.compose.yaml", "a/b/x.compose.yaml", true},
		{"*-old.yaml", "deploy/prod-old.yaml", true},
		{"docker-compose.yml", "a/docker-compose.yml", true},
		{"values.yaml", "deploy/values.yaml", true},
		{"*", "anything/at/all.yaml", true},
		// a slash: from the start of the path
		{"deploy/*.yaml", "deploy/a.yaml", true},
		{"deploy/*.yaml", "x/deploy/a.yaml", false},
		{"deploy/*.yaml", "deploy/v1/a.yaml", false},
		{"deploy/v1/*.yaml", "deploy/v1/prod.yaml", true},
		{"deploy/v1/agent-*.yaml", "deploy/v1/prod.yaml", false},
		// ** : any number of folders, none included
		{"deploy/**/secret-*.yaml", "deploy/secret-a.yaml", true},
		{"deploy/**/secret-*.yaml", "deploy/v1/eu/secret-a.yaml", true},
		{"deploy/**/secret-*.yaml", "deploy/v1/not-secret-a.yaml", false},
		{"**/values.yaml", "values.yaml", true},
		{"**/values.yaml", "a/b/values.yaml", true},
		// a folder matched: everything inside it
		{"deploy/legacy", "deploy/legacy/a.yaml", true},
		{"k8s/**", "k8s/a/b.yaml", true},
		{"k8s/**", "k8s", true},
		{"k8s/**", "k8sx/a.yaml", false},
		{"umbrella/**", "umbrella/a/values.yaml", true},
		// ./ and a trailing / are ignored; OS separators are slashes
		{"./deploy/legacy/", "deploy/legacy/a.yaml", true},
		{"other/values.yaml", "./other/values.yaml", true},
		// outside the base folder: only what the glob names
		{"k8s/**", "../k8s/configmap.yaml", false},
		{"k8s", "../k8s/configmap.yaml", true},
		// malformed or empty: nothing
		{"[bad", "[bad", false},
		{"", "a.yaml", false},
		{".", "a.yaml", false},
	}
	for _, c := range cases {
		if got := Match(c.glob, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	for glob, ok := range map[string]bool{"k8s/**": true, "*.yaml": true, "[bad": false, "a/[b": false, "": false, "a\\": false} {
		if err := Check(glob); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok %v", glob, err, ok)
		}
	}
}
