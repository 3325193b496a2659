package migrate

import (
	"fmt"
	"strconv"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// persistence turns v0 `persistence` into v1 `artifactsStore` and
// `connections` (migrations.md A.4): the one transform that cannot be said
// as data. The new keys take the place of `persistence`; the old section's
// comments are named in the report.
func (r *run) persistence(a cue.MigrationAction) error {
	p := r.lookup(a.From)
	if p == nil || p.Parent == nil {
		return nil
	}
	if !r.editable(p) || p.Kind != values.MapKind {
		if p.Kind == values.NullKind || (p.Kind == values.MapKind && len(p.Entries) == 0) {
			edits, comments := r.removeEdits([]*values.Node{p}, false)
			if err := r.commit(edits); err != nil {
				return err
			}
			r.change(Change{Action: "drop", From: a.From, Line: r.origLine(p.KeyPos.Line), Message: "empty v0 persistence", Comments: comments})
			return nil
		}
		return r.cannot(p, "convert it to artifactsStore/connections")
	}
	if r.lookup("artifactsStore").Truthy() || r.lookup("connections").Truthy() {
		return r.commit(r.todoEdit(p, "v0 `persistence` must become `artifactsStore` and `connections`, which this file already has: merge them by hand"))
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
			todos = append(todos, fmt.Sprintf("connection `%s` renamed `%s`: names must be unique", name, n))
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
		for _, k := range []string{"hostPath", "existingClaim", "store", "mountPath"} {
			if n.Get(k).Truthy() {
				return true
			}
		}
		return false
	}
	var changes []Change
	conn := func(name string, n *values.Node) omap {
		c, t := connection(name, n)
		todos = append(todos, t...)
		return c
	}
	var outputs, data []*values.Node
	if o := p.Get("outputs"); o != nil {
		for _, e := range o.Live() {
			if configured(e, "") {
				outputs = append(outputs, e)
			}
		}
	}
	if d := p.Get("data"); d != nil {
		for _, e := range d.Live() {
			if configured(e, "") {
				data = append(data, e)
			}
		}
	}
	logs := p.Get("logs")
	if !configured(logs, a.From+".logs") {
		logs = nil
	}
	var store omap
	var storeNode *values.Node
	switch {
	case len(outputs) > 0:
		storeNode = outputs[0]
		store = conn(unique(storeNode.Key), storeNode)
		if len(outputs) > 1 {
			todos = append(todos, fmt.Sprintf("v1 has a single artifactsStore: `%s` was chosen, the other outputs became connections; pick one", storeNode.Key))
		}
		changes = append(changes, Change{Action: "transform", From: storeNode.Path(), To: "artifactsStore", Line: r.origLine(storeNode.KeyPos.Line), Message: "the outputs store became the artifacts store"})
		if logs != nil && !sameBackend(logs, storeNode) {
			todos = append(todos, "v0 logs and outputs used different stores: logs now live in the artifacts store; the v0 logs store is not used")
		}
	case logs != nil:
		storeNode = logs
		store = conn(unique("logs"), logs)
		changes = append(changes, Change{Action: "transform", From: logs.Path(), To: "artifactsStore", Line: r.origLine(logs.KeyPos.Line), Message: "the logs store became the artifacts store (logs, outputs and events live there in v1)"})
	}
	var conns []any
	for _, e := range append(data, outputs...) {
		if e == storeNode {
			continue
		}
		conns = append(conns, conn(unique(e.Key), e))
		changes = append(changes, Change{Action: "transform", From: e.Path(), To: "connections[]", Line: r.origLine(e.KeyPos.Line), Message: "the store became a connection"})
	}
	if repos := p.Get("repos"); configured(repos, a.From+".repos") {
		todos = append(todos, "v0 `persistence.repos` was dropped: git repos are accessed through `kind: git` connections in v1")
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
		Message: "v0 persistence converted (repos and upload dropped: uploads go to the artifacts store, git repos use `kind: git` connections)", Comments: comments})
	for _, c := range changes {
		c.Step = r.stepName()
		r.res.Changes = append(r.res.Changes, c)
	}
	return nil
}

// sameBackend reports whether two v0 entities point at the same storage.
func sameBackend(a, b *values.Node) bool {
	for _, k := range []string{"hostPath", "existingClaim", "store", "bucket"} {
		if !sameValue(a.Get(k).Interface(), b.Get(k).Interface()) {
			return false
		}
	}
	return true
}

// connection converts one v0 persistence entity to a v1 connection.
func connection(name string, n *values.Node) (omap, []string) {
	str := func(k string) string {
		if e := n.Get(k); e != nil && e.Kind == values.StringKind {
			return e.Value.(string)
		}
		if e := n.Get(k); e != nil && e.Kind == values.NumberKind {
			return e.Text()
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
		kind := map[string]string{"s3": "s3", "gcs": "gcs", "azure": "wasb"}[store]
		if kind == "" {
			todos = append(todos, fmt.Sprintf("store `%s` of `%s` is unknown: set the connection kind by hand", store, name))
			kind = store
		}
		c = append(c, kv{"kind", kind})
		schema = append(schema, kv{"bucket", str("bucket")})
		if s := str("secret"); s != "" {
			sec := omap{{"name", s}}
			if kind == "gcs" {
				todos = append(todos, fmt.Sprintf("connection `%s`: mount the GCS key file of secret `%s` (secret.mountPath, e.g. /plx-context/.gc)", name, s))
			}
			c = append(c, kv{"secret", sec})
		}
		if str("secretKey") != "" {
			todos = append(todos, fmt.Sprintf("connection `%s`: v0 `secretKey` has no equivalent; recreate the secret with one key per variable (AWS_*, AZURE_*) or mount the GCS key file", name))
		}
	case str("existingClaim") != "":
		c = append(c, kv{"kind", "volume_claim"})
		schema = append(schema, kv{"volumeClaim", str("existingClaim")}, kv{"mountPath", mount})
	default:
		host := str("hostPath")
		if host == "" {
			host = mount
		}
		c = append(c, kv{"kind", "host_path"})
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
