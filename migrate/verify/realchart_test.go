package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/migrate"
)

// helmBinary returns a Helm CLI: $PXVALUES_TEST_HELM, else v3.22.0 built
// once from the Go module proxy into the user cache (the lint/chart tests
// build the same one), only with PXVALUES_SLOW_TESTS=1.
func helmBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PXVALUES_TEST_HELM"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no user cache dir for Helm's CLI")
	}
	bin := filepath.Join(cache, "pxvalues-test", "helm")
	helm := filepath.Join(bin, "helm")
	if runtime.GOOS == "windows" {
		helm += ".exe"
	}
	if _, err := os.Stat(helm); err == nil {
		return helm
	}
	if os.Getenv("PXVALUES_SLOW_TESTS") != "1" {
		t.Skip("renders with a Helm CLI built from source: set PXVALUES_SLOW_TESTS=1 (or PXVALUES_TEST_HELM)")
	}
	cmd := exec.Command("go", "install", "helm.sh/helm/v3/cmd/helm@v3.22.0")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("installing Helm: %v\n%s", err, out)
	}
	return helm
}

// realCharts returns the folder of the real charts ($PXVALUES_CHARTS).
func realCharts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("PXVALUES_CHARTS")
	if dir == "" {
		t.Skip("needs the real Polyaxon charts: set PXVALUES_CHARTS (e.g. ../shared/reference/charts)")
	}
	if _, err := os.Stat(filepath.Join(dir, "platform-2.15.1", "Chart.yaml")); err != nil {
		t.Skipf("PXVALUES_CHARTS=%s holds no platform-2.15.1 chart", dir)
	}
	return dir
}

// migrateFile migrates src to v2 from the major from ("" detects it).
func migrateFile(t testing.TB, name, from string, src []byte) []byte {
	t.Helper()
	return migrateSource(t, name, from, src).Output
}

// migrateSource migrates src to v2 from the major from ("" detects it)
// and returns the whole result (report included).
func migrateSource(t testing.TB, name, from string, src []byte) *migrate.Result {
	t.Helper()
	m, err := migrate.New(cue.New())
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Migrate(name, src, migrate.Options{From: from, To: "v2"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// migrateRule migrates the v1 fixture name of the migrate tests
// (migrate/testdata/rules/NAME.in.yaml) to v2: its source and its result.
func migrateRule(t testing.TB, name string) ([]byte, *migrate.Result) {
	t.Helper()
	in := filepath.Join("..", "testdata", "rules", name+".in.yaml")
	src, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	return src, migrateSource(t, in, "v1", src)
}

// TestMigrateDefaultsVerify: the migration of every platform default
// (0.6.1, 1.20.0) verifies as equivalent against 2.15.1, intended
// differences aside.
func TestMigrateDefaultsVerify(t *testing.T) {
	charts := realCharts(t)
	helm := helmBinary(t)
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{"platform-0.6.1", "platform-1.20.0"} {
		t.Run(old, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(charts, old, "values.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			out := migrateFile(t, "values.yaml", "", src)
			rep, err := v.Verify(context.Background(), Options{Helm: helm,
				Old: Side{Chart: filepath.Join(charts, old), Files: []File{{Name: "values.yaml", Data: src}}},
				New: Side{Chart: filepath.Join(charts, "platform-2.15.1"), Files: []File{{Name: "migrated.yaml", Data: out}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Equivalent {
				var b strings.Builder
				rep.Write(&b, "text", false)
				t.Errorf("not equivalent:\n%s", b.String())
			}
			if len(rep.Notes) == 0 || !strings.Contains(strings.Join(rep.Notes, "\n"), "without its sub-charts") {
				t.Errorf("the report does not say the sub-charts are missing: %q", rep.Notes)
			}
		})
	}
}

// TestPlantedFaults: faithful migrations verify as equivalent; each
// planted fault fails naming the workload, the setting and the key.
func TestPlantedFaults(t *testing.T) {
	charts := realCharts(t)
	helm := helmBinary(t)
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	type fault struct {
		name, from, to         string
		workload, setting, key string
	}
	for _, tc := range []struct {
		file, chart string
		// from is the input's major ("" detects it).
		from   string
		faults []fault
		// known are differences of the faithful migration that are real
		// losses of the migration itself (reported, not hidden).
		known []string
	}{
		{"v0-full.yaml", "platform-0.6.1", "", []fault{
			{"dropped nodeSelector", "nodeSelector:\n  pool: core\n", "", "Deployment/api", "nodeSelector", "chart default (gateway.nodeSelector)"},
			{"changed nodePort", "nodePort: 31900", "nodePort: 31901", "Service/gateway", "nodePort[", "gateway.service.nodePort"},
			{"lost TLS secret", "  tls:\n    - secretName: polyaxon-tls\n      hosts:\n        - polyaxon.example.com\n", "", "Ingress/ingress", "tls[polyaxon-tls]", "chart default (ingress.tls)"},
			{"lost replica count", "  replicas: 2\n", "", "Deployment/api", "replicas", "chart default (gateway.replicas)"},
			{"lost volume", "    volumeClaim: outputs-pvc\n", "", "Deployment/api", "mount /outputs", "(artifactsStore)"},
			{"changed connection", "volumeClaim: logs-pvc", "volumeClaim: logs-pvc2", "Deployment/api", "mount /polyaxon-logs", "(connections)"},
		}, nil},
		{"v1-full.yaml", "platform-1.20.0", "", []fault{
			{"dropped nodeSelector", "  nodeSelector:\n    pool: core\n", "", "Deployment/api", "nodeSelector", "chart default (gateway.nodeSelector)"},
			{"changed nodePort", "nodePort: 31900", "nodePort: 31901", "Service/gateway", "nodePort[", "gateway.service.nodePort"},
			{"lost TLS secret", "  tls:\n    - secretName: polyaxon-tls\n      hosts:\n        - polyaxon.example.com\n", "", "Ingress/ingress", "tls[polyaxon-tls]", "chart default (ingress.tls)"},
			{"lost replica count", "  replicas: 3\n", "", "Deployment/api", "replicas", "chart default (gateway.replicas)"},
			{"changed env value", "    user: polyaxon\n", "    user: px\n", "Deployment/api", "env.POLYAXON_DB_USER", "(externalServices.postgresql.user)"},
			{"lost volume", "    volumeClaim: artifacts-pvc\n", "", "Deployment/api", "mount /artifacts", "(artifactsStore)"},
			{"lost connection", "connections:\n  - name: datasets\n    kind: volume_claim\n    schema:\n      mountPath: /datasets\n      volumeClaim: datasets-pvc\n", "", "Deployment/api", "env.POLYAXON_AGENT_CONNECTIONS", "chart default (connections)"},
		}, nil},
		// Celery kept (scheduler, worker and beat on): their settings are
		// judged against defaults rendered with the same switches.
		{"v1-celery.yaml", "platform-1.20.0", "v1", []fault{
			{"changed broker", "host: redis.example.com", "host: redis2.example.com", "Deployment/scheduler", "env.POLYAXON_REDIS_CELERY_BROKER_URL", "(externalServices.redis)"},
			{"lost worker", "worker:\n  enabled: true\n", "", "Deployment/worker", "(object)", ""},
		}, nil},
	} {
		src, err := os.ReadFile(filepath.Join("testdata", "faults", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		good := string(migrateFile(t, tc.file, tc.from, src))
		run := func(t *testing.T, migrated string) *Report {
			rep, err := v.Verify(context.Background(), Options{Helm: helm,
				Old: Side{Chart: filepath.Join(charts, tc.chart), Files: []File{{Name: tc.file, Data: src}}},
				New: Side{Chart: filepath.Join(charts, "platform-2.15.1"), Files: []File{{Name: "migrated.yaml", Data: []byte(migrated)}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		faithful := map[string]bool{}
		t.Run(tc.file+"/faithful", func(t *testing.T) {
			rep := run(t, good)
			for _, d := range rep.Differences {
				faithful[d.Workload+" "+d.Setting] = true
			}
			var unknown []string
			for _, d := range rep.Differences {
				if !slices.Contains(tc.known, d.Workload+" "+d.Setting) {
					unknown = append(unknown, d.Workload+" "+d.Setting)
				}
			}
			if len(unknown) > 0 || len(rep.Differences) != len(tc.known) {
				var b strings.Builder
				rep.Write(&b, "text", false)
				t.Errorf("the faithful migration is not equivalent:\n%s", b.String())
			}
		})
		for _, f := range tc.faults {
			t.Run(tc.file+"/"+f.name, func(t *testing.T) {
				if !strings.Contains(good, f.from) {
					t.Fatalf("the migration has no %q to plant the fault in:\n%s", f.from, good)
				}
				rep := run(t, strings.Replace(good, f.from, f.to, 1))
				var b strings.Builder
				rep.Write(&b, "text", false)
				if rep.Equivalent {
					t.Fatalf("the fault is not found:\n%s", b.String())
				}
				for _, d := range rep.Differences {
					if d.Workload == f.workload && strings.HasPrefix(d.Setting, f.setting) && strings.Contains(d.Where(), f.key) && !faithful[d.Workload+" "+d.Setting] {
						return
					}
				}
				t.Errorf("no difference names %s %s %s:\n%s", f.workload, f.setting, f.key, b.String())
			})
		}
	}
}
