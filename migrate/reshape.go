package migrate

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/values"
)

// toList rewrites the map at a.From as the one-item list of the later
// form (`tls: {enabled: true, secretName: x}` -> `tls: [{secretName: x}]`),
// with the keys of a.Keys that are set, in that order. The other keys of
// the map (`enabled`, which the list form says by being there) go with it.
func (r *run) toList(a cue.MigrationAction) error {
	n := r.entry(a.From)
	if n == nil || n.Kind != values.MapKind {
		return nil
	}
	if !r.editable(n) {
		return r.cannot(n, "rewrite it as a list")
	}
	item := omap{}
	for _, k := range a.Keys {
		if e := n.Get(k); e != nil && e.Kind != values.NullKind {
			item = append(item, kv{k, nodeValue(e)})
		}
	}
	if len(item) == 0 {
		return nil
	}
	var b []byte
	text := block(n.Key, []any{item}, indentUnit(r.doc.Root))
	b = append(b, reindent(text, n.KeyPos.Column-1)...)
	line := r.origLine(n.KeyPos.Line)
	start, end := r.doc.LineStart(n.KeyPos.Line), r.doc.LineStart(r.ownEnd(n)+1)
	comments := commentsIn(r.doc, n.KeyPos.Line, r.ownEnd(n))
	segs := n.Segments()
	if err := r.commit([]values.Edit{{Start: start, End: end, NewText: string(b)}}); err != nil {
		return err
	}
	r.change(Change{Action: "transform", From: a.From, To: a.From + "[0]", Line: line, Message: a.Message, Comments: comments})
	r.ledgerPending(segs, Fate{Fate: FateTransformed, To: a.From + "[0]", Reason: a.Message}, "")
	return nil
}

// hostPortRe splits `host:port` (an IPv6 address in brackets).
var hostPortRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([^:\[\]\s]+|\[[0-9a-fA-F:.]+\]):([0-9]{1,5})$`) })

// hostPort splits a `host:port` value at a.From into the host and the port
// at a.To (a sibling key), which the charts read apart: the chart would
// append its own port to the whole string.
func (r *run) hostPort(a cue.MigrationAction) error {
	n := r.lookup(a.From)
	if n == nil || n.Kind != values.StringKind {
		return nil
	}
	m := hostPortRe().FindStringSubmatch(n.Value.(string))
	if m == nil {
		return nil
	}
	port, err := strconv.Atoi(m[2])
	if err != nil || port < 1 || port > 65535 {
		return nil
	}
	if !r.editable(n) {
		return r.cannot(n, "split host and port")
	}
	if p := r.lookup(a.To); p != nil && p.Kind != values.NullKind && !sameValue(p.Interface(), port) {
		return r.commit(r.todoEdit(n, fmt.Sprintf("`%s` holds port %d but `%s` says %s: keep one port, and only the host here", a.From, port, a.To, p.Text())))
	}
	host := m[1]
	end, ok := scalarEnd(r.doc, n)
	if !ok {
		return r.cannot(n, "split host and port")
	}
	edits := []values.Edit{{Start: n.Pos.Offset, End: end, NewText: scalarText(host)}}
	if p := r.lookup(a.To); p == nil || p.Kind == values.NullKind {
		ts := split(a.To)
		if p != nil {
			if s, e, ok := r.nullToken(p); ok {
				edits = append(edits, values.Edit{Start: s, End: e, NewText: strconv.Itoa(port)})
			}
		} else if parent := r.lookup(joinSegs(ts[:len(ts)-1])); parent != nil && parent == n.Parent {
			off := r.doc.LineStart(n.EndLine + 1)
			edits = append(edits, values.Edit{Start: off, End: off, NewText: spaces(n.KeyPos.Column-1) + keyText(ts[len(ts)-1]) + ": " + strconv.Itoa(port) + "\n"})
		} else {
			return r.commit(r.todoEdit(n, fmt.Sprintf("`%s` holds port %d: set `%s` and keep only the host here", a.From, port, a.To)))
		}
	}
	line := r.origLine(n.KeyPos.Line)
	if err := r.commit(edits); err != nil {
		return err
	}
	r.change(Change{Action: "transform", From: a.From, To: a.From + ", " + a.To, Line: line, Message: a.Message})
	return nil
}

func joinSegs(segs []string) string {
	out := ""
	for i, s := range segs {
		if i > 0 {
			out += "."
		}
		out += s
	}
	return out
}
