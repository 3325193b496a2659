// Package glob matches file paths against the globs of `--exclude` and of
// a project configuration (`exclude`, `overrides[].files`): one syntax,
// one implementation.
//
// A glob is a slash-separated list of filepath.Match patterns (`*`, `?`,
// `[...]`, none of which crosses a `/`), matched against a slash-separated
// path relative to a base folder (the configuration's folder; for
// --exclude, the current folder, or the folder a directory walk started
// from). Then:
//
//   - a glob without a `/` matches the name of the file or of any folder
//     above it: `legacy` matches `deploy/legacy/values.yaml`, `*.compose.yaml`
//     matches `a/b/x.compose.yaml`;
//   - a glob with a `/` matches from the start of the path: `deploy/*.yaml`
//     matches `deploy/a.yaml`, not `x/deploy/a.yaml` nor `deploy/v1/a.yaml`;
//   - a `**` segment matches any number of folders, none included:
//     `deploy/**/secret-*.yaml` matches `deploy/secret-a.yaml` and
//     `deploy/v1/eu/secret-a.yaml`;
//   - a glob that matches a folder matches everything inside it:
//     `deploy/legacy` and `k8s/**` match `deploy/legacy/a.yaml` and `k8s/a/b.yaml`;
//   - a leading `./` and a trailing `/` are ignored.
package glob

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// Match reports whether the path p (slash- or OS-separated, relative to
// the glob's base folder) matches glob. A malformed glob matches nothing
// (Check reports it).
func Match(glob, p string) bool {
	glob, p = clean(glob), clean(p)
	if glob == "" {
		return false
	}
	segs := strings.Split(p, "/")
	if !strings.Contains(glob, "/") {
		for _, seg := range segs {
			if ok, _ := path.Match(glob, seg); ok {
				return true
			}
		}
		return false
	}
	return matchSegs(strings.Split(glob, "/"), segs)
}

// Check reports a malformed glob (an unclosed `[`, a trailing `\`).
func Check(glob string) error {
	for _, seg := range strings.Split(clean(glob), "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("glob %q: %w", glob, err)
		}
	}
	if clean(glob) == "" {
		return fmt.Errorf("glob %q: empty", glob)
	}
	return nil
}

func clean(s string) string {
	s = filepath.ToSlash(s)
	if s == "" {
		return ""
	}
	s = path.Clean(s)
	if s == "." {
		return ""
	}
	return strings.TrimPrefix(s, "./")
}

// matchSegs matches the glob's segments against the path's from the
// start; a glob that runs out first has matched a folder of the path.
func matchSegs(glob, p []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(glob[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], p[0]); !ok {
			return false
		}
		glob, p = glob[1:], p[1:]
	}
	return true
}
