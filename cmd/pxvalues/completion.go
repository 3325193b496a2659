package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// completionCmd describes one subcommand for the completion scripts.
type completionCmd struct {
	name  string
	flags *pflag.FlagSet // nil: no flags
	// values are the choices of flags that take one of a fixed set.
	values map[string][]string
	// args completes positional arguments: "files", or a fixed list.
	args []string
}

// completionFlag is one flag as the scripts see it.
type completionFlag struct {
	long, short string
	takesValue  bool
	values      []string
}

func (c completionCmd) flagList() []completionFlag {
	var out []completionFlag
	if c.flags == nil {
		return out
	}
	c.flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		out = append(out, completionFlag{long: f.Name, short: f.Shorthand, takesValue: f.NoOptDefVal == "" && f.Value.Type() != "bool", values: c.values[f.Name]})
	})
	out = append(out, completionFlag{long: "help", short: "h"})
	sort.Slice(out, func(i, j int) bool { return out[i].long < out[j].long })
	return out
}

// completionShells are the shells `pxvalues completion` writes for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// completionScript returns the completion script of shell for cmds.
func completionScript(shell string, cmds []completionCmd) (string, error) {
	switch shell {
	case "bash":
		return bashCompletion(cmds), nil
	case "zsh":
		return "#compdef pxvalues\n# zsh completion for pxvalues: source it, or put it in a folder of $fpath as _pxvalues.\n" +
			"autoload -U +X bashcompinit && bashcompinit\n" + bashCompletion(cmds), nil
	case "fish":
		return fishCompletion(cmds), nil
	case "powershell":
		return powershellCompletion(cmds), nil
	}
	return "", fmt.Errorf("unknown shell %q (want %s)", shell, strings.Join(completionShells, ", "))
}

func cmdNames(cmds []completionCmd) string {
	var n []string
	for _, c := range cmds {
		n = append(n, c.name)
	}
	return strings.Join(n, " ")
}

func bashCompletion(cmds []completionCmd) string {
	var b strings.Builder
	b.WriteString(`# bash completion for pxvalues: source <(pxvalues completion bash)
_pxvalues() {
  local cur prev cmd
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev=""
  if [ "$COMP_CWORD" -gt 0 ]; then prev="${COMP_WORDS[COMP_CWORD-1]}"; fi
  cmd="${COMP_WORDS[1]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -le 1 ]; then
    COMPREPLY=($(compgen -W "` + cmdNames(cmds) + ` --help --version" -- "$cur"))
    return 0
  fi
  case "$cmd" in
`)
	for _, c := range cmds {
		fl := c.flagList()
		var names []string
		fmt.Fprintf(&b, "    %s)\n      case \"$prev\" in\n", c.name)
		for _, f := range fl {
			names = append(names, "--"+f.long)
			if f.short != "" {
				names = append(names, "-"+f.short)
			}
			if !f.takesValue {
				continue
			}
			pat := "--" + f.long
			if f.short != "" {
				pat += "|-" + f.short
			}
			if len(f.values) > 0 {
				fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return 0 ;;\n", pat, strings.Join(f.values, " "))
			} else {
				fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -f -- \"$cur\")); return 0 ;;\n", pat)
			}
		}
		b.WriteString("      esac\n")
		fmt.Fprintf(&b, "      if [[ \"$cur\" == -* ]]; then\n        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(names, " "))
		switch {
		case len(c.args) == 1 && c.args[0] == "files":
			b.WriteString("      else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n")
		case len(c.args) > 0:
			fmt.Fprintf(&b, "      else\n        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(c.args, " "))
		}
		b.WriteString("      fi\n      ;;\n")
	}
	b.WriteString("  esac\n  return 0\n}\ncomplete -o default -F _pxvalues pxvalues\n")
	return b.String()
}

func fishCompletion(cmds []completionCmd) string {
	var b strings.Builder
	b.WriteString("# fish completion for pxvalues: pxvalues completion fish | source\ncomplete -c pxvalues -f\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c pxvalues -n __fish_use_subcommand -a %s\n", c.name)
	}
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		for _, f := range c.flagList() {
			line := fmt.Sprintf("complete -c pxvalues -n '%s' -l %s", cond, f.long)
			if f.short != "" {
				line += " -s " + f.short
			}
			switch {
			case len(f.values) > 0:
				line += fmt.Sprintf(" -x -a '%s'", strings.Join(f.values, " "))
			case f.takesValue:
				line += " -r -F"
			}
			b.WriteString(line + "\n")
		}
		switch {
		case len(c.args) == 1 && c.args[0] == "files":
			fmt.Fprintf(&b, "complete -c pxvalues -n '%s' -F\n", cond)
		case len(c.args) > 0:
			fmt.Fprintf(&b, "complete -c pxvalues -n '%s' -x -a '%s'\n", cond, strings.Join(c.args, " "))
		}
	}
	return b.String()
}

func powershellCompletion(cmds []completionCmd) string {
	var b strings.Builder
	b.WriteString("# PowerShell completion for pxvalues: pxvalues completion powershell | Out-String | Invoke-Expression\n")
	b.WriteString("Register-ArgumentCompleter -Native -CommandName pxvalues -ScriptBlock {\n")
	b.WriteString("  param($wordToComplete, $commandAst, $cursorPosition)\n")
	b.WriteString("  $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })\n")
	b.WriteString("  $flags = @{\n")
	for _, c := range cmds {
		var names []string
		for _, f := range c.flagList() {
			names = append(names, "'--"+f.long+"'")
		}
		names = append(names, quoteAll(c.args)...)
		fmt.Fprintf(&b, "    '%s' = @(%s)\n", c.name, strings.Join(names, ", "))
	}
	b.WriteString("  }\n")
	fmt.Fprintf(&b, "  $candidates = @(%s)\n", strings.Join(quoteAll(strings.Fields(cmdNames(cmds))), ", "))
	b.WriteString("  if ($words.Count -gt 1 -and $flags.ContainsKey($words[1]) -and ($words.Count -gt 2 -or $wordToComplete -eq '')) { $candidates = $flags[$words[1]] }\n")
	b.WriteString("  $candidates | Where-Object { $_ -like \"$wordToComplete*\" -and $_ -ne 'files' } | ForEach-Object {\n")
	b.WriteString("    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n  }\n}\n")
	return b.String()
}

func quoteAll(s []string) []string {
	var out []string
	for _, x := range s {
		out = append(out, "'"+x+"'")
	}
	return out
}
