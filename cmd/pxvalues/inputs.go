package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/internal/glob"
)

// input is one values file to lint: a path, or standard input.
type input struct {
	name  string
	stdin bool
	// walked: found in a directory or by a glob, not named by the user (a
	// file that is not Polyaxon values is then skipped, not reported)
	walked bool
}

// expandInputs turns the arguments into files: "-" is stdin, a directory
// is searched recursively for *.yaml and *.yml (skipping hidden files and
// folders, which hold .pxvalues.yaml and CI workflows, and a chart's
// Chart.yaml, charts/, templates/ and crds/), a pattern with * ? [ is globbed. A path that does
// not exist is kept, to be reported as unreadable with the others.
func expandInputs(args []string, exclude []string) ([]input, error) {
	var out []input
	seenStdin := false
	for _, a := range args {
		if a == "-" {
			if seenStdin {
				return nil, fmt.Errorf("- (stdin) given twice")
			}
			seenStdin = true
			out = append(out, input{name: "<stdin>", stdin: true})
			continue
		}
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			files, err := walkDir(a, exclude)
			if err != nil {
				return nil, err
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("%s: no *.yaml or *.yml file in this directory", a)
			}
			for _, f := range files {
				out = append(out, input{name: f, walked: true})
			}
			continue
		}
		if strings.ContainsAny(a, "*?[") {
			if _, err := os.Stat(a); err != nil {
				matches, err := filepath.Glob(a)
				if err != nil {
					return nil, fmt.Errorf("%s: no such file, and not a valid pattern: %w", a, err)
				}
				if len(matches) == 0 {
					return nil, fmt.Errorf("%s: no file matches", a)
				}
				for _, m := range matches {
					if !excluded(exclude, "", m) {
						out = append(out, input{name: m, walked: true})
					}
				}
				continue
			}
		}
		out = append(out, input{name: a})
	}
	return out, nil
}

// notValuesDirs are Helm chart folders whose YAML files are not values:
// sub-charts, templates and CRDs.
var notValuesDirs = map[string]bool{"charts": true, "templates": true, "crds": true}

// notValuesFiles are the YAML files of a chart that are not values files.
var notValuesFiles = map[string]bool{"Chart.yaml": true, "Chart.lock": true, "requirements.yaml": true, "requirements.lock": true}

// excluded reports whether an --exclude glob (internal/glob: `**` for any
// folders, a glob without a `/` matching the name of the file or of any
// folder above it, a folder matching what is inside) matches p, relative
// to the folder a directory walk started from (root), or as given.
func excluded(globs []string, root, p string) bool {
	rel := p
	if root != "" {
		if r, err := filepath.Rel(root, p); err == nil {
			rel = r
		}
	}
	for _, g := range globs {
		if glob.Match(g, rel) || glob.Match(g, p) {
			return true
		}
	}
	return false
}

func walkDir(root string, exclude []string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && excluded(exclude, root, p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || notValuesDirs[name]) {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(p); (ext == ".yaml" || ext == ".yml") && !strings.HasPrefix(name, ".") && !notValuesFiles[name] {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// excludeInputs leaves out the inputs an --exclude glob matches (excluded:
// `--exclude legacy` leaves out deploy/legacy/values.yaml). Standard input
// is never left out.
func excludeInputs(inputs []input, patterns []string) ([]input, error) {
	if len(patterns) == 0 {
		return inputs, nil
	}
	for _, p := range patterns {
		if err := glob.Check(p); err != nil {
			return nil, fmt.Errorf("--exclude: %w", err)
		}
	}
	var out []input
	for _, in := range inputs {
		if in.stdin || !excluded(patterns, "", in.name) {
			out = append(out, in)
		}
	}
	return out, nil
}
