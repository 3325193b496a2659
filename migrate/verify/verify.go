// Package verify proves a migration: it renders the old chart with the old
// values and the new chart with the migrated values (the user's own `helm
// template`, both sides in parallel) and compares what the deployment does,
// workload by workload, setting by setting. What it compares, how objects
// map from one major to the next, what the migration guide intends and what
// must survive is data (cue/verify).
package verify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/internal/helm"
	"github.com/pxvalues/pxvalues/values"
)

// File is a values file: its name in the report and its bytes.
type File struct {
	Name string
	Data []byte
}

// Side is one side of a migration: a chart and the values layers given to
// it (files, later wins, then --set expressions).
type Side struct {
	Chart string
	Files []File
	Sets  []string
}

// Options select a verification.
type Options struct {
	// Helm is the helm binary.
	Helm string
	// Old and New are the two sides.
	Old, New Side
	// Release and Namespace are given to both renders (defaults
	// "pxvalues" and "polyaxon").
	Release, Namespace string
	// Decisions are what the migration did on purpose (its report, or
	// the TODO comments of the migrated files: TodoDecisions); a
	// difference a decision's key controls is listed with it.
	Decisions []Decision
}

// Verifier compares renders with the knowledge of cue/verify. It holds
// read-only data and is safe for concurrent use.
type Verifier struct {
	k *Knowledge
}

// New loads the embedded knowledge.
func New() (*Verifier, error) {
	k, err := LoadKnowledge()
	if err != nil {
		return nil, err
	}
	return &Verifier{k: k}, nil
}

// render kinds: the user's values twice (what differs between the two is
// generated at random), and the chart's defaults with the on/off switches
// both sides set alike (see switches.go).
const (
	user = iota
	again
	defaults
	nRenders
)

// Verify renders both sides and compares them.
func (v *Verifier) Verify(ctx context.Context, opts Options) (*Report, error) {
	if opts.Helm == "" {
		return nil, errors.New("no helm: set HELM_BIN or put helm on PATH")
	}
	if opts.Release == "" {
		opts.Release = "pxvalues"
	}
	if opts.Namespace == "" {
		opts.Namespace = "polyaxon"
	}
	tmp, err := os.MkdirTemp("", "pxvalues-verify-")
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer os.RemoveAll(tmp)
	sides := [2]Side{opts.Old, opts.New}
	var charts [2]*prepared
	var files [2][]string
	var docs [2][]*values.Document // each side's files parsed, once
	for i, s := range sides {
		if docs[i], err = loadDocs(s.Files); err != nil {
			return nil, err
		}
		if charts[i], err = prepare(v.k, s.Chart, tmp); err != nil {
			return nil, err
		}
		for j, f := range s.Files {
			name := filepath.Join(tmp, fmt.Sprintf("side%d-%d.yaml", i, j))
			if err := os.WriteFile(name, f.Data, 0o600); err != nil {
				return nil, fmt.Errorf("verify: %w", err)
			}
			files[i] = append(files[i], name)
		}
	}
	var renamed map[string]string
	if p := v.k.pair(charts[1].info.Chart, charts[0].info.Major, charts[1].info.Major); p != nil && charts[0].info.Chart == charts[1].info.Chart {
		renamed = p.Switches
	}
	agreed := agreedSwitches(docs, [2][]string{opts.Old.Sets, opts.New.Sets}, renamed)
	var switchFiles [2]string
	for i := range sides {
		if switchFiles[i], err = writeSwitches(agreed[i], tmp, fmt.Sprintf("switches-%d-*.yaml", i)); err != nil {
			return nil, err
		}
	}
	// Up to six renders at once: Helm is a process each, the machine's
	// cores share them. A chart without a random function renders the
	// same twice: its second render is its first.
	var out [2][nRenders]settings
	var errs [2][nRenders]error
	var wg sync.WaitGroup
	render := func(i, r int, t helm.Template) {
		defer wg.Done()
		out[i][r], errs[i][r] = v.render(ctx, opts, t)
	}
	template := func(i int, values ...string) helm.Template {
		t := helm.Template{Helm: opts.Helm, Release: opts.Release, Chart: charts[i].dir, Namespace: opts.Namespace}
		if charts[i].defaults != "" {
			t.Values = append(t.Values, charts[i].defaults)
		}
		t.Values = append(t.Values, values...)
		return t
	}
	for i := range sides {
		for r := 0; r < nRenders; r++ {
			if r == again && !charts[i].random {
				continue
			}
			var t helm.Template
			switch r {
			case user, again:
				t = template(i, files[i]...)
				t.Sets = sides[i].Sets
			case defaults:
				t = template(i, switchFiles[i])
				if switchFiles[i] == "" {
					t = template(i)
				}
			}
			wg.Add(1)
			go render(i, r, t)
		}
	}
	wg.Wait()
	// A chart that refuses the switches renders its defaults alone.
	var refused [2]bool
	for i := range sides {
		if switchFiles[i] != "" && errs[i][defaults] != nil {
			refused[i] = true
			wg.Add(1)
			go render(i, defaults, template(i))
		}
	}
	wg.Wait()
	for i := range sides {
		if !charts[i].random {
			out[i][again], errs[i][again] = out[i][user], errs[i][user]
		}
	}
	rep := &Report{Old: charts[0].info, New: charts[1].info, Differences: []Difference{}, Intended: []Difference{}, Handed: []Difference{}}
	if n := len(opts.New.Files); n > 0 {
		rep.MigratedFile = opts.New.Files[n-1].Name
	}
	for i, name := range []string{"old", "new"} {
		for _, r := range []int{user, again} {
			if err := errs[i][r]; err != nil {
				return nil, renderError(name, sides[i], err)
			}
		}
		if errs[i][defaults] != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the %s chart does not render with its defaults alone: no difference is put down to a chart default on that side", name))
		} else if refused[i] {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the %s chart does not render with its defaults and the on/off switches both sides set (%s): it is judged against its defaults alone",
				name, strings.Join(slices.Sorted(maps.Keys(agreed[i])), ", ")))
		}
		if info := rep.side(i); len(info.MissingSubcharts) > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the %s chart %s is rendered without its sub-charts (%s): they are compared through Polyaxon's own objects only",
				name, info.Path, strings.Join(info.MissingSubcharts, ", ")))
		}
	}
	c := &comparison{v: v, opts: opts, rep: rep, old: out[0], new: out[1], oldDocs: docs[0], docs: docs[1]}
	c.run()
	if ds := uniqueDecisions(opts.Decisions); len(ds) > 0 && len(rep.Differences) > 0 {
		a := &attributer{v: v, opts: opts, c: c, tmp: tmp, ds: ds}
		for i := range sides {
			vals, err := chartValues(charts[i])
			if err != nil {
				return nil, err
			}
			a.sides[i] = layers{chart: charts[i], files: files[i], sets: sides[i].Sets, values: vals}
		}
		if err := a.attribute(ctx); err != nil {
			return nil, err
		}
	}
	rep.Equivalent = len(rep.Differences) == 0
	return rep, nil
}

// render runs one `helm template` and extracts the compared settings.
func (v *Verifier) render(ctx context.Context, opts Options, t helm.Template) (settings, error) {
	b, err := t.Run(ctx)
	if err != nil {
		return nil, err
	}
	objs, err := parseManifests(b, func(kind string) bool {
		return kind == "ConfigMap" || kind == "Secret" || v.k.compared(kind)
	})
	if err != nil {
		return nil, err
	}
	return extract(v.k, opts.Release, opts.Namespace, objs), nil
}

// renderError says which side failed. Helm's message may quote values; it
// is reduced to its first line naming a template, which quotes no value.
func renderError(side string, s Side, err error) error {
	var f *helm.Failure
	if !errors.As(err, &f) {
		return fmt.Errorf("rendering the %s chart %s: %w", side, s.Chart, err)
	}
	msg := strings.TrimSpace(f.Stderr)
	if i := strings.Index(msg, "Error: "); i >= 0 {
		msg = msg[i+len("Error: "):]
	}
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	// A failing template's message may quote a value ("... : <value>");
	// keep only where it failed.
	if m := templateAt().FindString(msg); m != "" {
		msg = m + ": the template failed (run helm template for details)"
	} else if strings.Contains(msg, "schema") {
		msg = "the values do not meet the chart's values.schema.json (run pxvalues lint --chart-dir for details)"
	} else {
		msg = "helm refused the values (run helm template for details)"
	}
	return fmt.Errorf("rendering the %s chart %s: %s", side, s.Chart, msg)
}
