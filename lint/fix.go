package lint

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/pxvalues/pxvalues/values"
)

// MaxFixRounds bounds Fix: each round lints the file again and applies the
// fixes that did not overlap an earlier one of the same round.
const MaxFixRounds = 10

// SelectFixes returns the edits of the fixes of diags that apply to file,
// in order, leaving out a fix that overlaps one already chosen (a later
// round applies it if it still holds), and how many fixes were chosen.
func SelectFixes(file string, diags []Diagnostic) ([]values.Edit, int) {
	var edits []values.Edit
	n := 0
	for _, d := range diags {
		if d.Fix == nil || len(d.Fix.Edits) == 0 || (d.File != "" && d.File != file) {
			continue
		}
		if overlapsAny(d.Fix.Edits, edits) {
			continue
		}
		edits = append(edits, d.Fix.Edits...)
		n++
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits, n
}

func overlapsAny(a, b []values.Edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Start < y.End && y.Start < x.End || x.Start == y.Start {
				return true
			}
		}
	}
	return false
}

// FixResult is what Fix made of one file.
type FixResult struct {
	// Source is the fixed file (equal to the input when nothing applied).
	Source []byte
	// Applied counts the fixes applied over all rounds.
	Applied int
	// Rounds counts the rounds that applied at least one fix.
	Rounds int
	// Result is the lint of the fixed file: what remains.
	Result *Result
}

// Fix lints src (the file name), applies the fixes of its findings, and
// repeats on the new text until no fix applies. It fails, changing
// nothing, when the file does not load, when a round makes the file
// unloadable, or when the fixes do not settle within MaxFixRounds.
func (l *Linter) Fix(name string, src []byte, opts Options, lim values.Limits) (*FixResult, error) {
	out := &FixResult{Source: src}
	for round := 0; ; round++ {
		doc, err := values.Load(name, out.Source, lim)
		if err != nil {
			if round == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("%s: the fixes of round %d leave a file that does not load (%v); nothing written", name, round, err)
		}
		res, err := l.Lint(doc, opts)
		if err != nil {
			return nil, err
		}
		out.Result = res
		edits, n := SelectFixes(doc.Name, res.Diagnostics)
		if n == 0 {
			return out, nil
		}
		if round == MaxFixRounds {
			return nil, fmt.Errorf("%s: fixes still apply after %d rounds; nothing written", name, MaxFixRounds)
		}
		next, err := values.ApplyEdits(out.Source, edits)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if bytes.Equal(next, out.Source) {
			return out, nil
		}
		out.Source = next
		out.Applied += n
		out.Rounds++
	}
}
