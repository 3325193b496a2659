package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/lint"
)

// ruleFlags are the lint flags of the semantic rules: opt-in checks,
// upgrade readiness and the project configuration file.
type ruleFlags struct {
	redundant bool
	next      bool
	upgradeTo string
	config    string
}

func addRuleFlags(fs *pflag.FlagSet, f *ruleFlags) {
	fs.BoolVar(&f.redundant, "redundant", false, "also report values equal to the chart default (rule redundant-value)")
	fs.BoolVar(&f.next, "next", false, "report every key the next major version removes, renames or changes")
	fs.StringVar(&f.upgradeTo, "upgrade-to", "", "like --next, up to this major version: v1 or v2")
	fs.StringVar(&f.config, "config", "", "project configuration file (default: the nearest "+lint.ConfigName+" above each values file)")
}

// fileSetup is the options and --fail-on of one input after its project
// configuration is applied.
type fileSetup struct {
	opts   lint.Options
	failOn lint.Severity
	// excluded: a walked file an `exclude` glob of its configuration names
	excluded bool
}

// setup applies the rule flags and each input's project configuration
// (flags given on the command line win) to the base options.
func (f *ruleFlags) setup(l *lint.Linter, inputs []input, base lint.Options, failOn lint.Severity, changed func(string) bool) ([]fileSetup, error) {
	if f.next && f.upgradeTo != "" {
		return nil, fmt.Errorf("--next and --upgrade-to are exclusive")
	}
	switch f.upgradeTo {
	case "", "v1", "v2":
	default:
		return nil, fmt.Errorf("--upgrade-to %q: want v1 or v2", f.upgradeTo)
	}
	base.Redundant = f.redundant
	base.UpgradeTo = f.upgradeTo
	if f.next {
		base.UpgradeTo = "next"
	}
	var explicit *lint.Config
	if f.config != "" {
		c, err := lint.LoadConfig(f.config)
		if err != nil {
			return nil, err
		}
		explicit = c
	}
	cache := map[string]*lint.Config{}
	out := make([]fileSetup, len(inputs))
	for i, in := range inputs {
		c := explicit
		if c == nil {
			dir := "."
			if in.name != "" && !in.stdin {
				dir = filepath.Dir(in.name)
			}
			var ok bool
			if c, ok = cache[dir]; !ok {
				path, err := lint.FindConfig(dir)
				if err != nil {
					return nil, err
				}
				if path != "" {
					if c, err = lint.LoadConfig(path); err != nil {
						return nil, err
					}
				}
				cache[dir] = c
			}
		}
		s := fileSetup{opts: base, failOn: failOn}
		if c != nil {
			if err := applyConfig(l, c, &s, changed); err != nil {
				return nil, err
			}
			applyPins(c, in, &s, changed)
		}
		out[i] = s
	}
	return out, nil
}

// applyPins applies the chart, major and values path a configuration pins
// for the input (flags win), and its exclude globs to a walked input.
func applyPins(c *lint.Config, in input, s *fileSetup, changed func(string) bool) {
	if in.stdin {
		return
	}
	chart, major, vp := c.PinsFor(in.name)
	if chart != "" && !changed("chart") {
		s.opts.Chart = chart
	}
	if major != "" && !changed("major") {
		s.opts.Major = major
	}
	if vp != "" && !changed("values-path") {
		s.opts.ValuesPath = vp
	}
	s.excluded = in.walked && c.Excluded(in.name)
}

// applyConfig merges a project configuration under the command line: its
// rule lists add to the flags' (a flag naming the same rule wins), its
// failOn and target apply unless the flag was given.
func applyConfig(l *lint.Linter, c *lint.Config, s *fileSetup, changed func(string) bool) error {
	for _, id := range append(append([]string(nil), c.Enable...), c.Disable...) {
		if l.Rules().Get(id) == nil {
			return fmt.Errorf("%s: unknown rule %q (see pxvalues rules)", c.Path, id)
		}
	}
	flagged := map[string]bool{}
	for _, id := range append(append([]string(nil), s.opts.Enable...), s.opts.Disable...) {
		flagged[id] = true
	}
	enable := append([]string(nil), s.opts.Enable...)
	disable := append([]string(nil), s.opts.Disable...)
	for _, id := range c.Enable {
		if !flagged[id] {
			enable = append(enable, id)
		}
	}
	for _, id := range c.Disable {
		if !flagged[id] {
			disable = append(disable, id)
		}
	}
	s.opts.Enable, s.opts.Disable = enable, disable
	if c.FailOn != "" && !changed("fail-on") {
		fo, err := parseFailOn(c.FailOn)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Path, err)
		}
		s.failOn = fo
	}
	if c.Target != "" && !changed("target") {
		s.opts.Target = c.Target
	}
	return nil
}
