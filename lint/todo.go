package lint

import (
	"bytes"
	"strings"

	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/values"
)

// todoMarker starts the comments `pxvalues migrate` leaves for a human.
const todoMarker = "PXVALUES-TODO"

// checkTodos reports every `# PXVALUES-TODO` comment of the document (of
// each layer of a merged one): rule migration-todo.
func (r *run) checkTodos() {
	docs := r.doc.Layers
	if len(docs) == 0 {
		docs = []*values.Document{r.doc}
	}
	for _, d := range docs {
		if !bytes.Contains(d.Src, []byte(todoMarker)) {
			continue
		}
		keyBelow := map[int]string{}
		if d.Root != nil {
			d.Root.Walk(func(n *values.Node) bool {
				for l := n.StartLine; n.KeyPos.Line > 0 && l > 0 && l <= n.KeyPos.Line; l++ {
					keyBelow[l] = n.Path() // head comments, and a trailing one
				}
				return true
			})
		}
		for l := 1; l <= d.Lines(); l++ {
			text := d.LineText(l)
			i := strings.Index(text, "#")
			if i < 0 || !strings.Contains(text[i:], todoMarker) {
				continue
			}
			c := strings.TrimSpace(text[i:])
			if !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(c, "#")), todoMarker) {
				continue
			}
			todo := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(c, "#")), todoMarker))
			todo = strings.TrimSpace(strings.TrimPrefix(todo, ":"))
			path := keyBelow[l]
			if p, rest, ok := strings.Cut(todo, "] "); ok && strings.HasPrefix(p, "[") && !strings.Contains(p, " ") {
				path, todo = p[1:], rest
			}
			if todo == "" {
				todo = "a `# PXVALUES-TODO` comment remains"
			}
			r.report(ruleid.MigrationTodo, values.Pos{File: d.Name, Line: l, Column: i + 1, Offset: d.LineStart(l) + i}, path, map[string]string{"todo": todo})
		}
	}
}
