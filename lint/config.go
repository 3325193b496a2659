package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/pxvalues/pxvalues/values"
)

// applyOptions switches rules on and off for what the options ask beyond
// --enable and --disable: rules restricted to another --target, the
// opt-in redundant-value rule (--redundant) and the upgrade rules (--next,
// --upgrade-to). An explicit --disable still wins.
func (r *run) applyOptions() {
	disabled := map[string]bool{}
	for _, id := range r.opts.Disable {
		disabled[id] = true
	}
	for _, id := range r.l.data.ids {
		spec := r.l.data.specs[id]
		if len(spec.Targets) > 0 && !slices.Contains(spec.Targets, r.target()) {
			r.enabled[id] = false
		}
	}
	turnOn := func(id string) {
		rule := r.l.rules.Get(id)
		if rule != nil && !disabled[id] && rule.AppliesTo(r.det.Chart, r.det.Major) {
			r.enabled[id] = true
		}
	}
	if r.opts.Redundant {
		turnOn("redundant-value")
	}
	if r.opts.UpgradeTo != "" {
		for _, rule := range r.l.rules.All() {
			if rule.Category == "upgrade" {
				turnOn(rule.ID)
			}
		}
	}
}

// ignoreRe finds a suppression comment: `# pxvalues:ignore RULE[,RULE...] reason`.
var ignoreRe = regexp.MustCompile(`(?:^|\s)#\s*pxvalues:ignore\s+([A-Za-z0-9_,-]+)`)

// suppress drops the findings a `# pxvalues:ignore RULE reason` comment on
// their line, or alone on the line above, silences. `all` silences every rule.
func (r *run) suppress() {
	kept := r.diags[:0]
	for _, d := range r.diags {
		if r.ignored(d) {
			continue
		}
		kept = append(kept, d)
	}
	r.diags = kept
}

func (r *run) ignored(d Diagnostic) bool {
	if d.Line <= 0 || (d.File != "" && d.File != r.doc.Name) {
		return false
	}
	if ignoreMatches(r.doc.LineText(d.Line), d.Rule) {
		return true
	}
	if d.Line > 1 {
		above := strings.TrimSpace(r.doc.LineText(d.Line - 1))
		if strings.HasPrefix(above, "#") && ignoreMatches(above, d.Rule) {
			return true
		}
	}
	return false
}

func ignoreMatches(line, rule string) bool {
	if !strings.Contains(line, "pxvalues:ignore") {
		return false
	}
	m := ignoreRe.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	for _, id := range strings.Split(m[1], ",") {
		if id == rule || id == "all" {
			return true
		}
	}
	return false
}

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
			return nil, fmt.Errorf("%s: unknown key `%s` (want disable, enable, failOn, target)", e.KeyPos, e.Key)
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
