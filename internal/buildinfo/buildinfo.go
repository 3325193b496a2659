// Package buildinfo says which pxvalues is running, from the build
// information the Go toolchain embeds: module version (a release tag for
// `go install ...@v0.1.0` and tagged builds, a pseudo-version for a commit,
// "(devel)" for a source build), VCS revision and time, Go version.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Info identifies a build.
type Info struct {
	// Module is the main module's path.
	Module string `json:"module"`
	// Version is the module version, or "(devel)".
	Version string `json:"version"`
	// Revision and Time are the VCS commit and its time, when the build
	// recorded them.
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	// Modified says the working tree had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"goVersion"`
	// Platform is GOOS/GOARCH.
	Platform string `json:"platform"`
}

// Read returns the running binary's Info.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return From(bi, runtime.GOOS+"/"+runtime.GOARCH)
}

// From reads Info out of bi (nil when the binary has none).
func From(bi *debug.BuildInfo, platform string) Info {
	info := Info{Module: "github.com/pxvalues/pxvalues", Version: "(devel)", GoVersion: runtime.Version(), Platform: platform}
	if bi == nil {
		return info
	}
	if bi.Main.Path != "" {
		info.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		info.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// String is the one-line form: `pxvalues v0.1.0 (commit 0a9cb65, 2026-11-28T11:23:00Z) go1.26.8 linux/amd64`.
func (i Info) String() string {
	var b strings.Builder
	b.WriteString("pxvalues ")
	b.WriteString(i.Version)
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		b.WriteString(" (commit " + rev)
		if i.Modified {
			b.WriteString(", modified")
		}
		if i.Time != "" {
			b.WriteString(", " + i.Time)
		}
		b.WriteString(")")
	}
	b.WriteString(" " + i.GoVersion + " " + i.Platform)
	return b.String()
}

// Short is the version alone, as tools report it (SARIF's driver version).
func (i Info) Short() string { return i.Version }
