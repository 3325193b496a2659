// Package migrate rewrites a Polyaxon values file from one major version to
// a newer one (platform v0 -> v1 -> v2, agent v1 -> v2).
//
// The rules are data: cue/migrate/<chart>_<from>_<to>.cue lists, per step,
// ordered actions of a few generic verbs (rename, merge, drop, set, todo,
// note, images, and named transforms for what data cannot say). This
// package is the one engine that reads them. Every action becomes
// values.Edits on the bytes of the file as it stands (byte ranges from the
// parser's positions), so lines the migration does not touch stay byte
// identical, a renamed key changes only its key token, and a moved subtree
// travels with its head comments. After each action the text is parsed
// again, so the next action sees fresh positions.
package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

// TodoMarker starts every comment the migration leaves for a human.
const TodoMarker = "# PXVALUES-TODO: "

// Options select a migration.
type Options struct {
	// Chart is "platform" or "agent"; "" detects it.
	Chart string
	// From is the major of the input ("v0", "v1"); "" or "auto" detects it.
	From string
	// To is the target major ("v1" or "v2").
	To string
	// KeepCelery keeps the celery scheduler (and its broker) on in v1+.
	KeepCelery bool
	// Limits bound the parsing of the input (zero: values.DefaultLimits).
	Limits values.Limits
}

// Change is one thing the migration did (or reports).
type Change struct {
	// Action is what happened: rename, move, drop, set, transform, todo,
	// note, conflict, drop-default-image.
	Action string `json:"action"`
	// From is the old path, To the new one.
	From string `json:"from"`
	To   string `json:"to"`
	// Line is the line of From in the input (0 when the key was written by
	// an earlier step, or for a note about a default).
	Line int `json:"line"`
	// Message says why.
	Message string `json:"message"`
	// Comments are the comments removed with a dropped key.
	Comments []string `json:"comments,omitempty"`
	// Step is the migration step ("v0->v1").
	Step string `json:"step"`
}

// Todo is a decision left to a human, marked in the output by a
// `# PXVALUES-TODO:` comment.
type Todo struct {
	// Path is the key the TODO is about.
	Path string `json:"path"`
	// Line is the TODO comment's line in the output.
	Line int `json:"line"`
	// Message is the TODO text.
	Message string `json:"message"`
}

// Result is the migration of one file.
type Result struct {
	Path    string   `json:"path"`
	Chart   string   `json:"chart"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Changes []Change `json:"changes"`
	Todos   []Todo   `json:"todos"`
	// Input and Output are the file before and after.
	Input  []byte `json:"-"`
	Output []byte `json:"-"`
	// LineMap gives, for each output line (index line-1), the input line it
	// was copied from, or 0 for a line the migration wrote.
	LineMap []int `json:"-"`
	// Touched lists the input lines an edit changed or removed.
	Touched map[int]bool `json:"-"`
}

// Changed reports whether the output differs from the input.
func (r *Result) Changed() bool { return !bytes.Equal(r.Input, r.Output) }

// Migrator applies the migration steps of the catalog. It holds only
// read-only compiled data and is safe for concurrent use.
type Migrator struct {
	cat     *cue.Catalog
	steps   map[string]*cue.MigrationStep
	detect  *cue.DetectRules
	secrets cue.Secrets
	tables  *cue.MigrationTables
	sub     map[string]bool
}

// New compiles the migration steps of cat.
func New(cat *cue.Catalog) (*Migrator, error) {
	steps, err := cat.MigrationSteps()
	if err != nil {
		return nil, err
	}
	for name, st := range steps {
		for i, a := range st.Actions {
			for _, c := range a.When {
				if err := c.Compile([]string{"keepCelery"}); err != nil {
					return nil, fmt.Errorf("migration step %s action %d: %w", name, i, err)
				}
			}
		}
	}
	det, err := cat.DetectRules()
	if err != nil {
		return nil, err
	}
	sec, err := cat.Secrets()
	if err != nil {
		return nil, err
	}
	tab, err := cat.MigrationTables()
	if err != nil {
		return nil, err
	}
	sub := map[string]bool{}
	for _, s := range tab.Subcharts {
		sub[s] = true
	}
	return &Migrator{cat: cat, steps: steps, detect: det, secrets: sec, tables: tab, sub: sub}, nil
}

// Migrate migrates src (named name in messages) as opts say. A file already
// at the target major comes back unchanged.
func (m *Migrator) Migrate(name string, src []byte, opts Options) (*Result, error) {
	doc, err := values.Load(name, src, limits(opts))
	if err != nil {
		return nil, err
	}
	return m.MigrateDocument(doc, opts)
}

func limits(opts Options) values.Limits {
	if opts.Limits.MaxBytes == 0 {
		return values.DefaultLimits()
	}
	return opts.Limits
}

// MigrateDocument migrates an already parsed document (its Name and Src
// are the input's), so that a caller that read it does not parse it twice.
// The migration edits doc: the caller must not use it afterwards.
func (m *Migrator) MigrateDocument(doc *values.Document, opts Options) (*Result, error) {
	name, src, lim := doc.Name, doc.Src, limits(opts)
	from := opts.From
	if from == "auto" {
		from = ""
	}
	det := cue.Detect(doc, m.detect, opts.Chart, from)
	chart, from := det.Chart, det.Major
	if !cue.ValidTarget(chart, from) {
		return nil, fmt.Errorf("%s: cannot tell the chart and major version (use --chart and --from)", name)
	}
	if !cue.ValidTarget(chart, opts.To) {
		return nil, fmt.Errorf("%s: chart %s has no major %s", name, chart, opts.To)
	}
	ms := cue.Majors(chart)
	fi, ti := indexOf(ms, from), indexOf(ms, opts.To)
	if fi > ti {
		return nil, fmt.Errorf("%s: the file is %s %s; migrating down to %s is not supported", name, chart, from, opts.To)
	}
	res := &Result{Path: name, Chart: chart, From: from, To: opts.To, Input: src, Touched: map[int]bool{}, Changes: []Change{}, Todos: []Todo{}}
	orig := make([]int, doc.Lines())
	for i := range orig {
		orig[i] = i + 1
	}
	r := &run{m: m, opts: opts, lim: lim, doc: doc, orig: orig, res: res}
	for i := fi; i < ti; i++ {
		key := chart + "/" + ms[i] + "->" + ms[i+1]
		st := m.steps[key]
		if st == nil {
			return nil, fmt.Errorf("no migration step %s in cue/migrate", key)
		}
		old, err := m.cat.Schema(chart, ms[i])
		if err != nil {
			return nil, err
		}
		r.step, r.old = st, old
		r.olds = nil
		for j := 0; j <= i; j++ {
			s, err := m.cat.Schema(chart, ms[j])
			if err != nil {
				return nil, err
			}
			r.olds = append(r.olds, s)
		}
		if i == fi {
			if err := r.guard(r.expand, "", true); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := r.guard(r.blockify, "", false); err != nil {
			return nil, fmt.Errorf("%s: step %s: %w", name, key, err)
		}
		for _, a := range st.Actions {
			a := a
			path := a.From
			if path == "" {
				path = a.To
			}
			if err := r.guard(func() error { return r.apply(a) }, path, true); err != nil {
				return nil, fmt.Errorf("%s: step %s, %s %s: %w", name, key, a.Action, a.From+a.To, err)
			}
		}
	}
	if fi < ti {
		if err := r.guard(r.tidy, "", false); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	res.Output = r.doc.Src
	res.LineMap = r.orig
	r.collectTodos()
	return res, nil
}

// run is the state of one migration of one file.
type run struct {
	m    *Migrator
	opts Options
	lim  values.Limits
	step *cue.MigrationStep
	old  *cue.Schema
	// olds are the schemas of every major up to the step's source: a value
	// equal to any of their defaults is not the user's choice.
	olds []*cue.Schema
	doc  *values.Document
	// orig[i] is the input line of current line i+1 (0: written by us).
	orig []int
	res  *Result
	// todos are the TODOs written (or found already written).
	todos []Todo
	// failed are the paths a rule could not rewrite (a TODO at the top of
	// the file says so): later drops keep them, so that no data is lost.
	failed []string
}

// blocked reports whether path is, contains or is inside a path a rule
// could not rewrite.
func (r *run) blocked(path string) bool {
	for _, f := range r.failed {
		if f == "." || f == path || strings.HasPrefix(f, path+".") || strings.HasPrefix(path, f+".") {
			return true
		}
	}
	return false
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func split(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

func (r *run) lookup(path string) *values.Node {
	if path == "" {
		return r.doc.Root
	}
	return r.doc.Root.Lookup(split(path)...)
}

func (r *run) stepName() string { return r.step.From + "->" + r.step.To }

func (r *run) origLine(line int) int {
	if line < 1 || line > len(r.orig) {
		return 0
	}
	return r.orig[line-1]
}

func (r *run) change(c Change) {
	c.Step = r.stepName()
	r.res.Changes = append(r.res.Changes, c)
}

// oldDefault returns the old chart's default at path, and whether there is one.
func (r *run) oldDefault(segs []string) (any, bool) {
	return defaultAt(r.old, segs)
}

func defaultAt(s *cue.Schema, segs []string) (any, bool) { return cond.Get(s.Defaults, segs) }

// isCustom reports whether n differs from the defaults of the old charts
// (the step's source major and the majors before it).
func (r *run) isCustom(n *values.Node) bool {
	found := false
	for _, s := range r.olds {
		def, ok := defaultAt(s, n.Segments())
		if !ok {
			continue
		}
		found = true
		if sameValue(n.Interface(), def) {
			return false
		}
	}
	if !found {
		return n.Truthy()
	}
	return true
}

// sameValue compares Helm values, numbers by value, null equal to empty.
func sameValue(a, b any) bool { return cond.SameValue(a, b) }

// normalize reads v as Helm does, empties as null (cond.Normalize).
func normalize(v any) any { return cond.Normalize(v) }

// Default is not read by the migration steps' conditions (cond.Env).
func (r *run) Default([]string) (any, bool) { return nil, false }

// HelmTarget reports true: a migrated file is read by Helm (cond.Env).
func (r *run) HelmTarget() bool { return true }

// Custom reports whether n's value is the user's choice (cond.Env).
func (r *run) Custom(n *values.Node) bool { return r.isCustom(n) }

// Flag reports whether an engine option is on (cond.Env).
func (r *run) Flag(name string) bool { return name == "keepCelery" && r.opts.KeepCelery }

// apply runs one action.
func (r *run) apply(a cue.MigrationAction) error {
	if !cond.All(a.When, r.doc.Root, r) {
		return nil
	}
	switch a.Action {
	case "images":
		return r.images(a)
	case "rename":
		return r.rename(a, a.From, a.To)
	case "merge":
		for _, k := range a.Keys {
			if err := r.rename(a, a.From+"."+k, a.To+"."+k); err != nil {
				return err
			}
		}
		return nil
	case "drop":
		return r.drop(a)
	case "set":
		return r.set(a)
	case "todo":
		return r.todoAction(a)
	case "obsolete":
		return r.obsolete(a)
	case "note":
		r.change(Change{Action: "note", From: a.From, Message: a.Message})
		return nil
	case "transform":
		switch a.Name {
		case "persistence":
			return r.persistence(a)
		}
		return fmt.Errorf("unknown transform %q", a.Name)
	}
	return fmt.Errorf("unknown action %q", a.Action)
}

// commit applies edits to the current text and parses it again.
func (r *run) commit(edits []values.Edit) error {
	if len(edits) == 0 {
		return nil
	}
	old := r.doc
	if crlf(old.Src) {
		// a Windows file stays one: what we write uses its line endings
		for i := range edits {
			edits[i].NewText = strings.ReplaceAll(strings.ReplaceAll(edits[i].NewText, "\r\n", "\n"), "\n", "\r\n")
		}
	}
	src, err := values.ApplyEdits(old.Src, edits)
	if err != nil {
		return fmt.Errorf("internal error: %w", err)
	}
	for _, e := range edits {
		if e.Start == e.End && (e.Start == 0 || old.Src[e.Start-1] == '\n') {
			continue // a pure insertion at a line start touches no line
		}
		first := old.PosAt(e.Start).Line
		last := first
		if e.End > e.Start {
			last = old.PosAt(e.End - 1).Line
		}
		for l := first; l <= last; l++ {
			if o := r.origLine(l); o > 0 {
				r.res.Touched[o] = true
			}
		}
	}
	r.orig = remapLines(old, r.orig, edits, src)
	doc, err := values.Load(old.Name, src, r.lim)
	if err != nil {
		return fmt.Errorf("%w: %v", errUnparsable, err)
	}
	r.doc = doc
	return nil
}

// errUnparsable is returned by commit when an edit would leave text that
// does not parse (a YAML construct the engine does not rewrite correctly);
// guard then undoes the action and leaves a TODO instead.
var errUnparsable = errors.New("the migrated text does not parse")

// snapshot is the state of a run before an action, to undo it.
type snapshot struct {
	doc            *values.Document
	orig           []int
	touched        map[int]bool
	changes, todos int
}

func (r *run) save() snapshot {
	t := make(map[int]bool, len(r.res.Touched))
	for k, v := range r.res.Touched {
		t[k] = v
	}
	return snapshot{doc: r.doc, orig: r.orig, touched: t, changes: len(r.res.Changes), todos: len(r.todos)}
}

func (r *run) restore(s snapshot) {
	r.doc, r.orig, r.res.Touched = s.doc, s.orig, s.touched
	r.res.Changes = r.res.Changes[:s.changes]
	r.todos = r.todos[:s.todos]
}

// guard runs fn; when fn would leave text that does not parse, its edits
// are undone and a TODO about path (the whole file when "") is left at the
// top of the file, so that valid YAML never ends in an internal error.
// With keep, later drops leave path (and what is above and below it) in
// place, so that the data a failed rule should have moved is not lost.
func (r *run) guard(fn func() error, path string, keep bool) error {
	s := r.save()
	err := fn()
	if err == nil || !errors.Is(err, errUnparsable) {
		return err
	}
	r.restore(s)
	if path == "" {
		path = "."
	}
	if keep {
		r.failed = append(r.failed, path)
	}
	return r.fileTodo(path, "the migration could not rewrite this part of the file automatically (YAML aliases, anchors or flow style): migrate it by hand")
}

// fileTodo leaves a TODO about path at the top of the file (once) and
// reports it; it is for what has no editable key to sit above.
func (r *run) fileTodo(path, msg string) error {
	msg = oneLine(msg)
	line := TodoMarker + standalone(path, msg)
	r.todos = append(r.todos, Todo{Path: path, Message: msg})
	r.change(Change{Action: "todo", From: path, Message: msg})
	for l := 1; l <= r.doc.Lines(); l++ {
		if strings.TrimSpace(r.doc.LineText(l)) == line {
			return nil
		}
	}
	off := 0
	if bytes.HasPrefix(r.doc.Src, []byte("\xef\xbb\xbf")) {
		off = 3 // after a byte order mark
	}
	return r.commit([]values.Edit{{Start: off, End: off, NewText: line + "\n\n"}})
}

// crlf reports whether most lines of src end with CR LF.
func crlf(src []byte) bool {
	return 2*bytes.Count(src, []byte("\r\n")) > bytes.Count(src, []byte("\n"))
}

// remapLines computes the input line of every line of src, the text old
// became with edits.
func remapLines(old *values.Document, orig []int, edits []values.Edit, src []byte) []int {
	sorted := append([]values.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	type seg struct{ newStart, oldStart, n int }
	var segs []seg
	last, pos := 0, 0
	for _, e := range sorted {
		segs = append(segs, seg{pos, last, e.Start - last})
		pos += e.Start - last + len(e.NewText)
		last = e.End
	}
	segs = append(segs, seg{pos, last, len(old.Src) - last})
	var out []int
	si := 0
	for p := 0; ; {
		for si < len(segs) && segs[si].newStart+segs[si].n <= p {
			si++
		}
		line := 0
		if si < len(segs) && p >= segs[si].newStart {
			op := segs[si].oldStart + (p - segs[si].newStart)
			if op == 0 || old.Src[op-1] == '\n' {
				if l := old.PosAt(op).Line; l >= 1 && l <= len(orig) {
					line = orig[l-1]
				}
			}
		}
		out = append(out, line)
		i := bytes.IndexByte(src[p:], '\n')
		if i < 0 || p+i+1 >= len(src) {
			break
		}
		p += i + 1
	}
	return out
}

// tidy collapses the runs of blank lines the removals left behind (two
// blank lines that were not next to each other in the input) into one; the
// user's own blank lines are kept as they were.
func (r *run) tidy() error {
	var edits []values.Edit
	doc := r.doc
	blank := func(l int) bool { return strings.TrimSpace(doc.LineText(l)) == "" }
	for l := 1; l <= doc.Lines(); {
		if !blank(l) || l == doc.Lines() && len(doc.Src) > 0 && doc.Src[len(doc.Src)-1] != '\n' {
			l++
			continue
		}
		end := l
		for end+1 <= doc.Lines() && blank(end+1) && doc.LineStart(end+1) < len(doc.Src) {
			end++
		}
		if end > l {
			a, b := r.origLine(l), r.origLine(end)
			if a == 0 || b == 0 || b-a != end-l {
				edits = append(edits, values.Edit{Start: doc.LineStart(l + 1), End: doc.LineStart(end + 1)})
			}
		}
		l = end + 1
	}
	return r.commit(edits)
}

// collectTodos finds every TODO comment of the output, with its line and
// the key it sits above.
func (r *run) collectTodos() {
	doc := r.doc
	keyAt := map[int]string{}
	doc.Root.Walk(func(n *values.Node) bool {
		if n.KeyPos.Line > 0 && n.StartLine > 0 {
			for l := n.StartLine; l < n.KeyPos.Line; l++ {
				keyAt[l] = n.Path()
			}
		}
		return true
	})
	for l := 1; l <= doc.Lines(); l++ {
		t := strings.TrimSpace(doc.LineText(l))
		if !strings.HasPrefix(t, TodoMarker) {
			continue
		}
		msg := strings.TrimPrefix(t, TodoMarker)
		path := keyAt[l]
		if p, rest, ok := strings.Cut(msg, "] "); ok && strings.HasPrefix(p, "[") && !strings.Contains(p, " ") {
			// a standalone TODO names the path it is about
			msg, path = rest, p[1:]
		}
		r.res.Todos = append(r.res.Todos, Todo{Path: path, Line: l, Message: msg})
	}
}
