package lint

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/cond"
	"github.com/pxvalues/pxvalues/values"
)

func TestGlob(t *testing.T) {
	src := "a:\n  port: 1\n  b:\n    port: 2\n    ports: {px: 3, qx: 4}\nlist:\n  - name: n0\n  - name: n1\nport: 5\n"
	doc, err := values.Load("g.yaml", []byte(src), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"**.port":     {"a.port", "a.b.port", "port"},
		"a.*.port":    {"a.b.port"},
		"**.ports.*":  {"a.b.ports.px", "a.b.ports.qx"},
		"list.*.name": {"list[0].name", "list[1].name"},
		"list.1.name": {"list[1].name"},
		"nope.*":      nil,
		"":            {""},
	}
	for pat, want := range cases {
		var got []string
		for _, n := range glob(doc.Root, pat) {
			got = append(got, n.Path())
		}
		// `**` visits in walk order; compare as sets
		if !sameSet(got, want) {
			t.Errorf("glob(%q) = %v, want %v", pat, got, want)
		}
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return len(a) == len(b)
}

func TestUpgradeScore(t *testing.T) {
	mk := func(from string) *upgradeEntry {
		e := &upgradeEntry{From: from, Rule: "upgrade-removed"}
		if err := e.compile(); err != nil {
			t.Fatal(err)
		}
		return e
	}
	apiAll, apiReplicas, anyTag, alts := mk("api.*"), mk("api.replicas"), mk("*.imageTag"), mk("api.image|api.imageTag")
	segs := func(s ...string) []string { return s }
	for _, c := range []struct {
		e    *upgradeEntry
		segs []string
		zero bool
	}{
		{apiAll, segs("api"), false},
		{apiAll, segs("api", "hpa", "enabled"), false},
		{apiAll, segs("gateway"), true},
		{apiReplicas, segs("api", "replicas", "x"), true},
		{anyTag, segs("gateway", "imageTag"), false},
		{anyTag, segs("imageTag"), true},
		{alts, segs("api", "imageTag"), false},
	} {
		if got := c.e.score(c.segs); (got == 0) != c.zero {
			t.Errorf("%s on %v: score %d", c.e.From, c.segs, got)
		}
	}
	if !(apiReplicas.score(segs("api", "replicas")) > apiAll.score(segs("api", "replicas"))) {
		t.Error("an exact entry must beat a subtree entry")
	}
	if !(alts.score(segs("api", "imageTag")) > anyTag.score(segs("api", "imageTag"))) {
		t.Error("a literal entry must beat a wildcard entry")
	}
}

func TestUpgradeSteps(t *testing.T) {
	cases := []struct {
		chart, major, to string
		want             []string
	}{
		{"platform", "v0", "next", []string{"v0->v1"}},
		{"platform", "v0", "v2", []string{"v0->v1", "v1->v2"}},
		{"platform", "v1", "next", []string{"v1->v2"}},
		{"platform", "v2", "next", nil},
		{"platform", "v1", "v1", nil},
		{"platform", "v2", "v1", nil},
		{"agent", "v1", "v2", []string{"v1->v2"}},
		{"platform", "v1", "", nil},
	}
	for _, c := range cases {
		r := &run{opts: Options{UpgradeTo: c.to}, det: cue.Detection{Chart: c.chart, Major: c.major}}
		if got := r.upgradeSteps(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s --upgrade-to %s: %v, want %v", c.chart, c.major, c.to, got, c.want)
		}
	}
}

// TestCheckPathsExist: every key a declarative check names exists in the
// schema of each chart and major the check runs for (a misspelt path in
// cue/rules would make a rule silently never fire).
func TestCheckPathsExist(t *testing.T) {
	l := testLinter(t)
	for _, id := range l.data.ids {
		rule := l.rules.Get(id)
		for i, c := range l.data.specs[id].Checks {
			for _, chart := range rule.Charts {
				for _, major := range rule.Majors {
					if !c.applies(chart, major) || !cueValid(chart, major) {
						continue
					}
					s, err := l.cat.Schema(chart, major)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range checkPaths(c) {
						if strings.Contains(p, "**") {
							continue
						}
						if !typeHas(s.Root, strings.Split(p, ".")) {
							t.Errorf("rule %s check %d: `%s` is not a %s %s key", id, i, p, chart, major)
						}
					}
				}
			}
		}
	}
}

// checkPaths lists the absolute key paths a check names (`*` kept).
func checkPaths(c *checkSpec) []string {
	bases := c.Each
	if len(bases) == 0 {
		bases = []string{""}
	}
	join := func(b, p string) string {
		switch {
		case p == "":
			return b
		case b == "":
			return p
		}
		return b + "." + p
	}
	var rel []string
	var walk func(x *cond.Cond)
	walk = func(x *cond.Cond) {
		if x == nil {
			return
		}
		if x.All == nil && x.Any == nil && x.Not == nil {
			rel = append(rel, x.Path)
			if x.SameAs != nil {
				rel = append(rel, *x.SameAs)
			}
		}
		for _, y := range append(append([]*cond.Cond(nil), x.All...), x.Any...) {
			walk(y)
		}
		walk(x.Not)
	}
	walk(c.When)
	walk(c.Then)
	rel = append(rel, c.Related...)
	if c.At != nil {
		rel = append(rel, *c.At)
	}
	var out []string
	for _, b := range bases {
		for _, r := range rel {
			if p := join(b, r); p != "" {
				out = append(out, p)
			}
		}
	}
	out = append(out, c.Paths...)
	if c.From != "" {
		out = append(out, c.From)
	}
	return out
}

func testLinter(t *testing.T) *Linter {
	t.Helper()
	l, err := New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func cueValid(chart, major string) bool { return cue.ValidTarget(chart, major) }

// typeHas reports whether segs name a key of t; `*` is a list item, an
// open map's key, or any field of a closed map.
func typeHas(t *cue.Type, segs []string) bool {
	if len(segs) == 0 {
		return true
	}
	if t == nil {
		return false
	}
	if segs[0] != "*" {
		return typeHas(lookupType(t, segs[:1]), segs[1:])
	}
	if t.Elem != nil || t.Open || t.Kinds.Has(values.ListKind) {
		return typeHas(t.Elem, segs[1:]) || t.Elem == nil
	}
	for _, f := range t.Fields {
		if typeHas(f.Type, segs[1:]) {
			return true
		}
	}
	return false
}

// TestUpgradePathsExist: every key an upgrade entry names exists in the
// schema of the major the step starts from.
func TestUpgradePathsExist(t *testing.T) {
	l := testLinter(t)
	n := 0
	upgrades, err := l.data.upgrade()
	if err != nil {
		t.Fatal(err)
	}
	for chart, steps := range upgrades {
		for step, entries := range steps {
			from := strings.Split(step, "->")[0]
			s, err := l.cat.Schema(chart, from)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				for _, alt := range e.alts {
					n++
					if !typeHas(s.Root, alt.segs) {
						t.Errorf("%s %s: `%s` is not a %s key", chart, step, strings.Join(alt.segs, "."), from)
					}
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d upgrade paths", n)
	}
}
