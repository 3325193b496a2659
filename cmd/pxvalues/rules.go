package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/pxvalues/pxvalues/cue"
)

func cmdRules(e *env, args []string) int {
	if len(args) > 0 {
		return usageError(e, fmt.Errorf("rules takes no argument"))
	}
	rules, err := cue.New().Rules()
	if err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
		return exitUsage
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tCATEGORY\tAPPLIES TO\tSUMMARY")
	for _, r := range rules.All() {
		sev := r.Severity
		if !r.Enabled {
			sev += " (opt-in)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, sev, r.Category, strings.Join(r.Charts, ",")+" "+strings.Join(r.Majors, ","), r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return exitUsage
	}
	return exitOK
}

func cmdExplain(e *env, args []string) int {
	if len(args) != 1 {
		return usageError(e, fmt.Errorf("usage: pxvalues explain RULE"))
	}
	rules, err := cue.New().Rules()
	if err != nil {
		fmt.Fprintf(e.stderr, "pxvalues: %v\n", err)
		return exitUsage
	}
	r := rules.Get(args[0])
	if r == nil {
		return usageError(e, fmt.Errorf("unknown rule %q (see pxvalues rules)", args[0]))
	}
	w := e.stdout
	fmt.Fprintf(w, "%s (%s, %s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Category, r.Summary, strings.TrimSpace(r.Doc))
	if r.Polyaxon != "" {
		fmt.Fprintf(w, "\nPolyaxon's own validator says:\n    %s\n", r.Polyaxon)
	}
	fmt.Fprintf(w, "\nApplies to: %s, %s\n", strings.Join(r.Charts, ", "), strings.Join(r.Majors, ", "))
	fmt.Fprintf(w, "\nBad (%s %s):\n%s\n\nGood:\n%s\n", r.ExampleChart, r.ExampleMajor, indent(r.Bad), indent(r.Good))
	if !r.Enabled {
		fmt.Fprintf(w, "\nThis rule is off by default: --enable %s\n", r.ID)
	}
	return exitOK
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
