package cue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue/facts"
	"github.com/pxvalues/pxvalues/values"
)

// corpusRelease returns the chart and major of a corpus file
// (<chart>/v<release>.yaml): 1.21 and 1.22 are already v2-shaped.
func corpusRelease(path string) (chart, major string) {
	chart = filepath.Base(filepath.Dir(path))
	rel := strings.TrimSuffix(filepath.Base(path), ".yaml")
	switch {
	case strings.HasPrefix(rel, "v0."):
		return chart, "v0"
	case strings.HasPrefix(rel, "v1.21.") || strings.HasPrefix(rel, "v1.22."):
		return chart, "v2"
	case strings.HasPrefix(rel, "v1."):
		return chart, "v1"
	}
	return chart, "v2"
}

// corpusDoc is one chart release's values file and what it is.
type corpusDoc struct {
	name, chart, major string
	doc                *values.Document
}

// propertyCorpus returns every released chart's defaults: the in-repo
// derived corpus (cue/facts/releases), and the files of the shared
// reference corpus (../shared/reference/polyaxon-charts), when present,
// whose release the in-repo corpus lacks or holds differently.
func propertyCorpus(t *testing.T) []corpusDoc {
	t.Helper()
	var out []corpusDoc
	have := map[string][]byte{}
	rs, err := facts.Releases("facts")
	if err != nil {
		t.Fatalf("the in-repo corpus: %v", err)
	}
	for _, r := range rs {
		doc, err := values.Load("facts/"+r.Name(), r.YAML, values.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", r.Name(), err)
		}
		out = append(out, corpusDoc{name: "facts/" + r.Name(), chart: r.Chart, major: r.Major(), doc: doc})
		have[r.Name()] = valuesJSON(t, doc)
	}
	dir := filepath.Join("..", "..", "shared", "reference", "polyaxon-charts")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	if len(files) == 0 {
		t.Logf("corpus %s not present: the in-repo corpus only", dir)
	}
	for _, f := range files {
		doc, err := values.ReadFile(f, values.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		chart, major := corpusRelease(f)
		if b, ok := have[chart+"/"+filepath.Base(f)]; ok && bytes.Equal(b, valuesJSON(t, doc)) {
			continue // the same values as the in-repo release
		}
		out = append(out, corpusDoc{name: f, chart: chart, major: major, doc: doc})
	}
	return out
}

func valuesJSON(t *testing.T, doc *values.Document) []byte {
	t.Helper()
	b, err := json.Marshal(doc.Root.Interface())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// answer is what detection says, as the property compares it.
type answer struct {
	chart, major, ambiguous, charts, notValues string
}

func answerOf(d Detection) answer {
	return answer{d.Chart, d.Major, strings.Join(d.Ambiguous, ","), strings.Join(d.AmbiguousCharts, ","), d.NotValues}
}

// fits checks the property: the file's own chart and major, or an
// ambiguity that names them; never another major alone.
func fits(d Detection, chart, major string) error {
	if d.NotValues != "" {
		return fmt.Errorf("called not Polyaxon values: %s", d.NotValues)
	}
	if d.Chart != chart {
		if slices.Contains(d.AmbiguousCharts, chart) {
			return nil
		}
		return fmt.Errorf("detected chart %s, want %s", d.Chart, chart)
	}
	if d.Major == major || slices.Contains(d.Ambiguous, major) {
		return nil
	}
	return fmt.Errorf("detected %s %s (ambiguous %v), want %s", d.Chart, d.Major, d.Ambiguous, major)
}

// subset returns a document of the top-level entries keep selects (the
// entries are shared with doc, whose root stays their parent).
func subset(doc *values.Document, entries []*values.Node, keep []int) *values.Document {
	root := &values.Node{Kind: values.MapKind, Index: -1}
	for _, i := range keep {
		root.Entries = append(root.Entries, entries[i])
	}
	return doc.WithRoot(root)
}

// TestDetectPropertyCorpus: for every corpus file (in-repo and shared), at least 200 random
// subsets of its top-level sections (one section to all) are detected as
// the file's own chart and major, or as an ambiguity naming them; renaming
// one key of the subset by one edit (a typo) does not change the answer.
func TestDetectPropertyCorpus(t *testing.T) {
	corpus := propertyCorpus(t)
	rules, err := New().DetectRules()
	if err != nil {
		t.Fatal(err)
	}
	subsets := 200
	if testing.Short() {
		subsets = 10
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	var checked, ambiguous, typos, failures int
	for _, c := range corpus {
		f, chart, major, doc := c.name, c.chart, c.major, c.doc
		entries := doc.Root.Live()
		for range subsets {
			keep := rng.Perm(len(entries))[:1+rng.IntN(len(entries))]
			slices.Sort(keep)
			sub := subset(doc, entries, keep)
			det := DetectPinned(sub, rules, Pins{})
			checked++
			if len(det.Ambiguous) > 0 {
				ambiguous++
			}
			if err := fits(det, chart, major); err != nil {
				failures++
				if failures <= 10 {
					t.Errorf("%s, sections %v: %v (by %v)", f, sub.Root.Keys(), err, det.DetectedBy)
				}
				continue
			}
			undo, from, to := typo(rng, rules, sub)
			if undo == nil {
				continue
			}
			typos++
			got, want := answerOf(DetectPinned(sub, rules, Pins{})), answerOf(det)
			undo()
			if got != want {
				failures++
				if failures <= 10 {
					t.Errorf("%s, sections %v: renaming `%s` to `%s` changed the answer from %+v to %+v", f, sub.Root.Keys(), from, to, want, got)
				}
			}
		}
	}
	t.Logf("%d files, %d subsets (%d ambiguous), %d typos: %d failures", len(corpus), checked, ambiguous, typos, failures)
	if failures > 10 {
		t.Errorf("... %d failures in all", failures)
	}
}

// typo renames one key of doc (at any depth under known sections) by one
// random edit into a key no candidate schema declares there, and returns
// the function that undoes it (nil when doc has no such key).
func typo(rng *rand.Rand, rules *DetectRules, doc *values.Document) (undo func(), from, to string) {
	var keys []*values.Node
	doc.Root.Walk(func(n *values.Node) bool {
		if n.Parent != nil && n.Parent.Kind == values.MapKind && len([]rune(n.Key)) > 1 {
			keys = append(keys, n)
		}
		return true
	})
	if len(keys) == 0 {
		return nil, "", ""
	}
	n := keys[rng.IntN(len(keys))]
	declared := map[string]bool{}
	for _, c := range rules.candidates() {
		if t := typeAt(c.schema.Root, n.Parent.Segments()); t != nil {
			for _, name := range t.Names {
				declared[name] = true
			}
		}
	}
	for range 20 {
		k := []rune(n.Key)
		i := rng.IntN(len(k))
		letter := rune('a' + rng.IntN(26))
		switch rng.IntN(4) {
		case 0:
			k = slices.Insert(k, i, letter)
		case 1:
			k = slices.Delete(k, i, i+1)
		case 2:
			k[i] = letter
		case 3:
			if i+1 < len(k) {
				k[i], k[i+1] = k[i+1], k[i]
			}
		}
		nk := string(k)
		if nk == n.Key || declared[nk] || n.Parent.Get(nk) != nil || nearOther(nk, n.Key, declared) {
			continue
		}
		from = n.Path()
		key, raw := n.Key, n.RawKey
		n.Key, n.RawKey = nk, nk
		return func() { n.Key, n.RawKey = key, raw }, from, nk
	}
	return nil, "", ""
}

// nearOther reports whether key is also one edit from a declared key other
// than orig: then it is no typo of orig alone (`timeone` is as near to v0's
// `timeZone` as to `timezone`).
func nearOther(key, orig string, declared map[string]bool) bool {
	for d := range declared {
		if d != orig && oneEdit(key, d) {
			return true
		}
	}
	return false
}

// typeAt follows map keys through a schema (nil when it does not know them).
func typeAt(t *Type, segs []string) *Type {
	for _, s := range segs {
		if t == nil {
			return nil
		}
		if f := t.Field(s); f != nil {
			t = f.Type
			continue
		}
		if t.Kinds.Has(values.ListKind) && t.Elem != nil {
			t = t.Elem
			continue
		}
		return nil
	}
	return t
}
