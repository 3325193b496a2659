package chart

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/ignore"
	"sigs.k8s.io/yaml"
)

// This file reads the parts of a Helm chart a check needs (Chart.yaml's
// name and version, values.yaml, values.schema.json, and the same of each
// subchart under charts/) the way Helm v3.22.0's pkg/chart/loader does:
// a directory honours .helmignore and follows symbolic links; a .tgz is
// gzip and tar with one top folder; values.yaml is read with
// sigs.k8s.io/yaml, as Helm reads it, so numbers are float64. Helm's loader
// itself is not linked: it brings Masterminds/semver, whose package init
// compiles regular expressions at the start of every pxvalues run.
// load_test.go checks that both loaders read the same charts.
//
// Helm also validates Chart.yaml (a semantic version, a known type, its
// dependencies); this reader only requires a name and a version, and
// `helm template` (the render of --chart-dir) applies Helm's own checks.

// Helm's limits (pkg/chart/loader): a file, and a decompressed archive.
const (
	maxFileSize    = 5 << 20
	maxArchiveSize = 100 << 20
)

// helmChart is a chart's parts a check reads.
type helmChart struct {
	name, version string
	// values is values.yaml as Helm reads it (never nil).
	values map[string]any
	// schema is values.schema.json, or nil.
	schema []byte
	// valuesData is values.yaml's text, or nil when the chart has none.
	valuesData []byte
	deps       []*helmChart
}

// Name returns the chart's name (Chart.yaml `name`).
func (c *helmChart) Name() string { return c.name }

// Dependencies returns the subcharts read from charts/.
func (c *helmChart) Dependencies() []*helmChart { return c.deps }

// chartFile is one file of a chart, by its slash-separated path inside it.
type chartFile struct {
	name string
	data []byte
}

var utf8bom = []byte{0xEF, 0xBB, 0xBF}

// loadChart reads the chart directory or archive at name.
func loadChart(name string) (*helmChart, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	var files []chartFile
	if fi.IsDir() {
		files, err = dirFiles(name)
	} else {
		var f *os.File
		if f, err = os.Open(name); err != nil {
			return nil, err
		}
		defer f.Close()
		files, err = archiveFiles(f)
		if errors.Is(err, gzip.ErrHeader) {
			err = fmt.Errorf("file '%s' does not appear to be a valid chart file (details: %w)", name, err)
		}
	}
	if err != nil {
		return nil, err
	}
	return buildChart(files)
}

// dirFiles lists the files of a chart directory that .helmignore keeps.
func dirFiles(dir string) ([]chartFile, error) {
	top, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	rules := ignore.Empty()
	if ifile := filepath.Join(top, ignore.HelmIgnore); fileExists(ifile) {
		if rules, err = ignore.ParseFile(ifile); err != nil {
			return nil, err
		}
	}
	rules.AddDefaults()
	var files []chartFile
	var walk func(abs, rel string) error
	walk = func(abs, rel string) error {
		entries, err := os.ReadDir(abs)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p, n := filepath.Join(abs, e.Name()), path.Join(rel, e.Name())
			fi, err := os.Stat(p) // follows symbolic links, as Helm's walk does
			if err != nil {
				return err
			}
			if rules.Ignore(n, fi) {
				continue
			}
			if fi.IsDir() {
				if err := walk(p, n); err != nil {
					return err
				}
				continue
			}
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("cannot load irregular file %s as it has file mode type bits set", p)
			}
			if fi.Size() > maxFileSize {
				return fmt.Errorf("chart file %q is larger than the maximum file size %d", fi.Name(), maxFileSize)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("error reading %s: %w", n, err)
			}
			files = append(files, chartFile{n, bytes.TrimPrefix(data, utf8bom)})
		}
		return nil
	}
	if err := walk(top, ""); err != nil {
		return nil, err
	}
	return files, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// archiveFiles lists the files of a packaged chart, without its top folder.
func archiveFiles(in io.Reader) ([]chartFile, error) {
	unzipped, err := gzip.NewReader(in)
	if err != nil {
		return nil, err
	}
	defer unzipped.Close()
	var files []chartFile
	remaining := int64(maxArchiveSize)
	tr := tar.NewReader(unzipped)
	for {
		hd, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if hd.FileInfo().IsDir() || hd.Typeflag == tar.TypeXGlobalHeader || hd.Typeflag == tar.TypeXHeader {
			continue
		}
		delim := "/"
		if strings.ContainsRune(hd.Name, '\\') {
			delim = "\\"
		}
		parts := strings.Split(hd.Name, delim)
		n := strings.ReplaceAll(strings.Join(parts[1:], delim), delim, "/")
		if path.IsAbs(n) {
			return nil, errors.New("chart illegally contains absolute paths")
		}
		n = path.Clean(n)
		switch {
		case n == ".":
			return nil, fmt.Errorf("chart illegally contains content outside the base directory: %q", hd.Name)
		case strings.HasPrefix(n, ".."):
			return nil, errors.New("chart illegally references parent directory")
		case len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z'):
			return nil, errors.New("chart contains illegally named files")
		case parts[0] == "Chart.yaml":
			return nil, errors.New("chart yaml not in base directory")
		case hd.Size > remaining:
			return nil, fmt.Errorf("decompressed chart is larger than the maximum file size %d", maxArchiveSize)
		case hd.Size > maxFileSize:
			return nil, fmt.Errorf("decompressed chart file %q is larger than the maximum file size %d", hd.Name, maxFileSize)
		}
		var b bytes.Buffer
		w, err := io.Copy(&b, io.LimitReader(tr, remaining))
		if err != nil {
			return nil, err
		}
		remaining -= w
		if w < hd.Size || remaining <= 0 {
			return nil, fmt.Errorf("decompressed chart is larger than the maximum file size %d", maxArchiveSize)
		}
		files = append(files, chartFile{n, bytes.TrimPrefix(b.Bytes(), utf8bom)})
	}
	if len(files) == 0 {
		return nil, errors.New("no files in chart archive")
	}
	return files, nil
}

// buildChart reads a chart from its files, as Helm's loader.LoadFiles does.
func buildChart(files []chartFile) (*helmChart, error) {
	c := &helmChart{values: map[string]any{}}
	var meta *struct{ Name, Version string }
	subcharts := map[string][]chartFile{}
	for _, f := range files {
		switch {
		case f.name == "Chart.yaml":
			meta = &struct{ Name, Version string }{}
			if err := yaml.Unmarshal(f.data, meta); err != nil {
				return nil, fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
		case f.name == "values.yaml":
			c.values, c.valuesData = map[string]any{}, f.data
			if err := yaml.Unmarshal(f.data, &c.values); err != nil {
				return nil, fmt.Errorf("cannot load values.yaml: %w", err)
			}
			if c.values == nil { // a values.yaml that is only null
				c.values = map[string]any{}
			}
		case f.name == "values.schema.json":
			c.schema = f.data
		case strings.HasPrefix(f.name, "charts/") && path.Ext(f.name) != ".prov":
			rest := strings.TrimPrefix(f.name, "charts/")
			sub := strings.SplitN(rest, "/", 2)[0]
			subcharts[sub] = append(subcharts[sub], chartFile{rest, f.data})
		}
	}
	switch {
	case meta == nil:
		return nil, errors.New("the chart has no Chart.yaml")
	case meta.Name == "":
		return nil, errors.New("validation: chart.metadata.name is required")
	case meta.Version == "":
		return nil, fmt.Errorf("validation: chart.metadata.version is required (chart %s)", meta.Name)
	}
	c.name, c.version = meta.Name, meta.Version
	names := make([]string, 0, len(subcharts))
	for n := range subcharts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.IndexAny(n, "_.") == 0 {
			continue
		}
		var sc *helmChart
		var err error
		if files := subcharts[n]; path.Ext(n) == ".tgz" {
			if files[0].name != n {
				return nil, fmt.Errorf("error unpacking subchart tar in %s: expected %s, got %s", c.name, n, files[0].name)
			}
			var sf []chartFile
			if sf, err = archiveFiles(bytes.NewReader(files[0].data)); err == nil {
				sc, err = buildChart(sf)
			}
		} else {
			inner := make([]chartFile, 0, len(files))
			for _, f := range files {
				if parts := strings.SplitN(f.name, "/", 2); len(parts) == 2 {
					inner = append(inner, chartFile{parts[1], f.data})
				}
			}
			sc, err = buildChart(inner)
		}
		if err != nil {
			return nil, fmt.Errorf("error unpacking subchart %s in %s: %w", n, c.name, err)
		}
		c.deps = append(c.deps, sc)
	}
	return c, nil
}
