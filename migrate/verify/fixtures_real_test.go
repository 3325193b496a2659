package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/migrate"
)

// known is what verify rightly reports on the migration of one migrate
// fixture and is not (yet) fixed: a real loss of the migration (the loss
// helper's, issue 12), a difference the migration makes on purpose and
// hands to a human, or an input the old chart does not render. Each
// names the fixture, the differences ("[old ->] workload setting") and
// why. TestMigrateFixturesVerify fails when a known difference is no
// longer reported (the list must shrink with the fixes) and when one
// that is not known appears.
type known struct {
	fixtures []string
	diffs    []string
	// render: the old chart refuses the input (diffs is empty).
	render bool
	why    string
}

var knownDiffs = []known{
	{fixtures: []string{"i12-flat-persistence", "i12-flat-persistence-nologs"}, render: true,
		why: "the flat persistence input does not render with 0.6.1 (scheduler-deployment.yaml fails): nothing to compare"},
	{fixtures: []string{"agent-v1"}, render: true,
		why: "the input's api section lacks api.service, which agent 1.20.0 reads (streams-deployment.yaml fails): nothing to compare"},
}

// wantHanded are differences that a key the migration hands to a human
// (its TODO) controls: verify lists them as handed, with the TODO.
var wantHanded = map[string][]string{
	"v0-chain":             {"Deployment/api podSecurityContext"},
	"v0-drops":             {"Deployment/api env.POLYAXON_DIRS_NVIDIA"},
	"v1-api-gateway-merge": {"Deployment/gateway -> Deployment/api nodeSelector"},
	"v1-gateway-conflict":  {"Deployment/gateway -> Deployment/api replicas"},
	"v1-misc":              {"Deployment/api env.POLYAXON_PROXY_SERVICES_PORT", "Deployment/api env.POLYAXON_AUTH_SAML_OPTIONS"},
	"i12-api-concurrency":  {"Deployment/api env.POLYAXON_PROXY_GATEWAY_CONCURRENCY"},
}

// wantDecided are differences that a key the migration dropped or
// changed for a stated reason controls: intended, with the decision.
var wantDecided = map[string][]string{
	"i12-host-port":             {"Deployment/api env.POLYAXON_DB_HOST"},
	"v1-misc":                   {"Deployment/api env.POLYAXON_AGENT_COMPRESSED_LOGS"},
	"i12-default-changed-agent": {"Deployment/agent env.POLYAXON_MAX_CONCURRENT_RECONCILES"},
}

// fixtureOptions reads a fixture's `# migrate:` line; the target is v2.
func fixtureOptions(t *testing.T, src []byte) migrate.Options {
	t.Helper()
	first, _, _ := strings.Cut(string(src), "\n")
	args, ok := strings.CutPrefix(first, "# migrate: ")
	if !ok {
		t.Fatal("no `# migrate:` first line")
	}
	o := migrate.Options{To: "v2"}
	f := strings.Fields(args)
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case "--to":
			i++
		case "--from":
			i++
			o.From = f[i]
		case "--chart":
			i++
			o.Chart = f[i]
		case "--keep-celery":
			o.KeepCelery = true
		default:
			t.Fatalf("unknown fixture option %q", f[i])
		}
	}
	return o
}

// TestMigrateFixturesVerify migrates every fixture of the migrate tests
// (migrate/testdata/rules) to v2 and verifies it against the real charts
// of its major (platform 0.6.1 or 1.20.0, agent 1.20.0, to 2.15.1):
// equivalent, or only the known differences. It lists the outcome of each.
func TestMigrateFixturesVerify(t *testing.T) {
	charts := realCharts(t)
	helm := helmBinary(t)
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	olds := map[string]string{"platform/v0": "platform-0.6.1", "platform/v1": "platform-1.20.0", "agent/v1": "agent-1.20.0"}
	news := map[string]string{"platform": "platform-2.15.1", "agent": "agent-2.15.1"}
	ins, err := filepath.Glob(filepath.Join("..", "testdata", "rules", "*.in.yaml"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no migrate fixtures: %v", err)
	}
	seen := map[string]bool{}
	var summary []string
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.yaml")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Migrate(in, src, fixtureOptions(t, src))
			if err != nil {
				t.Fatal(err)
			}
			old := olds[res.Chart+"/"+res.From]
			if old == "" {
				summary = append(summary, fmt.Sprintf("%-28s no real chart for %s %s", name, res.Chart, res.From))
				return
			}
			var wantDiffs []string
			wantRender := ""
			for _, k := range knownDiffs {
				if slices.Contains(k.fixtures, name) {
					wantDiffs = append(wantDiffs, k.diffs...)
					if k.render {
						wantRender = k.why
					}
				}
			}
			rep, err := v.Verify(context.Background(), Options{Helm: helm,
				Old:       Side{Chart: filepath.Join(charts, old), Files: []File{{Name: name + ".in.yaml", Data: src}}},
				New:       Side{Chart: filepath.Join(charts, news[res.Chart]), Files: []File{{Name: name + ".v2.yaml", Data: res.Output}}},
				Decisions: MigrationDecisions(res, name+".in.yaml", name+".v2.yaml"),
			})
			switch {
			case err != nil && wantRender != "":
				summary = append(summary, fmt.Sprintf("%-28s %s -> %s: not rendered (known: %s)", name, old, news[res.Chart], wantRender))
				return
			case err != nil:
				t.Fatal(err)
			case wantRender != "":
				t.Errorf("renders now (known as not rendering: %s): remove it from knownDiffs", wantRender)
			}
			var got []string
			for _, d := range rep.Differences {
				got = append(got, d.workload()+" "+d.Setting)
			}
			var unknown, gone []string
			for _, g := range got {
				if !slices.Contains(wantDiffs, g) {
					unknown = append(unknown, g)
				}
			}
			for _, w := range wantDiffs {
				if !slices.Contains(got, w) {
					gone = append(gone, w)
				}
			}
			if len(unknown) > 0 {
				var b strings.Builder
				if err := rep.Write(&b, "text", false); err != nil {
					t.Fatal(err)
				}
				t.Errorf("differences not known: %q\n%s", unknown, b.String())
			}
			if len(gone) > 0 {
				t.Errorf("known differences no longer reported (remove them from knownDiffs): %q", gone)
			}
			for _, d := range rep.Handed {
				if d.Decision == nil || !d.Decision.Todo || d.Decision.Why == "" || d.Decision.File == "" {
					t.Errorf("handed %s %s without its TODO: %+v", d.workload(), d.Setting, d.Decision)
				}
			}
			for _, w := range wantHanded[name] {
				if !slices.ContainsFunc(rep.Handed, func(d Difference) bool { return d.workload()+" "+d.Setting == w }) {
					t.Errorf("%s is not handed to a human", w)
				}
			}
			for _, w := range wantDecided[name] {
				if !slices.ContainsFunc(rep.Intended, func(d Difference) bool {
					return d.workload()+" "+d.Setting == w && d.Decision != nil && !d.Decision.Todo
				}) {
					t.Errorf("%s is not put down to the migration's decision", w)
				}
			}
			outcome := "equivalent"
			if !rep.Equivalent {
				outcome = fmt.Sprintf("%d known difference(s)", len(got))
			}
			summary = append(summary, fmt.Sprintf("%-28s %s -> %s: %s, %d intended, %d handed to a human", name, old, news[res.Chart], outcome, len(rep.Intended), len(rep.Handed)))
		})
	}
	for _, k := range knownDiffs {
		for _, f := range k.fixtures {
			if !seen[f] {
				t.Errorf("knownDiffs names %s, which is no migrate fixture", f)
			}
		}
	}
	t.Logf("migrate fixtures verified against the real charts:\n%s", strings.Join(summary, "\n"))
}
