package verify

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ChartInfo says which chart a side rendered.
type ChartInfo struct {
	// Path is the chart as the user named it (directory or .tgz).
	Path string `json:"path"`
	// Name and Version are Chart.yaml's.
	Name    string `json:"name"`
	Version string `json:"version"`
	// Chart is "platform" or "agent" ("" for another chart); Major its
	// major ("v0", "v1", "v2").
	Chart string `json:"chart"`
	Major string `json:"major"`
	// MissingSubcharts are the sub-charts the chart's values configure but
	// the chart does not carry: it is rendered without them.
	MissingSubcharts []string `json:"missingSubcharts,omitempty"`
}

// maxChartBytes bounds the extraction of a .tgz chart.
const maxChartBytes = 64 << 20

// prepared is a chart ready for `helm template`.
type prepared struct {
	info ChartInfo
	// dir is the directory given to Helm: a temporary copy of the chart
	// without what cannot change a compared setting (copyChart).
	dir string
	// random: a template may render differently twice (randAlphaNum...).
	random bool
	// defaults is a values file of the missing sub-charts' defaults ("" if
	// none), given first so that the user's values win.
	defaults string
}

// prepare reads the chart at path (directory or .tgz) and copies it under
// tmp (a .tgz extracted first) without its CRD-only templates and without
// the dependencies it declares but does not carry.
func prepare(k *Knowledge, path, tmp string) (*prepared, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	dir := path
	if !st.IsDir() {
		dest, err := os.MkdirTemp(tmp, "chart-")
		if err != nil {
			return nil, err
		}
		if dir, err = untar(path, dest); err != nil {
			return nil, fmt.Errorf("chart %s: %w", path, err)
		}
	}
	meta, err := readChartYAML(dir)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", path, err)
	}
	p := &prepared{info: ChartInfo{Path: path, Name: meta.Name, Version: meta.Version}, dir: dir}
	p.info.Chart, p.info.Major = polyaxonMajor(meta.Name, meta.Version)
	carried := carriedSubcharts(dir)
	deps := meta.Dependencies
	if req, err := readRequirements(dir); err == nil {
		deps = append(deps, req...)
	}
	var missingDeps []string
	for _, d := range deps {
		if !carried[d] {
			missingDeps = append(missingDeps, d)
		}
	}
	// The sub-charts Polyaxon's values configure (top-level keys of the
	// chart's values.yaml) that the chart does not carry.
	top := topKeys(filepath.Join(dir, "values.yaml"))
	missing := map[string]bool{}
	for _, d := range missingDeps {
		missing[d] = true
	}
	for name := range k.Subcharts {
		if top[name] && !carried[name] {
			missing[name] = true
		}
	}
	for name := range missing {
		p.info.MissingSubcharts = append(p.info.MissingSubcharts, name)
	}
	sort.Strings(p.info.MissingSubcharts)
	copyDir, err := os.MkdirTemp(tmp, "chart-")
	if err != nil {
		return nil, err
	}
	if p.random, err = copyChart(dir, copyDir, len(missingDeps) > 0); err != nil {
		return nil, fmt.Errorf("chart %s: %w", path, err)
	}
	p.dir = copyDir
	defs := map[string]any{}
	for _, name := range p.info.MissingSubcharts {
		for key, v := range k.Subcharts[name].Defaults {
			setPath(defs, strings.Split(key, "."), v)
		}
	}
	if len(defs) > 0 {
		if p.defaults, err = writeValues(tmp, "subchart-defaults-*.yaml", defs); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// writeValues writes m as a values file under dir, named after pattern
// (as os.CreateTemp names it, readable by its owner only), and returns
// its path.
func writeValues(dir, pattern string, m map[string]any) (string, error) {
	b, err := yaml.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	return f.Name(), nil
}

func setPath(m map[string]any, segs []string, v any) {
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[s] = next
		}
		m = next
	}
	m[segs[len(segs)-1]] = v
}

type chartYAML struct {
	Name         string
	Version      string
	Dependencies []string
}

func readChartYAML(dir string) (*chartYAML, error) {
	b, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, fmt.Errorf("not a chart: %w", err)
	}
	var raw struct {
		Name         string `yaml:"name"`
		Version      string `yaml:"version"`
		Dependencies []struct {
			Name  string `yaml:"name"`
			Alias string `yaml:"alias"`
		} `yaml:"dependencies"`
	}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("reading Chart.yaml: %w", err)
	}
	c := &chartYAML{Name: raw.Name, Version: raw.Version}
	for _, d := range raw.Dependencies {
		c.Dependencies = append(c.Dependencies, d.Name)
	}
	return c, nil
}

func readRequirements(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "requirements.yaml"))
	if err != nil {
		return nil, err
	}
	var raw struct {
		Dependencies []struct {
			Name string `yaml:"name"`
		} `yaml:"dependencies"`
	}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("requirements.yaml: %w", err)
	}
	var out []string
	for _, d := range raw.Dependencies {
		out = append(out, d.Name)
	}
	return out, nil
}

// carriedSubcharts lists charts/NAME and charts/NAME-VERSION.tgz.
func carriedSubcharts(dir string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(filepath.Join(dir, "charts"))
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			if !strings.HasSuffix(name, ".tgz") {
				continue
			}
			name = strings.TrimSuffix(name, ".tgz")
			if i := strings.LastIndex(name, "-"); i > 0 {
				name = name[:i]
			}
		}
		out[name] = true
	}
	return out
}

func topKeys(path string) map[string]bool {
	out := map[string]bool{}
	b, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	var m map[string]any
	if yaml.Unmarshal(b, &m) == nil {
		for k := range m {
			out[k] = true
		}
	}
	return out
}

// polyaxonMajor names a Polyaxon chart and its major from Chart.yaml.
func polyaxonMajor(name, version string) (string, string) {
	chart := ""
	switch name {
	case "polyaxon":
		chart = "platform"
	case "agent", "polyaxon-agent":
		chart = "agent"
	}
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return chart, ""
	}
	maj, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return chart, ""
	}
	switch {
	case maj == 0:
		return chart, "v0"
	case maj == 1 && minor <= 20:
		return chart, "v1"
	default:
		return chart, "v2"
	}
}

// untar unpacks a chart archive into dest and returns the chart's
// directory (the archive's single top folder).
func untar(path, dest string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("not a .tgz chart: %w", err)
	}
	tr := tar.NewReader(gz)
	var total int64
	top := ""
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading the archive: %w", err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("archive entry %q leaves the chart", h.Name)
		}
		if first, _, _ := strings.Cut(filepath.ToSlash(name), "/"); top == "" {
			top = first
		}
		target := filepath.Join(dest, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return "", err
			}
		case tar.TypeReg:
			total += h.Size
			if total > maxChartBytes {
				return "", fmt.Errorf("archive over %d bytes", maxChartBytes)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return "", err
			}
			out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return "", err
			}
			_, err = io.Copy(out, io.LimitReader(tr, h.Size))
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return "", err
			}
		}
	}
	if top == "" {
		return "", fmt.Errorf("empty archive")
	}
	return filepath.Join(dest, top), nil
}
