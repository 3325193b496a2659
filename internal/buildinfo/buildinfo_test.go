package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFrom(t *testing.T) {
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "pxvalues (devel) " + Read().GoVersion + " linux/amd64"},
		{"go install of a tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/pxvalues/pxvalues", Version: "v0.1.0"}},
			"pxvalues v0.1.0 go1.26.8 linux/amd64"},
		{"a tagged release build", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/pxvalues/pxvalues", Version: "v0.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0a9cb6512c0ffee0a9cb6512c0ffee0a9cb65120"}, {Key: "vcs.time", Value: "2026-12-04T15:52:29Z"}, {Key: "vcs.modified", Value: "false"}}},
			"pxvalues v0.2.0 (commit 0a9cb6512c0f, 2026-12-04T15:52:29Z) go1.26.8 linux/amd64"},
		{"a source build with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/pxvalues/pxvalues", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			"pxvalues (devel) (commit abc, modified) go1.26.8 linux/amd64"},
	} {
		if got := From(tc.bi, "linux/amd64").String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
