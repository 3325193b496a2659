package lint

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	pathglob "github.com/pxvalues/pxvalues/internal/glob"
	"github.com/pxvalues/pxvalues/values"
)

// Pins of a project configuration (.pxvalues.yaml) fix what detection
// would otherwise guess:
//
//	chart: platform                  # every values file is the platform chart
//	major: v1                        # ... of major v1
//	valuesPath: polyaxon             # Polyaxon's values sit under this key (umbrella chart)
//	overrides:                       # per glob, relative to the configuration's folder; the last match wins
//	  - {files: "deploy/v2/*.yaml", major: v2}
//	exclude: ["k8s/**", "*.compose.yaml"]   # never linted in a directory walk
//
// Globs are relative to the configuration's folder, with the syntax of
// --exclude (internal/glob): filepath.Match patterns per path segment,
// `**` for any number of folders, a glob without a `/` matching the name of
// the file or of any folder above it, a glob matching a folder matching
// what is inside.

// Override pins the files matching one glob.
type Override struct {
	Files                    string
	Chart, Major, ValuesPath string
}

// PinsFor returns the chart, major and values path the configuration pins
// for the file at path ("" where it pins nothing).
func (c *Config) PinsFor(path string) (chart, major, valuesPath string) {
	if c == nil {
		return "", "", ""
	}
	chart, major, valuesPath = c.Chart, c.Major, c.ValuesPath
	rel, ok := c.rel(path)
	if !ok {
		return chart, major, valuesPath
	}
	for _, o := range c.Overrides {
		if !pathglob.Match(o.Files, rel) {
			continue
		}
		if o.Chart != "" {
			chart = o.Chart
		}
		if o.Major != "" {
			major = o.Major
		}
		if o.ValuesPath != "" {
			valuesPath = o.ValuesPath
		}
	}
	return chart, major, valuesPath
}

// Excluded reports whether an exclude glob of the configuration matches
// the file or folder at path.
func (c *Config) Excluded(path string) bool {
	if c == nil {
		return false
	}
	rel, ok := c.rel(path)
	if !ok {
		return false
	}
	for _, g := range c.Exclude {
		if pathglob.Match(g, rel) {
			return true
		}
	}
	return false
}

// rel returns path relative to the configuration's folder, slash-separated.
func (c *Config) rel(path string) (string, bool) {
	base := "."
	if c.Path != "" {
		base = filepath.Dir(c.Path)
	}
	ab, err1 := filepath.Abs(base)
	ap, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(ab, ap)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// parsePin reads one pin key of a configuration; ok is false for a key
// that is no pin.
func (c *Config) parsePin(e *values.Node) (ok bool, err error) {
	bad := func(want string) error { return fmt.Errorf("%s: `%s` must be %s", e.KeyPos, e.Key, want) }
	switch e.Key {
	case "chart", "major", "valuesPath":
		s, isStr := e.Value.(string)
		if !isStr {
			return true, bad("a string")
		}
		if err := checkPin(e.Key, s); err != nil {
			return true, bad(err.Error())
		}
		switch e.Key {
		case "chart":
			c.Chart = s
		case "major":
			c.Major = s
		default:
			c.ValuesPath = s
		}
	case "exclude":
		globs, isList := stringList(e)
		if !isList {
			return true, bad("a list of globs")
		}
		for _, g := range globs {
			if err := pathglob.Check(g); err != nil {
				return true, bad("a list of globs: " + err.Error())
			}
		}
		c.Exclude = globs
	case "overrides":
		if e.Kind != values.ListKind {
			return true, bad("a list of {files, chart, major, valuesPath}")
		}
		for _, it := range e.Items {
			o, err := parseOverride(it)
			if err != nil {
				return true, err
			}
			c.Overrides = append(c.Overrides, o)
		}
	default:
		return false, nil
	}
	return true, nil
}

func parseOverride(n *values.Node) (Override, error) {
	var o Override
	if n.Kind != values.MapKind {
		return o, fmt.Errorf("%s: an override must be a map {files, chart, major, valuesPath}", n.Pos)
	}
	for _, e := range n.Live() {
		s, ok := e.Value.(string)
		if !ok {
			return o, fmt.Errorf("%s: `%s` must be a string", e.KeyPos, e.Key)
		}
		switch e.Key {
		case "files":
			if err := pathglob.Check(s); err != nil {
				return o, fmt.Errorf("%s: `files` must be a glob: %w", e.KeyPos, err)
			}
			o.Files = s
		case "chart", "major", "valuesPath":
			if err := checkPin(e.Key, s); err != nil {
				return o, fmt.Errorf("%s: `%s` must be %s", e.KeyPos, e.Key, err)
			}
			switch e.Key {
			case "chart":
				o.Chart = s
			case "major":
				o.Major = s
			default:
				o.ValuesPath = s
			}
		default:
			return o, fmt.Errorf("%s: unknown key `%s` in an override (want files, chart, major, valuesPath)", e.KeyPos, e.Key)
		}
	}
	if o.Files == "" {
		return o, fmt.Errorf("%s: an override needs `files`", n.Pos)
	}
	return o, nil
}

func checkPin(key, s string) error {
	switch key {
	case "chart":
		if len(cue.Majors(s)) == 0 {
			return fmt.Errorf("one of %s", strings.Join(cue.Charts(), ", "))
		}
	case "major":
		for _, ch := range cue.Charts() {
			if cue.ValidTarget(ch, s) {
				return nil
			}
		}
		return fmt.Errorf("v0, v1 or v2")
	case "valuesPath":
		if s == "" {
			return fmt.Errorf("a top-level key, or . for the root")
		}
	}
	return nil
}
