package migrate

import (
	"strconv"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/values"
)

// persistence turns v0 `persistence` into v1 `artifactsStore` and
// `connections` (migrations.md A.4): the one transform that cannot be said
// as data. The new keys take the place of `persistence`; the old section's
// comments are named in the report.
func (r *run) persistence(a cue.MigrationAction) error {
	p := r.entry(a.From)
	if p == nil {
		return nil
	}
	pt := &r.m.tables.Persistence
	if !r.editable(p) || p.Kind != values.MapKind {
		if p.Kind == values.NullKind || (p.Kind == values.MapKind && len(p.Entries) == 0) {
			edits, comments := r.removeEdits([]*values.Node{p}, false)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "drop", From: a.From, Line: r.origLine(p.KeyPos.Line), Message: pt.Messages["empty"], Comments: comments})
			return nil
		}
		return r.cannot(p, "convert it to artifactsStore/connections")
	}
	if r.lookup("artifactsStore").Truthy() || r.lookup("connections").Truthy() {
		return r.commit(r.todoEdit(p, pt.Todos["existing"]))
	}
	line := r.origLine(p.KeyPos.Line)
	var todos []string
	used := map[string]bool{}
	unique := func(name string) string {
		n := name
		for i := 2; used[n]; i++ {
			n = name + "-" + strconv.Itoa(i)
		}
		if n != name {
			todos = append(todos, fill(pt.Todos["renamed"], "name", name, "new", n))
		}
		used[n] = true
		return n
	}
	configured := func(n *values.Node, path string) bool {
		if n == nil || n.Kind != values.MapKind {
			return false
		}
		if def, ok := r.oldDefault(split(path)); ok && sameValue(n.Interface(), def) {
			return false
		}
		for _, k := range pt.ConfiguredBy {
			if n.Get(k).Truthy() {
				return true
			}
		}
		return false
	}
	var changes []Change
	conn := func(name string, n *values.Node, section string) omap {
		var defs map[string]any
		if dp, ok := pt.EntityDefaults[section]; ok {
			if d, ok := r.oldDefault(split(dp)); ok {
				defs, _ = d.(map[string]any)
			}
		}
		c, t := connection(pt, name, n, defs)
		todos = append(todos, t...)
		return c
	}
	// entities are the stores of a section: its named entries, or the
	// section itself in the flat layout of 0.1.x (`data: {existingClaim: x}`)
	entities := func(sec *values.Node) []*values.Node {
		if sec == nil || sec.Kind != values.MapKind {
			return nil
		}
		for _, k := range pt.ConfiguredBy {
			if e := sec.Get(k); e != nil && e.Kind != values.MapKind {
				if configured(sec, "") {
					return []*values.Node{sec}
				}
				return nil
			}
		}
		var out []*values.Node
		for _, e := range sec.Live() {
			if configured(e, "") {
				out = append(out, e)
			}
		}
		return out
	}
	outputs, data := entities(p.Get("outputs")), entities(p.Get("data"))
	// converted are the entities that became a connection, and where
	converted := map[*values.Node]string{}
	logs := p.Get("logs")
	if !configured(logs, a.From+".logs") {
		logs = nil
	}
	var store omap
	var storeNode *values.Node
	switch {
	case len(outputs) > 0:
		storeNode = outputs[0]
		store = conn(unique(storeNode.Key), storeNode, "outputs")
		converted[storeNode] = "artifactsStore"
		if len(outputs) > 1 {
			todos = append(todos, fill(pt.Todos["severalOutputs"], "name", storeNode.Key))
		}
		changes = append(changes, Change{Action: "transform", From: storeNode.Path(), To: "artifactsStore", Line: r.origLine(storeNode.KeyPos.Line), Message: pt.Messages["outputsStore"]})
	case logs != nil:
		storeNode = logs
		store = conn(unique("logs"), logs, "logs")
		converted[logs] = "artifactsStore"
		changes = append(changes, Change{Action: "transform", From: logs.Path(), To: "artifactsStore", Line: r.origLine(logs.KeyPos.Line), Message: pt.Messages["logsStore"]})
	}
	var conns []any
	if logs != nil && storeNode != logs && !sameBackend(pt, logs, storeNode) {
		// the user's logs stay reachable: a connection, and a TODO
		name := unique("logs")
		conns = append(conns, conn(name, logs, "logs"))
		converted[logs] = "connections (" + name + ")"
		todos = append(todos, fill(pt.Todos["logsElsewhere"], "name", storeNode.Key, "logs", name))
		changes = append(changes, Change{Action: "transform", From: logs.Path(), To: "connections[]", Line: r.origLine(logs.KeyPos.Line), Message: pt.Messages["logsConn"]})
	}
	for _, e := range append(data, outputs...) {
		if e == storeNode {
			continue
		}
		name := unique(e.Key)
		conns = append(conns, conn(name, e, e.Parent.Key))
		converted[e] = "connections (" + name + ")"
		changes = append(changes, Change{Action: "transform", From: e.Path(), To: "connections[]", Line: r.origLine(e.KeyPos.Line), Message: pt.Messages["connection"]})
	}
	if repos := p.Get("repos"); configured(repos, a.From+".repos") {
		// the repos volume holds the users' code: kept reachable as a
		// connection, and handed to a human (v1 reads git repos through
		// `kind: git` connections)
		name := unique("repos")
		conns = append(conns, conn(name, repos, "repos"))
		converted[repos] = "connections (" + name + ")"
		todos = append(todos, fill(pt.Todos["repos"], "name", name))
		changes = append(changes, Change{Action: "transform", From: repos.Path(), To: "connections[]", Line: r.origLine(repos.KeyPos.Line), Message: pt.Messages["reposConn"]})
	}
	// the keys a connection carries are transformed; any other key of the
	// section is left to the ledger (dropped when it is a default)
	for e, to := range converted {
		for _, k := range pt.Carried {
			c := e.Get(k)
			switch {
			case c == nil:
			case pt.Todos[k] != "" && c.Truthy():
				// no connection key holds it: the TODO the conversion
				// wrote hands it to a human
				r.ledgerTodo(c.Segments(), fill(pt.Todos[k], "name", e.Key), "")
			default:
				r.ledgerPending(c.Segments(), Fate{Fate: FateTransformed, To: to, Reason: pt.Messages["converted"]}, "")
			}
		}
	}
	var b string
	unit := indentUnit(r.doc.Root)
	for i, t := range todos {
		todos[i] = oneLine(t)
		if store == nil && len(conns) == 0 {
			b += TodoMarker + standalone(a.From, todos[i]) + "\n"
		} else {
			b += TodoMarker + todos[i] + "\n"
		}
		r.todos = append(r.todos, Todo{Path: "artifactsStore", Message: todos[i]})
	}
	if store != nil {
		b += block("artifactsStore", store, unit)
	}
	if len(conns) > 0 {
		b += block("connections", conns, unit)
	}
	// the comments above `persistence` stay above what replaces it
	edits, comments := r.removeEdits([]*values.Node{p}, false)
	if b != "" {
		edits[0].Start = r.doc.LineStart(p.KeyPos.Line)
		comments = commentsIn(r.doc, p.KeyPos.Line, p.EndLine)
	}
	edits[0].NewText = reindent(b, p.KeyPos.Column-1)
	if err := r.commit(edits); err != nil {
		return err
	}
	r.change(Change{Action: "transform", From: a.From, To: "artifactsStore, connections", Line: line,
		Message: pt.Messages["converted"], Comments: comments})
	for _, c := range changes {
		c.Step = r.stepName()
		r.res.Changes = append(r.res.Changes, c)
	}
	return nil
}

// sameBackend reports whether two v0 entities point at the same storage.
func sameBackend(pt *cue.PersistenceTables, a, b *values.Node) bool {
	for _, k := range pt.SameBackendBy {
		if !sameValue(a.Get(k).Interface(), b.Get(k).Interface()) {
			return false
		}
	}
	return true
}

// fill replaces the {placeholders} of a table text: fill(t, "name", v, ...)
// (message.Fill: control characters in arguments escaped).
func fill(tmpl string, kv ...string) string {
	args := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		args[kv[i]] = kv[i+1]
	}
	return message.Fill(tmpl, args, nil)
}

// connection converts one v0 persistence entity to a v1 connection; the
// keys it leaves out take the values of defs (the chart defaults Helm
// merged into it), when there are any.
func connection(pt *cue.PersistenceTables, name string, n *values.Node, defs map[string]any) (omap, []string) {
	str := func(k string) string {
		if e := n.Get(k); e != nil && e.Kind == values.StringKind && e.Value.(string) != "" {
			return e.Value.(string)
		}
		if e := n.Get(k); e != nil && e.Kind == values.NumberKind {
			return e.Text()
		}
		if e := n.Get(k); e == nil || e.Kind == values.NullKind || e.Kind == values.StringKind {
			if d, ok := defs[k].(string); ok {
				return d
			}
		}
		return ""
	}
	var todos []string
	c := omap{{"name", name}}
	schema := omap{}
	mount, sub := str("mountPath"), str("subPath")
	ro := n.Get("readOnly")
	switch store := str("store"); {
	case store != "":
		kind := pt.StoreKinds[store]
		if kind == "" {
			todos = append(todos, fill(pt.Todos["unknownStore"], "store", store, "name", name))
			kind = store
		}
		c = append(c, kv{"kind", kind})
		schema = append(schema, kv{"bucket", str("bucket")})
		if s := str("secret"); s != "" {
			sec := omap{{"name", s}}
			if kind == "gcs" {
				todos = append(todos, fill(pt.Todos["gcsSecret"], "name", name, "secret", s))
			}
			c = append(c, kv{"secret", sec})
		}
		if str("secretKey") != "" {
			todos = append(todos, fill(pt.Todos["secretKey"], "name", name))
		}
	case str("existingClaim") != "":
		c = append(c, kv{"kind", pt.ClaimKind})
		schema = append(schema, kv{"volumeClaim", str("existingClaim")})
		if mount != "" {
			schema = append(schema, kv{"mountPath", mount})
		} else {
			todos = append(todos, fill(pt.Todos["noMountPath"], "name", name))
		}
	default:
		host := str("hostPath")
		if host == "" {
			host = mount
		}
		if mount == "" {
			mount = host
		}
		c = append(c, kv{"kind", pt.HostPathKind})
		schema = append(schema, kv{"hostPath", host}, kv{"mountPath", mount})
	}
	if sub != "" {
		schema = append(schema, kv{"subPath", sub})
	}
	if ro != nil && ro.Kind == values.BoolKind {
		schema = append(schema, kv{"readOnly", ro.Value})
	}
	c = append(c[:2], append(omap{{"schema", schema}}, c[2:]...)...)
	return c, todos
}
