package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// Decision is what a migration did on purpose to one key of the old
// values: handed it to a human (a `# PXVALUES-TODO:` comment), or dropped
// or changed it for a stated reason. A difference that a decision's key
// controls is the decision's doing: it is listed with the decision, not
// as a failure (a TODO's as handed to a human, the others as intended).
type Decision struct {
	// Key is the key in the old values, NewKey in the migrated values
	// ("" when the key is not there).
	Key    string `json:"key,omitempty"`
	NewKey string `json:"newKey,omitempty"`
	// Todo: the migration hands the key to a human.
	Todo bool `json:"todo"`
	// Why is the migration's reason or the TODO's text.
	Why string `json:"why"`
	// File and Line say where the decision stands: the TODO comment in
	// the migrated file, or the old key in the old file.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// where is the decision's place for a reader ("file:line (key)").
func (d Decision) where() string {
	key := d.Key
	if key == "" {
		key = d.NewKey
	}
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d (%s)", d.File, d.Line, key)
	}
	return fmt.Sprintf("%s (%s)", d.File, key)
}

// TodoDecisions reads the decisions a migrated file states: each
// `# PXVALUES-TODO:` comment (what `pxvalues migrate` writes) hands a key
// to a human: the key it names in brackets (`[key] text`, a TODO about a
// key that is gone), else the key on the next line below it.
func TodoDecisions(f File) ([]Decision, error) {
	doc, err := values.Load(f.Name, f.Data, values.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name, err)
	}
	byLine := map[int]string{}
	// lines that may be inside a multi-line scalar, with the key's column:
	// such a line indented past the key is the scalar's text, not a comment
	content := map[int]int{}
	last := 0
	doc.Root.Walk(func(n *values.Node) bool {
		if n.Parent != nil && n.Index < 0 && n.KeyPos.Line > 0 {
			if _, ok := byLine[n.KeyPos.Line]; !ok {
				byLine[n.KeyPos.Line] = n.Path()
			}
			last = max(last, n.KeyPos.Line)
		}
		if n.Kind != values.MapKind && n.Kind != values.ListKind && n.EndLine > n.Pos.Line {
			col := n.KeyPos.Column
			if n.Index >= 0 || col == 0 {
				col = n.Pos.Column
			}
			for l := n.Pos.Line + 1; l <= n.EndLine; l++ {
				content[l] = col
			}
		}
		return true
	})
	var out []Decision
	for i, text := range strings.Split(string(f.Data), "\n") {
		line := i + 1
		rest, ok := strings.CutPrefix(strings.TrimSpace(text), "# PXVALUES-TODO:")
		if col, in := content[line]; !ok || (in && len(text)-len(strings.TrimLeft(text, " \t")) >= col) {
			continue
		}
		rest = strings.TrimSpace(rest)
		key := ""
		if strings.HasPrefix(rest, "[") {
			// `[path] text`: the path may hold brackets itself
			// (`[connections[0].schema]`, `[a["b.c"]]`)
			k, why, ok := strings.Cut(rest[1:], "] ")
			if !ok && strings.HasSuffix(rest, "]") {
				k, why, ok = rest[1:len(rest)-1], "", true
			}
			if ok {
				key, rest = k, strings.TrimSpace(why)
			}
		} else {
			for l := line + 1; l <= last && key == ""; l++ {
				key = byLine[l]
			}
		}
		if key != "" {
			out = append(out, Decision{Key: key, NewKey: key, Todo: true, Why: rest, File: f.Name, Line: line})
		}
	}
	return out, nil
}

// uniqueDecisions drops repeated decisions (the same keys and kind).
func uniqueDecisions(ds []Decision) []Decision {
	var out []Decision
	for _, d := range ds {
		if !slices.ContainsFunc(out, func(e Decision) bool { return e.Key == d.Key && e.NewKey == d.NewKey && e.Todo == d.Todo }) {
			out = append(out, d)
		}
	}
	return out
}

// MigrationDecisions are the decisions a migration reports: each setting
// of the input it hands to a human, and each it dropped or transformed
// for a stated reason. oldName and newName are the names the verification
// gives the input and the migrated file (a TODO is found at its comment).
func MigrationDecisions(res *migrate.Result, oldName, newName string) []Decision {
	var out []Decision
	for _, f := range res.Leaves {
		why, also := f.Reason, []string(nil)
		if f.Fate == migrate.FateTransformed {
			msg, to := transformOf(res.Changes, f.Path)
			if why == "" {
				why = msg
			}
			also = to
		}
		switch {
		case f.Fate == migrate.FateTodo:
		case (f.Fate == migrate.FateDropped || f.Fate == migrate.FateTransformed) && why != "":
		default:
			continue
		}
		d := Decision{Key: f.Path, Todo: f.Fate == migrate.FateTodo, Why: why, File: oldName, Line: f.Line}
		if f.Fate != migrate.FateDropped {
			d.NewKey = f.To
		}
		if d.Todo {
			if t := todoFor(res.Todos, f.Path, f.To); t != nil {
				d.File, d.Line = newName, t.Line
				if strings.HasPrefix(d.Why, "a # PXVALUES-TODO") || strings.HasPrefix(d.Why, "the TODO at") {
					d.Why = t.Message
				}
			}
		}
		out = append(out, d)
		// A transform that also wrote other keys (host:port split into
		// host and port) decided them too.
		for _, to := range also {
			if to != d.NewKey {
				e := d
				e.NewKey = to
				out = append(out, e)
			}
		}
	}
	// A TODO about a key the migration kept or transformed.
	for _, t := range res.Todos {
		if slices.ContainsFunc(out, func(d Decision) bool { return d.Todo && (d.Key == t.Path || d.NewKey == t.Path) }) {
			continue // a leaf's TODO, above
		}
		out = append(out, Decision{Key: t.Path, NewKey: t.Path, Todo: true, Why: t.Message, File: newName, Line: t.Line})
	}
	return out
}

// transformOf is the message of the transform that changed path and the
// keys it wrote.
func transformOf(changes []migrate.Change, path string) (string, []string) {
	for _, c := range changes {
		if c.Action == "transform" && c.From == path {
			var to []string
			for _, k := range strings.Split(c.To, ",") {
				if k = strings.TrimSpace(k); k != "" {
					to = append(to, k)
				}
			}
			return c.Message, to
		}
	}
	return "", nil
}

// todoFor is the TODO about path or to, or about the nearest section
// holding one of them.
func todoFor(todos []migrate.Todo, path, to string) *migrate.Todo {
	var best *migrate.Todo
	for i := range todos {
		t := &todos[i]
		for _, p := range []string{path, to} {
			if p != "" && (p == t.Path || strings.HasPrefix(p, t.Path+".")) && (best == nil || len(t.Path) > len(best.Path)) {
				best = t
			}
		}
	}
	return best
}
