package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
)

// cmdSchema prints the schema of a chart and major: a draft-07 JSON Schema
// (a chart's values.schema.json, a yaml-language-server $schema target) or
// the CUE definition.
// schemaFlags are the flags of `pxvalues schema`.
type schemaFlags struct {
	chart, major, form, target string
}

var schemaHelp = helpText{
	usage: "pxvalues schema --chart platform|agent [--major v0|v1|v2] [--format jsonschema|cue] [--target helm|polyaxon-cli]",
	description: "Prints the schema of a chart's major version on stdout: a draft-07 JSON Schema (every key\n" +
		"with its release range, default and, for the keys operators set most, what it is for), usable\n" +
		"as a chart's values.schema.json or a `# yaml-language-server: $schema=FILE` target; or the\n" +
		"CUE definition, for `cue vet`.",
	examples: []string{
		"pxvalues schema --chart platform > values.schema.json",
		"pxvalues schema --chart agent --major v1 --target polyaxon-cli",
		"pxvalues schema --chart platform --format cue > platform.cue && cue vet -d '#PlatformV2' platform.cue values.yaml",
	},
}

func newSchemaFlagSet(f *schemaFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pxvalues schema", pflag.ContinueOnError)
	fs.StringVar(&f.chart, "chart", "", "chart: platform or agent (required)")
	fs.StringVar(&f.major, "major", "", "major version: v0, v1 or v2 (default: the chart's newest)")
	fs.StringVar(&f.form, "format", "jsonschema", "output: jsonschema (draft-07) or cue")
	fs.StringVar(&f.target, "target", cue.TargetHelm, "what must accept the files the schema accepts: helm, or polyaxon-cli (leaves out the keys polyaxon admin deploy rejects)")
	return fs
}

func cmdSchema(e *env, args []string) int {
	var f schemaFlags
	fs := newSchemaFlagSet(&f)
	if done, code := parseFlags(e, fs, "schema", schemaHelp, args); done {
		return code
	}
	chart, major, form, target := f.chart, f.major, f.form, f.target
	if fs.NArg() > 0 {
		return usageLine(e, "schema", fmt.Sprintf("takes no argument, got %q", strings.Join(fs.Args(), " ")))
	}
	if chart == "" {
		return usageLine(e, "schema", "--chart is required: platform or agent")
	}
	majors := cue.Majors(chart)
	if len(majors) == 0 {
		return usageLine(e, "schema", fmt.Sprintf("--chart %q: want %s", chart, strings.Join(cue.Charts(), " or ")))
	}
	if major == "" {
		major = majors[len(majors)-1]
	}
	if !cue.ValidTarget(chart, major) {
		return usageLine(e, "schema", fmt.Sprintf("--major %q: the %s chart has %s", major, chart, strings.Join(majors, ", ")))
	}
	if target != cue.TargetHelm && target != cue.TargetPolyaxonCLI {
		return usageLine(e, "schema", fmt.Sprintf("--target %q: want %s or %s", target, cue.TargetHelm, cue.TargetPolyaxonCLI))
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
		return usageLine(e, "schema", fmt.Sprintf("--format %q: want jsonschema or cue", form))
	}
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	if _, err := e.stdout.Write(out); err != nil {
		e.errorf("writing output: %v", err)
		return exitUsage
	}
	return exitOK
}
