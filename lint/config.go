package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pxvalues/pxvalues/values"
)

// ConfigName is the project configuration file pxvalues looks for in the
// directory of each values file and its parents.
const ConfigName = ".pxvalues.yaml"

// Config is a project configuration file (.pxvalues.yaml):
//
//	disable: [dead-key]          # rules off
//	enable: [redundant-value]    # rules on
//	failOn: warning              # error, warning, info, never
//	target: polyaxon-cli         # helm or polyaxon-cli
//
// Command-line flags win over it.
type Config struct {
	// Path is the file the configuration was read from.
	Path            string
	Disable, Enable []string
	FailOn, Target  string
	// Chart, Major and ValuesPath pin detection; Overrides pin it per glob;
	// Exclude globs are never linted in a directory walk (see pins.go).
	Chart, Major, ValuesPath string
	Overrides                []Override
	Exclude                  []string
}

// FindConfig returns the path of the nearest .pxvalues.yaml in dir or one of
// its parents, or "" when there is none.
func FindConfig(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", ConfigName, err)
	}
	for {
		p := filepath.Join(abs, ConfigName)
		st, err := os.Stat(p)
		if err == nil && !st.IsDir() {
			return p, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return "", fmt.Errorf("finding %s: %w", ConfigName, err)
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}

// LoadConfig reads a project configuration file.
func LoadConfig(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return ParseConfig(path, src)
}

// ParseConfig reads a project configuration from src; name is used in errors.
func ParseConfig(name string, src []byte) (*Config, error) {
	c := &Config{Path: name}
	if strings.TrimSpace(string(src)) == "" {
		return c, nil
	}
	doc, err := values.Load(name, src, values.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	for _, e := range doc.Root.Live() {
		bad := func(want string) error {
			return fmt.Errorf("%s: `%s` must be %s", e.KeyPos, e.Key, want)
		}
		switch e.Key {
		case "disable", "enable":
			ids, ok := stringList(e)
			if !ok {
				return nil, bad("a list of rule ids")
			}
			if e.Key == "disable" {
				c.Disable = ids
			} else {
				c.Enable = ids
			}
		case "failOn", "fail-on":
			s, ok := e.Value.(string)
			if !ok || (s != "never" && !validSeverity(s)) {
				return nil, bad("error, warning, info or never")
			}
			c.FailOn = s
		case "target":
			s, ok := e.Value.(string)
			if !ok || (s != "helm" && s != "polyaxon-cli") {
				return nil, bad("helm or polyaxon-cli")
			}
			c.Target = s
		default:
			if ok, err := c.parsePin(e); ok || err != nil {
				if err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("%s: unknown key `%s` (want disable, enable, failOn, target, chart, major, valuesPath, overrides, exclude)", e.KeyPos, e.Key)
		}
	}
	return c, nil
}

func validSeverity(s string) bool {
	_, err := ParseSeverity(s)
	return err == nil
}

// stringList reads a list of strings, or one comma-separated string.
func stringList(n *values.Node) ([]string, bool) {
	switch n.Kind {
	case values.NullKind:
		return nil, true
	case values.StringKind:
		var out []string
		for _, s := range strings.Split(n.Value.(string), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, true
	case values.ListKind:
		var out []string
		for _, it := range n.Items {
			s, ok := it.Value.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}
