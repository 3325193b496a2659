package migrate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/values"
)

// Report is what `pxvalues migrate --report json` prints:
// {"files":[{"path","chart","from","to","changed","changes":[...],"todos":[...],
// "leaves":[{"path","line","fate","to","into","reason"}]}]}: every leaf of
// the input with its fate.
type Report struct {
	Files []*FileReport `json:"files"`
}

// FileReport is the report of one file.
type FileReport struct {
	*Result
	// Changed is true when the migration changes the file.
	Changed bool `json:"changed"`
	// Written is true when -w replaced the file.
	Written bool `json:"written,omitempty"`
	// Error says why the file was not migrated or not written.
	Error string `json:"error,omitempty"`
	// PathURI is the path percent-encoded when it is not valid UTF-8
	// ("path" then holds U+FFFD); WriteJSON sets it.
	PathURI string `json:"pathURI,omitempty"`
}

// Write prints the report in format: json, or text for anything else
// (the command line has checked the name).
func (r *Report) Write(w io.Writer, format string) error {
	if format == "json" {
		return r.WriteJSON(w)
	}
	return r.WriteText(w)
}

// WriteJSON prints the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	for _, f := range r.Files {
		if f.Result != nil {
			f.PathURI = values.FileURI(f.Path)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report for people: one block per file, every change
// with its input line ("in l.N"), the comments removed, and the TODOs with
// their line in the migrated file ("out l.N").
func (r *Report) WriteText(out io.Writer) error {
	// one write for the report, not one per line (stderr is unbuffered)
	w := bufio.NewWriterSize(out, 64<<10)
	if err := r.writeText(w); err != nil {
		return err
	}
	return w.Flush()
}

// writeText is WriteText on a buffered writer.
func (r *Report) writeText(w *bufio.Writer) error {
	var err error
	// every argument is text of the user's (a file name, a key, a comment):
	// its control characters are escaped so that it stays on its line
	p := func(format string, args ...any) {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = message.EscapeControls(s)
			}
		}
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	for _, f := range r.Files {
		if f.Result == nil {
			p("not migrated: %s\n", f.Error)
			continue
		}
		if f.Error != "" && f.To == "" {
			p("%s: not migrated: %s\n", f.Path, f.Error)
			continue
		}
		state := "unchanged"
		switch {
		case f.Written:
			state = "written"
		case f.Changed:
			state = "would change"
		}
		under := ""
		if f.ValuesPath != "" {
			under = " (Polyaxon's values under `" + f.ValuesPath + "`, the only section rewritten)"
		}
		p("%s: %s %s -> %s%s, %s: %d changes, %d TODOs\n", f.Path, f.Chart, f.From, f.To, under, state, len(f.Changes), len(f.Todos))
		if a := f.Account(); a.Leaves > 0 {
			p("  %d settings: %d kept, %d moved, %d transformed, %d dropped without effect, %d handed to a human\n",
				a.Leaves, a.Kept, a.Moved, a.Transformed, a.Dropped, a.Todo)
		}
		if len(f.AmbiguousCharts) > 1 {
			p("  chart: nothing tells %s apart; migrated as %s (pass --chart to choose)\n", joinOr(f.AmbiguousCharts), f.Chart)
		}
		if len(f.Ambiguous) > 1 {
			if len(f.Mixed) > 0 {
				p("  half-migrated: read as %s, but it also has keys of %s (%s); migrated from %s (pass --from to choose)\n",
					f.From, joinOr(f.Ambiguous[1:]), message.Few(f.Mixed, "; "), f.From)
			} else {
				p("  ambiguous: the file fits %s equally well; migrated from %s (pass --from to choose)\n", joinOr(f.Ambiguous), f.From)
			}
			for _, a := range f.Alternatives {
				p("  as %s it would change: %d changes, %d TODOs", a.From, a.Changes, a.Todos)
				for i, s := range a.Sample {
					sep := "; "
					if i == 0 {
						sep = ": "
					}
					p("%s%s", sep, s)
				}
				p("\n")
			}
		}
		if len(f.Changes) > 0 || len(f.Todos) > 0 {
			p("  (in l.N: line of the input file; out l.N: line of the migrated file)\n")
		}
		for _, c := range f.Changes {
			where := "         "
			if c.Line > 0 {
				where = fmt.Sprintf("%9s", "in l."+strconv.Itoa(c.Line))
			}
			what := c.From
			if c.To != "" {
				if what != "" {
					what += " -> "
				}
				what += c.To
			}
			p("  %s %s %-18s %s", where, c.Step, c.Action, what)
			if c.Message != "" {
				if what != "" {
					p(": ")
				}
				p("%s", c.Message)
			}
			p("\n")
			for _, cm := range c.Comments {
				p("              removed comment: %s\n", cm)
			}
		}
		for _, l := range f.Leaves {
			if l.Fate == FateDropped {
				p("  in l.%d dropped %s: %s\n", l.Line, l.Path, l.Reason)
			}
		}
		for _, t := range f.Todos {
			p("  TODO out l.%d %s: %s\n", t.Line, t.Path, t.Message)
		}
		if f.Error != "" {
			p("  error: %s\n", f.Error)
		}
	}
	return err
}

func joinOr(ms []string) string {
	out := ""
	for i, m := range ms {
		switch {
		case i == 0:
		case i == len(ms)-1:
			out += " and "
		default:
			out += ", "
		}
		out += m
	}
	return out
}
