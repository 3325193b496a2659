package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// An umbrella chart's values file holds Polyaxon's values under one
// top-level key (`polyaxon:`) beside other charts' sections. The migration
// of such a file migrates that section alone: its body is cut out and
// dedented into a values file of its own, migrated as any file, then
// indented back in place. Every edit, TODO and added key therefore lands
// inside the section; the lines around it (other charts' sections, their
// comments) stay byte for byte; and the report's lines are shifted back to
// the file's own.

// section is the block map under one top-level key of a file.
type section struct {
	key string
	// first and last are the lines of the map's body in the file (those
	// after the key's line); indent is the column of its keys (0-based).
	first, last, indent int
}

// findSection finds the section under key in doc and returns it with its
// body dedented; ok is false when doc has no such key.
func findSection(doc *values.Document, key string) (s section, body []byte, ok bool, err error) {
	n := doc.Root.Get(key)
	if n == nil {
		return s, nil, false, nil
	}
	if n.Kind != values.MapKind || n.Alias || n.Pos.Line <= n.KeyPos.Line || n.EndLine <= n.KeyPos.Line {
		return s, nil, true, fmt.Errorf("%s: `%s` holds Polyaxon's values but is not a map in block style (one key a line, indented under `%s:`): write it so, then migrate", n.KeyPos, key, key)
	}
	s = section{key: key, first: n.KeyPos.Line + 1, last: n.EndLine, indent: -1}
	for _, e := range n.Entries {
		if !e.Merged && e.KeyPos.Line >= s.first && (s.indent < 0 || e.KeyPos.Column-1 < s.indent) {
			s.indent = e.KeyPos.Column - 1
		}
	}
	if s.indent <= 0 {
		return s, nil, true, fmt.Errorf("%s: `%s` holds Polyaxon's values but its keys are not indented under it: migrate it by hand", n.KeyPos, key)
	}
	// blank lines and less indented comments at the end belong to what
	// follows (a header above the next section)
	for s.last > s.first {
		t := doc.LineText(s.last)
		trim := strings.TrimLeft(t, " \t")
		if trim != "" && (!strings.HasPrefix(trim, "#") || len(t)-len(trim) >= s.indent) {
			break
		}
		s.last--
	}
	var b bytes.Buffer
	for l := s.first; l <= s.last; l++ {
		line := doc.Src[doc.LineStart(l):doc.LineStart(l+1)]
		t := strings.TrimLeft(doc.LineText(l), " \t")
		if t != "" && !strings.HasPrefix(t, "#") && len(line)-len(bytes.TrimLeft(line, " ")) < s.indent {
			return s, nil, true, fmt.Errorf("%s:%d: a line of `%s` is less indented than its keys: migrate it by hand", doc.Name, l, key)
		}
		b.Write(dedent(line, s.indent))
	}
	return s, b.Bytes(), true, nil
}

// dedent removes up to n leading spaces of line.
func dedent(line []byte, n int) []byte {
	i := 0
	for i < n && i < len(line) && line[i] == ' ' {
		i++
	}
	return line[i:]
}

// splice puts the migrated body (res, the migration of the section's body)
// back into file, and turns res into the result of the whole file: lines
// the migration kept are the file's own bytes, lines it wrote are indented
// to the section's keys, and every line number is the file's.
func (s section) splice(file *values.Document, res *Result, lim values.Limits) error {
	off := s.first - 1
	in := file.Src
	var body bytes.Buffer
	var bodyMap []int
	pad := strings.Repeat(" ", s.indent)
	for j, line := range lines(res.Output) {
		i := 0
		if j < len(res.LineMap) {
			i = res.LineMap[j]
		}
		if i > 0 {
			orig := file.Src[file.LineStart(off+i):file.LineStart(off+i+1)]
			if bytes.Equal(dedent(orig, s.indent), []byte(line)) {
				body.Write(orig) // as it was, to the byte
				bodyMap = append(bodyMap, off+i)
				continue
			}
		}
		if strings.TrimSpace(line) != "" {
			body.WriteString(pad)
		}
		body.WriteString(line)
		if i > 0 {
			i += off
		}
		bodyMap = append(bodyMap, i)
	}
	rest := in[file.LineStart(s.last+1):]
	if len(rest) > 0 && body.Len() > 0 && !bytes.HasSuffix(body.Bytes(), []byte("\n")) {
		if crlf(in) {
			body.WriteString("\r")
		}
		body.WriteString("\n")
	}
	out := append(append(append([]byte(nil), in[:file.LineStart(s.first)]...), body.Bytes()...), rest...)
	lineMap := make([]int, 0, len(bodyMap)+file.Lines())
	for l := 1; l < s.first; l++ {
		lineMap = append(lineMap, l)
	}
	lineMap = append(lineMap, bodyMap...)
	for l := s.last + 1; l <= file.Lines() && file.LineStart(l) < len(in); l++ {
		lineMap = append(lineMap, l)
	}
	doc, err := values.Load(file.Name, out, lim)
	if err != nil {
		return fmt.Errorf("internal error: the umbrella file with its migrated `%s` section does not parse: %w", s.key, err)
	}
	if n := doc.Root.Get(s.key); n == nil || n.Kind != values.MapKind {
		return fmt.Errorf("internal error: the migrated `%s` section is not a map", s.key)
	}
	res.ValuesIn, res.ValuesOut = res.Input, res.Output
	res.Path, res.Input, res.Output, res.LineMap, res.ValuesPath = file.Name, in, out, lineMap, s.key
	touched := make(map[int]bool, len(res.Touched))
	for l, t := range res.Touched {
		touched[l+off] = t
	}
	res.Touched = touched
	for i := range res.Changes {
		if res.Changes[i].Line > 0 {
			res.Changes[i].Line += off
		}
	}
	for i := range res.Todos {
		if res.Todos[i].Line > 0 {
			res.Todos[i].Line += off
		}
	}
	for i := range res.Leaves {
		if res.Leaves[i].Line > 0 {
			res.Leaves[i].Line += off
		}
	}
	return nil
}

// lines splits src after each line feed.
func lines(src []byte) []string {
	ls := strings.SplitAfter(string(src), "\n")
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// migrateUmbrella migrates the Polyaxon section under key of each layer
// (umbrella charts' values files): the layers without that key keep their
// text, the others are migrated together as the layers of one release.
func (m *Migrator) migrateUmbrella(docs []*values.Document, sets *LayerSets, opts Options, key string) ([]*Result, error) {
	lim := limits(opts)
	out := make([]*Result, len(docs))
	var subs []*values.Document
	var secs []section
	var at, offs []int
	for i, doc := range docs {
		s, body, ok, err := findSection(doc, key)
		if err != nil {
			return nil, err
		}
		if !ok {
			out[i] = &Result{Path: doc.Name, Input: doc.Src, Output: doc.Src, ValuesPath: key, Touched: map[int]bool{}, Changes: []Change{}, Todos: []Todo{}, Leaves: []Fate{}}
			continue
		}
		sub, err := values.Load(doc.Name, body, lim)
		if err != nil {
			if strings.Contains(err.Error(), "unknown anchor") {
				return nil, fmt.Errorf("%w: the `%s` section uses an anchor defined outside it; the section is migrated alone: copy the anchored values into it, or migrate it by hand", shiftError(err, s), key)
			}
			return nil, fmt.Errorf("the `%s` section: %w", key, shiftError(err, s))
		}
		subs, secs, at, offs = append(subs, sub), append(secs, s), append(at, i), append(offs, s.first-1)
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("%s: no `%s` key holds Polyaxon's values here (given with --values-path or the configuration's valuesPath?)", strings.Join(names(docs), values.LayerSep), key)
	}
	var subSets *LayerSets
	if sets != nil {
		ss, err := sectionSets(sets.Sets, key)
		if err != nil {
			return nil, err
		}
		subSets = &LayerSets{Sets: ss, ReadFile: sets.ReadFile}
	}
	o := opts
	o.ValuesPath = "."
	rs, err := m.migrateDocs(subs, offs, subSets, o)
	if err != nil {
		return nil, err
	}
	for j, res := range rs {
		if err := secs[j].splice(docs[at[j]], res, lim); err != nil {
			return nil, fmt.Errorf("%s: %w", docs[at[j]].Name, err)
		}
		out[at[j]] = res
	}
	for _, r := range out {
		r.Chart, r.From, r.To = rs[0].Chart, rs[0].From, rs[0].To
	}
	return out, nil
}

func names(docs []*values.Document) []string {
	var ns []string
	for _, d := range docs {
		ns = append(ns, d.Name)
	}
	return ns
}

// shiftError turns a position in a section's dedented body into the
// file's.
func shiftError(err error, s section) error {
	var ve *values.Error
	if errors.As(err, &ve) && ve.Pos.Line > 0 {
		shifted := *ve
		shifted.Pos.Line += s.first - 1
		shifted.Pos.Column += s.indent
		return &shifted
	}
	return err
}

// sectionSets returns the --set flags that reach under key, with key's
// segment removed (`--set polyaxon.gateway.replicas=2` becomes
// `gateway.replicas=2`); flags about other charts' keys are left out, as
// they do not reach Polyaxon's values.
func sectionSets(sets []values.Set, key string) ([]values.Set, error) {
	prefix := key + "."
	var out []values.Set
	for _, s := range sets {
		var parts []string
		if s.Kind == values.SetValue || s.Kind == values.SetString {
			parts = splitAssignments(s.Expr)
		} else {
			parts = []string{s.Expr} // one key=value, the value verbatim
		}
		var kept []string
		for _, p := range parts {
			k, v, _ := strings.Cut(p, "=")
			switch {
			case strings.HasPrefix(k, prefix):
				kept = append(kept, strings.TrimPrefix(k, prefix)+"="+v)
			case k == key || strings.HasPrefix(k, key+"["):
				return nil, fmt.Errorf("%s %s: sets the whole `%s` section; give its keys (%s.KEY=...) to migrate with it", s.Kind.Flag(), k, key, key)
			}
			if s.Kind == values.SetJSON && strings.HasPrefix(k, prefix) && !json.Valid([]byte(v)) {
				return nil, fmt.Errorf("%s %s: give one key=JSON per flag to migrate an umbrella chart's values", s.Kind.Flag(), k)
			}
		}
		if len(kept) > 0 {
			out = append(out, values.Set{Kind: s.Kind, Expr: strings.Join(kept, ",")})
		}
	}
	return out, nil
}

// splitAssignments splits a --set argument at the commas that separate its
// key=value pairs (not those escaped, nor those inside a {a,b} list).
func splitAssignments(expr string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, expr[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, expr[start:])
}
