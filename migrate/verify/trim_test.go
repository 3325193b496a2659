package verify

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCRDOnly: a template is dropped from the rendered copy only when it
// can render nothing but CRDs.
func TestCRDOnly(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"plain", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a}\n", true},
		{"conditional", "{{- if and .Values.operator.enabled (not .Values.operator.skipCRD) }}\n---\nkind: CustomResourceDefinition\n{{- else }}\n{{/* none */}}\n{{- end }}\n", true},
		{"quoted kind", "kind: \"CustomResourceDefinition\"\n", true},
		{"another kind", "kind: CustomResourceDefinition\n---\nkind: Deployment\n", false},
		{"templated kind", "kind: {{ .Values.kind }}\n", false},
		{"include", "kind: CustomResourceDefinition\n---\n{{ include \"objects\" . }}\n", false},
		{"value", "kind: CustomResourceDefinition\nmetadata:\n  name: {{ .Values.name }}\n", false},
		{"define", "{{- define \"x\" }}kind: Deployment{{ end }}\nkind: CustomResourceDefinition\n", false},
		{"no kind", "{{- if .Values.x }}\n{{- end }}\n", false},
		{"nested kind", "spec:\n  kind: CustomResourceDefinition\n", false},
	} {
		if got := crdOnly([]byte(tc.text)); got != tc.want {
			t.Errorf("%s: crdOnly = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRandom: the functions that render differently twice are found in
// actions only.
func TestRandom(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`key: {{ randAlphaNum 40 | b64enc | quote }}`, true},
		{`{{- $ca := genCA "x" 365 }}`, true},
		{`at: {{ now | date "2006" }}`, true},
		{`id: {{ uuidv4 }}`, true},
		{`key: {{ .Values.secret | default "x" }}`, false},
		{`# randAlphaNum now, in a comment outside any action`, false},
		{`{{ .Values.nowhere }}`, false},
	} {
		if got := random([]byte(tc.text)); got != tc.want {
			t.Errorf("random(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestCopyChart: the copy keeps every file but the CRD-only templates and,
// without the sub-charts, the dependency declarations; it says whether a
// template is random.
func TestCopyChart(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"Chart.yaml":                    "apiVersion: v2\nname: polyaxon\nversion: 2.15.1\ndependencies:\n  - name: postgresql\n",
		"Chart.lock":                    "x",
		"values.yaml":                   "a: 1\n",
		"templates/_helpers.tpl":        "{{- define \"h\" }}kind: CustomResourceDefinition{{ end }}\n",
		"templates/crds/crd.yaml":       "{{- if .Values.crd }}\nkind: CustomResourceDefinition\n{{- end }}\n",
		"templates/deployment.yaml":     "kind: Deployment\n",
		"templates/secret.yaml":         "kind: Secret\ndata: {k: {{ randAlphaNum 8 | b64enc }}}\n",
		"charts/sub/templates/crd.yaml": "kind: CustomResourceDefinition\n",
	}
	for name, text := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dropDeps := range []bool{false, true} {
		dst := t.TempDir()
		rnd, err := copyChart(src, dst, dropDeps)
		if err != nil {
			t.Fatal(err)
		}
		if !rnd {
			t.Error("randAlphaNum not found")
		}
		for name := range files {
			_, err := os.Stat(filepath.Join(dst, filepath.FromSlash(name)))
			dropped := name == "templates/crds/crd.yaml" || name == "charts/sub/templates/crd.yaml" || (dropDeps && name == "Chart.lock")
			if dropped != os.IsNotExist(err) {
				t.Errorf("dropDeps=%v: %s: dropped=%v, stat: %v", dropDeps, name, dropped, err)
			}
		}
		meta, err := readChartYAML(dst)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(meta.Dependencies); (got == 0) != dropDeps {
			t.Errorf("dropDeps=%v: %d dependencies left", dropDeps, got)
		}
	}
	// A chart named through a link, with a linked file in it.
	link := filepath.Join(t.TempDir(), "chart")
	if err := os.Symlink(src, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	if err := os.Symlink(filepath.Join(src, "values.yaml"), filepath.Join(src, "linked.yaml")); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if _, err := copyChart(link, dst, false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Chart.yaml", "linked.yaml", "templates/deployment.yaml"} {
		if _, err := os.Stat(filepath.Join(dst, filepath.FromSlash(name))); err != nil {
			t.Errorf("chart named through a link: %v", err)
		}
	}
	if err := os.Remove(filepath.Join(src, "linked.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "templates", "secret.yaml")); err != nil {
		t.Fatal(err)
	}
	if rnd, err := copyChart(src, t.TempDir(), false); err != nil || rnd {
		t.Errorf("without randAlphaNum: random=%v, %v", rnd, err)
	}
}
