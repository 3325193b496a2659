package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint/format"
)

var completionHelp = helpText{
	usage: "pxvalues completion bash|zsh|fish|powershell",
	description: "Prints a script that completes pxvalues' commands, flags, flag values and rule ids\n" +
		"in the shell.",
	examples: []string{
		"source <(pxvalues completion bash)                               # bash, this session",
		"pxvalues completion bash > /etc/bash_completion.d/pxvalues       # bash, for good",
		"pxvalues completion zsh > \"${fpath[1]}/_pxvalues\"                # zsh",
		"pxvalues completion fish > ~/.config/fish/completions/pxvalues.fish",
		"pxvalues completion powershell | Out-String | Invoke-Expression  # PowerShell",
	},
}

func cmdCompletion(e *env, args []string) int {
	fs := pflag.NewFlagSet("pxvalues completion", pflag.ContinueOnError)
	if done, code := parseFlags(e, fs, "completion", completionHelp, args); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageLine(e, "completion", "name one shell: "+strings.Join(completionShells, ", "))
	}
	script, err := completionScript(fs.Arg(0), completionCmds(e))
	if err != nil {
		return usageLine(e, "completion", err.Error())
	}
	fmt.Fprint(e.stdout, script)
	return exitOK
}

// completionCmds describes every command with its real flag set.
func completionCmds(e *env) []completionCmd {
	var ids []string
	if rules, err := cue.New().Rules(); err == nil {
		for _, r := range rules.All() {
			ids = append(ids, r.ID)
		}
	}
	severities := []string{"error", "warning", "info"}
	values := map[string][]string{
		"format":       format.Names(),
		"color":        {"auto", "always", "never"},
		"fail-on":      append(append([]string(nil), severities...), "never"),
		"min-severity": severities,
		"chart":        cue.Charts(),
		"major":        {"v0", "v1", "v2"},
		"target":       {cue.TargetHelm, cue.TargetPolyaxonCLI},
		"enable":       ids,
		"disable":      ids,
		"upgrade-to":   {"v1", "v2"},
		"to":           {"v1", "v2"},
		"from":         {"auto", "v0", "v1", "v2"},
		"report":       {"text", "json"},
	}
	var lf lintFlags
	var mf migrateFlags
	var sf schemaFlags
	var vf string
	schemaValues := map[string][]string{"chart": cue.Charts(), "major": {"v0", "v1", "v2"}, "format": {"jsonschema", "cue"}, "target": values["target"]}
	return []completionCmd{
		{name: "lint", flags: newLintFlagSet(e, &lf), values: values, args: []string{"files"}},
		{name: "migrate", flags: newMigrateFlagSet(e, &mf), values: values, args: []string{"files"}},
		{name: "rules"},
		{name: "explain", args: ids},
		{name: "schema", flags: newSchemaFlagSet(&sf), values: schemaValues},
		{name: "completion", args: completionShells},
		{name: "version", flags: newVersionFlagSet(&vf), values: map[string][]string{"format": {"text", "json"}}},
		{name: "help", args: []string{"lint", "migrate", "rules", "explain", "schema", "completion", "version"}},
	}
}
