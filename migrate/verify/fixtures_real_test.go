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
	{fixtures: []string{"v0-keep-celery"}, diffs: []string{
		"Job/create-exchange env.POLYAXON_DNS_USE_RESOLVER", "Job/create-exchange env.POLYAXON_MANAGE", "Job/create-exchange image[create-exchange-job]"},
		why: "verify's limit: neither chart renders the create-exchange Job by default (the broker sub-chart's switch is rabbitmq-ha.enabled on one side, rabbitmq.enabled on the other), so its chart-set settings cannot be put down to a default"},
	{fixtures: []string{"v0-drops"}, diffs: []string{"Deployment/api env.POLYAXON_DIRS_NVIDIA"},
		why: "loss (issue 12): v0's dirs.nvidia is dropped; 2.x has no such setting"},
	{fixtures: []string{"v0-images"}, diffs: []string{"Deployment/api image[polyaxon-streams]"},
		why: "loss (issue 12): the v0 streams image (a mirror) has no counterpart in the 2.x gateway"},
	{fixtures: []string{"i12-default-changed-agent"}, diffs: []string{"Deployment/agent env.POLYAXON_MAX_CONCURRENT_RECONCILES", "Deployment/operator env.POLYAXON_MAX_CONCURRENT_RECONCILES"},
		why: "the migration's choice, said in its report: 1.x's maxConcurrentReconciles default (1) is not accepted by the 2.x CLI, so the 2.x default (8) applies"},
	{fixtures: []string{"v1-unknown-key"}, diffs: []string{
		"Deployment/api resources[polyaxon-api].limits", "Deployment/gateway -> Deployment/api resources[polyaxon-api].limits",
		"Deployment/streams -> Deployment/api resources[polyaxon-api].limits"},
		why: "loss (issue 12): the resource limits of api, gateway and streams become the gateway's one limit"},
	{fixtures: []string{"v1-api-gateway-merge"}, diffs: []string{"Deployment/gateway -> Deployment/api nodeSelector"},
		why: "loss (issue 12): api and gateway merged into one pod keep api's nodeSelector, not gateway's"},
	{fixtures: []string{"v1-gateway-conflict"}, diffs: []string{"Deployment/gateway -> Deployment/api replicas"},
		why: "loss (issue 12): api and gateway merged into one pod keep one replica count"},
	{fixtures: []string{"v1-gateway-only"}, diffs: []string{"Deployment/api replicas"},
		why: "handed to a human: v1 gateway.replicas sized the nginx proxy, in 2.x it sizes the api pod (the migration's TODO)"},
	{fixtures: []string{"v1-streams"}, diffs: []string{"Deployment/streams -> Deployment/api replicas"},
		why: "handed to a human: streams' replicas are not folded into the gateway (the migration's TODO)"},
	{fixtures: []string{"i12-api-concurrency"}, diffs: []string{"Deployment/api env.POLYAXON_PROXY_GATEWAY_CONCURRENCY", "Deployment/operator env.POLYAXON_PROXY_GATEWAY_CONCURRENCY"},
		why: "the migration's choice: 1.20's api.concurrency rendered nothing; moved to gateway.concurrency it now sets the proxy's concurrency"},
	{fixtures: []string{"i12-host-port"}, diffs: []string{"Deployment/api env.POLYAXON_DB_HOST"},
		why: "the migration's fix: a host written as host:port is split into host and port (the endpoint is the same, the value is not)"},
	{fixtures: []string{"i12-ingress-tls-map"}, diffs: []string{"Ingress/ingress tls[tls-secret]"},
		why: "the migration's fix: 0.6.1 renders the v0 tls map as is (not a list, so no TLS); the migrated list is real TLS"},
	{fixtures: []string{"v0-chain", "v0-renames"}, diffs: []string{"Deployment/api podSecurityContext"},
		why: "to decide (issue 12): v0 gave the platform's pods only fsGroup (user and group were for runs); 2.x's securityContext also sets runAsUser/runAsGroup on them"},
	{fixtures: []string{"v0-renames"}, diffs: []string{"Deployment/api env.POLYAXON_INTERVALS_EXPERIMENTS_SCHEDULER"},
		why: "loss (issue 12): intervals.experimentsScheduler becomes intervals.runsScheduler, which 2.x does not render"},
	{fixtures: []string{"v1-misc"}, diffs: []string{
		"Deployment/agent env.POLYAXON_AGENT_COMPRESSED_LOGS", "Deployment/api env.POLYAXON_AGENT_COMPRESSED_LOGS", "Deployment/operator env.POLYAXON_AGENT_COMPRESSED_LOGS",
		"Deployment/agent env.POLYAXON_PROXY_SERVICES_PORT", "Deployment/api env.POLYAXON_PROXY_SERVICES_PORT", "Deployment/operator env.POLYAXON_PROXY_SERVICES_PORT",
		"Deployment/api env.POLYAXON_AUTH_SAML_OPTIONS"},
		why: "loss (issue 12): agent.compressedLogs, services.port and the SAML options have no 2.x setting"},
	{fixtures: []string{"i12-flat-persistence", "i12-flat-persistence-nologs"}, render: true,
		why: "the flat persistence input does not render with 0.6.1 (scheduler-deployment.yaml fails): nothing to compare"},
	{fixtures: []string{"agent-v1"}, render: true,
		why: "the input's api section lacks api.service, which agent 1.20.0 reads (streams-deployment.yaml fails): nothing to compare"},
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
				Old: Side{Chart: filepath.Join(charts, old), Files: []File{{Name: name + ".in.yaml", Data: src}}},
				New: Side{Chart: filepath.Join(charts, news[res.Chart]), Files: []File{{Name: name + ".v2.yaml", Data: res.Output}}},
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
			outcome := "equivalent"
			if !rep.Equivalent {
				outcome = fmt.Sprintf("%d known difference(s)", len(got))
			}
			summary = append(summary, fmt.Sprintf("%-28s %s -> %s: %s, %d intended", name, old, news[res.Chart], outcome, len(rep.Intended)))
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
