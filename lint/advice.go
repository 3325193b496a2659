package lint

import (
	"fmt"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
)

// Advice that names a command must name one that does something: when
// detection is ambiguous or weak, or the major was given to lint, `pxvalues
// migrate` would detect on its own and may start from another major (and
// answer "unchanged"), so the command says where it starts.

// migrateCmd returns the command that migrates this file from major from
// to major to.
func (r *run) migrateCmd(from, to string) string {
	cmd := "pxvalues migrate "
	if r.det.ChartUndecided && r.opts.Chart == "" {
		// nothing told platform from agent: migrate must not guess again
		cmd += "--chart " + r.det.Chart + " "
	}
	if from == r.det.Major && r.opts.Major == "" && !r.det.Uncertain() {
		return cmd + "--to " + to
	}
	return cmd + "--from " + from + " --to " + to
}

// pinMigrate rewrites a hint's `pxvalues migrate --to X` (which migrates
// from the detected major) to start from the detected major explicitly when
// migrate's own detection could start elsewhere.
func (r *run) pinMigrate(hint string) string {
	const cmd = "pxvalues migrate --to "
	i := strings.Index(hint, cmd)
	if i < 0 {
		return hint
	}
	to := hint[i+len(cmd):]
	if j := strings.IndexAny(to, " `,;)"); j >= 0 {
		to = to[:j]
	}
	return hint[:i] + r.migrateCmd(r.det.Major, to) + hint[i+len(cmd)+len(to):]
}

// otherCandidates returns the majors the file may also be: the other tied
// majors of an ambiguous answer, every other major of a weak one.
func (r *run) otherCandidates() []string {
	if r.opts.Major != "" || !r.det.Uncertain() {
		return nil
	}
	var out []string
	pool := r.det.Ambiguous
	if len(pool) == 0 {
		pool = cue.Majors(r.det.Chart)
	}
	for _, m := range pool {
		if m != r.det.Major {
			out = append(out, m)
		}
	}
	return out
}

// readByOther returns the first other candidate major whose chart (its
// templates or a sub-chart it bundles) reads the key at segs, or "".
func (r *run) readByOther(segs []string) string {
	for _, m := range r.otherCandidates() {
		s, err := r.l.cat.Schema(r.det.Chart, m)
		if err != nil {
			continue
		}
		if f := lookupField(s.Root, segs); f != nil && !f.Meta.Dead && !f.Meta.CLIOnly {
			return m
		}
		if len(segs) > 1 && r.l.sub != nil {
			ids := r.l.sub.Pinned(r.det.Chart, segs[0], s.Releases)
			if len(r.l.sub.Reads(ids, segs[1:])) > 0 {
				return m
			}
		}
	}
	return ""
}

// uncertainHint is the hint of a finding that holds only if the file is
// the detected major, while another candidate major reads the key.
func (r *run) uncertainHint(path, other string) string {
	return fmt.Sprintf("`%s` is read by %s %s, which this file may be (detection: %s): if it is %s, keep it and pass --major %s",
		path, r.det.Chart, other, strings.Join(append([]string{r.det.Major}, r.otherCandidates()...), " or "), other, other)
}

// hedge qualifies the findings that hold only if the file is the detected
// major when another candidate major reads their key.
func (r *run) hedge() {
	if len(r.otherCandidates()) == 0 {
		return
	}
	for i := range r.diags {
		d := &r.diags[i]
		if d.Rule != ruleid.SubchartOldKey || d.Path == "" {
			continue
		}
		n := r.doc.Root.Lookup(strings.Split(d.Path, ".")...)
		if n == nil {
			continue
		}
		if other := r.readByOther(n.Segments()); other != "" {
			d.Hint = fmt.Sprintf("if this file is %s %s, %s; but %s", r.det.Chart, r.det.Major, d.Hint, r.uncertainHint(d.Path, other))
		}
	}
}
