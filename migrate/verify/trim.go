package verify

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
)

// A chart is rendered from a copy without what cannot change a compared
// setting: templates that render CustomResourceDefinitions only (most of
// a Polyaxon chart's bytes, and most of Helm's time), and, when the chart
// does not carry its sub-charts, its dependency declarations.

// actionRE finds the template actions of a file.
var actionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)\{\{-?(.*?)-?\}\}`) })

// kindLineRE finds the top-level "kind:" lines of a template.
var kindLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^kind:[ \t]*(.*?)[ \t]*$`) })

// controlRE is an action that only chooses what to render (it writes no
// text of its own): if, else, end, a comment.
var controlRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(?:(?:if|else|end)\b|/\*)`) })

// randomRE names the template functions whose result differs from one
// render to the next (Sprig's generators, and the clock).
var randomRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(?:rand(?:AlphaNum|Alpha|Numeric|Ascii|Bytes|Int)|uuidv4|gen(?:CA|CAWithKey|PrivateKey|SelfSignedCert|SelfSignedCertWithKey|SignedCert|SignedCertWithKey)|htpasswd|bcrypt|encryptAES|shuffle|now|getHostByName)\b`)
})

// crdOnly reports whether a template renders CustomResourceDefinitions and
// nothing else: every top-level kind is one, it defines no named template,
// and each of its actions only chooses what to render (an action that
// writes text, say an include, could write another object).
func crdOnly(text []byte) bool {
	kinds := kindLineRE().FindAllSubmatch(text, -1)
	if len(kinds) == 0 {
		return false
	}
	for _, k := range kinds {
		if strings.Trim(string(k[1]), `"'`) != "CustomResourceDefinition" {
			return false
		}
	}
	for _, a := range actionRE().FindAllSubmatch(text, -1) {
		if !controlRE().Match(a[1]) {
			return false
		}
	}
	return true
}

// random reports whether a template calls a function whose result differs
// between two renders.
func random(text []byte) bool {
	for _, a := range actionRE().FindAllSubmatch(text, -1) {
		if randomRE().Match(a[1]) {
			return true
		}
	}
	return false
}

// isTemplate: a file under a chart's (or a carried sub-chart's) templates
// folder.
func isTemplate(rel string) bool {
	segs := strings.Split(filepath.ToSlash(rel), "/")
	switch {
	case len(segs) >= 2 && segs[0] == "templates":
		return true
	case len(segs) >= 4 && segs[0] == "charts" && segs[2] == "templates":
		return true
	}
	return false
}

// copyChart copies the chart at src to dst without its CRD-only templates
// and, with dropDeps, without its dependency declarations (so that Helm
// renders it without the sub-charts it does not carry). It reports whether
// a template (or a packed sub-chart, which is not read) may render
// differently twice.
func copyChart(src, dst string, dropDeps bool) (bool, error) {
	rnd := false
	// A chart named through a symbolic link is copied from its target.
	src, err := filepath.EvalSymlinks(src)
	if err != nil {
		return false, err
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case dropDeps && (rel == "requirements.yaml" || rel == "requirements.lock" || rel == "Chart.lock"):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			// A linked file is copied as a file (Helm reads it so); a
			// linked folder is not followed.
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		case !d.Type().IsRegular():
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(filepath.ToSlash(rel), "charts/") && strings.HasSuffix(rel, ".tgz") {
			rnd = true
		}
		if isTemplate(rel) {
			rnd = rnd || random(b)
			if !strings.HasPrefix(d.Name(), "_") && crdOnly(b) {
				return nil
			}
		}
		if rel == "Chart.yaml" && dropDeps {
			if b, err = withoutDependencies(b); err != nil {
				return err
			}
		}
		return os.WriteFile(target, b, 0o644)
	})
	return rnd, err
}

// withoutDependencies removes Chart.yaml's dependencies.
func withoutDependencies(b []byte) ([]byte, error) {
	var m yaml.Node
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if len(m.Content) == 1 && m.Content[0].Kind == yaml.MappingNode {
		c := m.Content[0].Content
		for i := 0; i+1 < len(c); i += 2 {
			if c[i].Value == "dependencies" {
				m.Content[0].Content = append(c[:i:i], c[i+2:]...)
				break
			}
		}
	}
	return yaml.Marshal(&m)
}
