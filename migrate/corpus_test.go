package migrate

import (
	"sort"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

type corpusFile struct {
	name, chart string
	src         []byte
}

// corpusFiles rebuilds every 0.x and 1.x release of the platform chart and
// every 1.x release of the agent chart from cue/facts (the repository's
// derived facts: the test runs in any clone).
func corpusFiles(t *testing.T) []corpusFile {
	dir, err := facts.Dir()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := facts.Releases(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusFile
	for _, r := range rs {
		if strings.HasPrefix(r.Version, "2.") {
			continue
		}
		out = append(out, corpusFile{r.Name(), r.Chart, r.YAML})
	}
	return out
}

// checkMigration verifies the properties every migration to v2 must have
// and returns the number of untouched lines compared.
func checkMigration(t *testing.T, m *Migrator, l *lint.Linter, res *Result, opts Options, lintClean, strict bool) (identical, reported int) {
	t.Helper()
	name := res.Path
	// 1. the result lints with zero errors under the target.
	doc, err := values.Load(name, res.Output, values.DefaultLimits())
	if err != nil {
		t.Errorf("%s: the migrated file does not parse: %v", name, err)
		return 0, 0
	}
	targets := []string{"helm"}
	if strict {
		// a fixture may keep what the CLI rejects (a custom value of a key
		// the chart still reads); the corpus must not
		targets = append(targets, "polyaxon-cli")
	}
	for _, target := range targets {
		lo := lint.Options{Chart: res.Chart, Major: res.To, Target: target}
		if !strict {
			// a fixture's TODOs are its expected output (checkAccounting
			// checks them); the corpus must have none
			lo.Disable = []string{"migration-todo"}
		}
		lr, err := l.Lint(doc, lo)
		if err != nil {
			t.Errorf("%s: lint: %v", name, err)
			return 0, 0
		}
		for _, d := range lr.Diagnostics {
			if target == "polyaxon-cli" && res.From == res.To {
				// a file already at the target is not migrated: the chart's
				// own values.yaml of 1.22.0 has keys the CLI rejects
				// not reached yet: keys the v2 chart reads that the CLI
				// rejects (cli-rejected, agent-platform-keys) are kept
				continue
			}
			if (d.Severity == lint.Error || d.Severity == lint.Warning && strict) && lintClean {
				t.Errorf("%s: migrated to %s, --target %s: %s:%d: %s: %s [%s]", name, res.To, target, d.File, d.Line, d.Severity, d.Message, d.Rule)
			}
		}
	}
	checkAccounting(t, res)
	// 2. idempotent.
	// As a user would: detect the major again. Detection is only asked to
	// recognise the newest major; an older target is given explicitly.
	from := ""
	if ms := cue.Majors(res.Chart); res.To != ms[len(ms)-1] {
		from = res.To
	}
	again, err := m.Migrate(name, res.Output, Options{Chart: res.Chart, From: from, To: res.To, KeepCelery: opts.KeepCelery})
	if err != nil {
		t.Errorf("%s: migrating the result again: %v", name, err)
	} else if again.Changed() {
		t.Errorf("%s: migrating the result again changes it (from %s):\n%s", name, again.From, Diff("a", "b", res.Output, again.Output))
	}
	// 3. every comment of the input is in the output or in the report.
	have := map[string]int{}
	for _, c := range Comments(res.Output) {
		have[c]++
	}
	for _, ch := range res.Changes {
		for _, c := range ch.Comments {
			have[c]++
			reported++
		}
	}
	for _, c := range Comments(res.Input) {
		if have[c] == 0 {
			t.Errorf("%s: comment lost: %q", name, c)
			continue
		}
		have[c]--
	}
	// 4. lines outside the edits are byte-identical.
	in := strings.Split(string(res.Input), "\n")
	out := strings.Split(string(res.Output), "\n")
	seen := map[int]bool{}
	for i, o := range res.LineMap {
		if o == 0 || res.Touched[o] {
			continue
		}
		seen[o] = true
		if i >= len(out) || o > len(in) || out[i] != in[o-1] {
			t.Errorf("%s: untouched input line %d changed", name, o)
			continue
		}
		identical++
	}
	for o := 1; o <= len(in); o++ {
		if !res.Touched[o] && !seen[o] && !(o == len(in) && in[o-1] == "") {
			t.Errorf("%s: untouched input line %d is missing from the output", name, o)
		}
	}
	return identical, reported
}

// TestCorpusToV2 migrates every v0 and v1 platform file and v1 agent file of
// the reference corpus to v2 and checks each result (see checkMigration);
// `go test -v -run Corpus` prints the counts.
func TestCorpusToV2(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("no release in cue/facts")
	}
	m, l := engines(t)
	byFrom := map[string]int{}
	var changes, todos, lines, identical, comments, reported, leaves, dropped int
	for _, f := range files {
		src := f.src
		targets := []string{"v2"}
		if strings.Contains(f.name, "/v0.") {
			targets = append(targets, "v1")
		}
		for _, to := range targets {
			opts := Options{Chart: f.chart, To: to}
			res, err := m.Migrate(f.name, src, opts)
			if err != nil {
				t.Errorf("%s: %v", f.name, err)
				continue
			}
			byFrom[res.Chart+" "+res.From+"->"+to]++
			changes += len(res.Changes)
			todos += len(res.Todos)
			lines += strings.Count(string(src), "\n")
			comments += len(Comments(src))
			id, rep := checkMigration(t, m, l, res, opts, true, true)
			identical += id
			reported += rep
			a := res.Account()
			leaves += a.Leaves
			dropped += a.Dropped
		}
	}
	var kinds []string
	for k, n := range byFrom {
		kinds = append(kinds, k+": "+itoa(n))
	}
	sort.Strings(kinds)
	t.Logf("%d settings, %d dropped as defaults", leaves, dropped)
	t.Logf("migrated %d files (%s): %d changes, %d TODOs; %d input lines, %d untouched and byte-identical; %d input comments, all kept or named in the report (%d named as removed)",
		len(files), strings.Join(kinds, ", "), changes, todos, lines, identical, comments, reported)
}
