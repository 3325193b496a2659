package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
)

// cmdSchema prints the schema of a chart and major: a draft-07 JSON Schema
// (a chart's values.schema.json, a yaml-language-server $schema target) or
// the CUE definition.
func cmdSchema(e *env, args []string) int {
	var chart, major, form, target string
	fs := pflag.NewFlagSet("pxvalues schema", pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&chart, "chart", "", "chart: platform or agent (required)")
	fs.StringVar(&major, "major", "", "major version: v0, v1 or v2 (default: the chart's newest)")
	fs.StringVar(&form, "format", "jsonschema", "output: jsonschema (draft-07) or cue")
	fs.StringVar(&target, "target", cue.TargetHelm, "what must accept the files the schema accepts: helm, or polyaxon-cli (leaves out the keys polyaxon admin deploy rejects)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: pxvalues schema --chart platform|agent [--major v0|v1|v2] [--format jsonschema|cue] [--target helm|polyaxon-cli]\n\n"+
			"Prints the schema on stdout, e.g. as a chart's values.schema.json or a\n"+
			"`# yaml-language-server: $schema=FILE` target.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageError(e, fmt.Errorf("schema takes no argument, got %q", strings.Join(fs.Args(), " ")))
	}
	majors := cue.Majors(chart)
	if len(majors) == 0 {
		return usageError(e, fmt.Errorf("--chart %q: want %s", chart, strings.Join(cue.Charts(), " or ")))
	}
	if major == "" {
		major = majors[len(majors)-1]
	}
	if !cue.ValidTarget(chart, major) {
		return usageError(e, fmt.Errorf("--major %q: the %s chart has %s", major, chart, strings.Join(majors, ", ")))
	}
	if target != cue.TargetHelm && target != cue.TargetPolyaxonCLI {
		return usageError(e, fmt.Errorf("--target %q: want %s or %s", target, cue.TargetHelm, cue.TargetPolyaxonCLI))
	}
	cat := cue.New()
	opts := cue.ExportOptions{Target: target}
	var out []byte
	var err error
	switch form {
	case "jsonschema", "json":
		out, err = cat.JSONSchema(chart, major, opts)
	case "cue":
		out, err = cat.ExportCUE(chart, major, opts)
	default:
		return usageError(e, fmt.Errorf("--format %q: want jsonschema or cue", form))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
		return exitUsage
	}
	if _, err := e.stdout.Write(out); err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: writing output: %v\n", err)
		return exitUsage
	}
	return exitOK
}
