package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/internal/buildinfo"
)

var versionHelp = helpText{
	usage: "pxvalues version [--format text|json]",
	description: "Prints the version of pxvalues from the build information Go embeds: the module\n" +
		"version (a release tag, a pseudo-version for a commit, or (devel) for a source build),\n" +
		"the VCS revision and time when the build recorded them, the Go version and platform.",
	examples: []string{
		"pxvalues version",
		"pxvalues version --format json | jq -r .version",
	},
}

func newVersionFlagSet(form *string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pxvalues version", pflag.ContinueOnError)
	fs.StringVar(form, "format", "text", "output: text or json")
	return fs
}

func cmdVersion(e *env, args []string) int {
	var form string
	fs := newVersionFlagSet(&form)
	if done, code := parseFlags(e, fs, "version", versionHelp, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageLine(e, "version", fmt.Sprintf("takes no argument, got %q", fs.Arg(0)))
	}
	info := buildinfo.Read()
	switch form {
	case "text":
		fmt.Fprintln(e.stdout, info.String())
	case "json":
		b, err := json.MarshalIndent(info, "", "  ")
		if err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
	default:
		return usageLine(e, "version", fmt.Sprintf("--format %q: want text or json", form))
	}
	return exitOK
}

// toolVersion is the version the reports carry (SARIF, JSON).
func toolVersion() string { return buildinfo.Read().Version }
