package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/suggest"
)

var rulesHelp = helpText{
	usage:       "pxvalues rules",
	description: "Lists every rule: id, severity (opt-in rules are off by default), category, the charts and\nmajor versions it applies to, whether `pxvalues lint --fix` fixes it, and what it finds.",
	examples:    []string{"pxvalues rules", "pxvalues rules | grep upgrade", "pxvalues explain unknown-key"},
}

var explainHelp = helpText{
	usage: "pxvalues explain RULE",
	description: "Prints a rule's page: what it finds and why it matters, a bad and a good example, how to\n" +
		"turn it on and off, how to suppress it, and whether --fix fixes it.",
	examples: []string{"pxvalues explain unknown-key", "pxvalues explain upgrade-renamed"},
}

func cmdRules(e *env, args []string) int {
	fs := pflag.NewFlagSet("pxvalues rules", pflag.ContinueOnError)
	if done, code := parseFlags(e, fs, "rules", rulesHelp, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageLine(e, "rules", fmt.Sprintf("takes no argument, got %q (for one rule: pxvalues explain %s)", fs.Arg(0), fs.Arg(0)))
	}
	rules, err := cue.New().Rules()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tCATEGORY\tAPPLIES TO\tFIX\tSUMMARY")
	for _, r := range rules.All() {
		sev := r.Severity
		if !r.Enabled {
			sev += " (opt-in)"
		}
		fix := "-"
		if r.Fixable {
			fix = "fix"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, sev, r.Category, strings.Join(r.Charts, ",")+" "+strings.Join(r.Majors, ","), fix, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return exitUsage
	}
	return exitOK
}

func cmdExplain(e *env, args []string) int {
	fs := pflag.NewFlagSet("pxvalues explain", pflag.ContinueOnError)
	if done, code := parseFlags(e, fs, "explain", explainHelp, args); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageLine(e, "explain", "name one rule id (see pxvalues rules)")
	}
	args = fs.Args()
	rules, err := cue.New().Rules()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	r := rules.Get(args[0])
	if r == nil {
		var ids []string
		for _, x := range rules.All() {
			ids = append(ids, x.ID)
		}
		msg := fmt.Sprintf("unknown rule %q", args[0])
		if best := suggest.Closest(args[0], ids); best != "" {
			msg += fmt.Sprintf("; did you mean %q?", best)
		}
		return usageLine(e, "explain", msg)
	}
	fmt.Fprint(e.stdout, explainPage(r))
	return exitOK
}

// explainPage is a rule's documentation: what it finds, where it applies,
// a bad and a good example (both tested), how to switch it on and off,
// suppress it, and whether --fix fixes it.
func explainPage(r *cue.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Category, r.Summary, strings.TrimSpace(r.Doc))
	if r.Polyaxon != "" {
		fmt.Fprintf(&b, "\nPolyaxon's own validator says:\n    %s\n", r.Polyaxon)
	}
	fmt.Fprintf(&b, "\nApplies to: %s, %s\n", strings.Join(r.Charts, ", "), strings.Join(r.Majors, ", "))
	flags := ""
	if len(r.ExampleFlags) > 0 {
		flags = ", with " + strings.Join(r.ExampleFlags, " ")
	}
	fmt.Fprintf(&b, "\nBad (%s %s%s):\n%s\n\nGood:\n%s\n", r.ExampleChart, r.ExampleMajor, flags, indent(r.Bad), indent(r.Good))
	b.WriteString("\n" + switchText(r) + "\n")
	if r.Fixable {
		b.WriteString("\nFix: `pxvalues lint --fix` applies its fix where one is safe (`--fix --diff` to preview).\n")
	}
	return b.String()
}

// switchText says how to turn a rule on and off and how to suppress it.
func switchText(r *cue.Rule) string {
	id := r.ID
	var lines []string
	switch {
	case id == ruleid.ParseError:
		return "On/off: always on: a file pxvalues cannot read is an error (exit code 2).\nSuppress: not possible."
	case !r.Enabled:
		on := "`--enable " + id + "`"
		if len(r.ExampleFlags) > 0 && r.ExampleFlags[0] != "--enable" {
			on += " or `" + strings.Join(r.ExampleFlags, " ") + "`"
		}
		lines = append(lines, "On/off: off by default. Turn it on with "+on+", or `enable: ["+id+"]` in .pxvalues.yaml; `--disable "+id+"` wins.")
	default:
		lines = append(lines, "On/off: on by default. Turn it off with `--disable "+id+"`, or `disable: ["+id+"]` in .pxvalues.yaml.")
	}
	if len(r.Targets) > 0 {
		lines = append(lines, "It runs only with `--target "+strings.Join(r.Targets, "` or `--target ")+"`.")
	}
	if len(r.ExampleFlags) > 1 && r.ExampleFlags[0] == "--chart-dir" {
		lines = append(lines, "It runs only with `--chart-dir DIR|TGZ`.")
	}
	if strings.HasPrefix(id, "ignore-") {
		lines = append(lines, "Suppress: not with a comment (it is about the comments); turn it off instead.")
	} else {
		lines = append(lines, "Suppress: `# pxvalues:ignore "+id+" REASON` on the finding's line or alone on the line above;\n"+
			"`# pxvalues:ignore-file "+id+" REASON` for the whole file.")
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
