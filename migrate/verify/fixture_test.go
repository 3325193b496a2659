package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/internal/golden"
)

// TestFixtureCharts verifies hand-made migrations between two small
// fixture charts that reproduce the template behaviour involved: api,
// gateway and streams merged into one Deployment, a nodePort default that
// moved (31833 -> 31811), a secret generated with randAlphaNum, a
// PostgreSQL dependency declared but not carried, an Ingress with TLS, a
// scheduler whose default settings exist only when it is switched on.
func TestFixtureCharts(t *testing.T) {
	helm := helmBinary(t)
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) File {
		b, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
		if err != nil {
			t.Fatal(err)
		}
		return File{Name: filepath.ToSlash(filepath.Join("testdata", "fixtures", name)), Data: b}
	}
	for _, tc := range []struct {
		name     string
		old, new string
		from, to string // a planted fault in new
		equal    bool
		want     string // workload setting key, of a difference
		// handed: a difference handed to a human by a TODO of new
		// (workload setting decision).
		handed string
	}{
		{"faithful", "old.yaml", "new.yaml", "", "", true, "", ""},
		{"dropped-nodeSelector", "old.yaml", "new.yaml", "  nodeSelector:\n    pool: core\n", "", false, "Deployment/api nodeSelector chart default (gateway.nodeSelector)", ""},
		{"changed-nodePort", "old.yaml", "new.yaml", "31900", "31901", false, "Service/gateway nodePort[#0] testdata/fixtures/new.yaml:8 (gateway.service.nodePort)", ""},
		{"lost-tls", "old.yaml", "new.yaml", "  tls:\n    - secretName: polyaxon-tls\n      hosts: [polyaxon.example.com]\n", "", false, "Ingress/ingress tls[polyaxon-tls] chart default (ingress.tls)", ""},
		{"lost-replicas", "old.yaml", "new.yaml", "  replicas: 3\n", "", false, "Deployment/api replicas chart default (gateway.replicas)", ""},
		{"changed-env", "old.yaml", "new.yaml", "timezone: Europe/Berlin", "timezone: Europe/Paris", false, "Deployment/api env.POLYAXON_TIME_ZONE testdata/fixtures/new.yaml:1 (timezone)", ""},
		{"changed-db", "old.yaml", "new.yaml", "host: db.example.com", "host: db2.example.com", false, "Deployment/api env.POLYAXON_DB_HOST testdata/fixtures/new.yaml:19 (externalServices.postgresql.host)", ""},
		{"changed-password", "old.yaml", "new.yaml", "password: 0ld-s3cret-pw", "password: n3w-s3cret-pw", false, "Deployment/api env.POLYAXON_DB_PASSWORD testdata/fixtures/new.yaml:18 (externalServices.postgresql)", ""},
		{"nodePort-default-moved", "nodeport-old.yaml", "nodeport-new.yaml", "", "", false, "Service/gateway nodePort[#0] chart default (gateway.service.nodePort)", ""},
		// Celery kept: the scheduler's settings are judged against defaults
		// rendered with the switches both sides set (scheduler.enabled),
		// not against no default at all.
		{"celery-kept", "celery-old.yaml", "celery-new.yaml", "", "", true, "", ""},
		{"celery-lost-switch", "celery-old.yaml", "celery-new.yaml", "scheduler:\n  enabled: true\n", "", false, "Deployment/scheduler (object) ", ""},
		// Differences that a key of a TODO controls are handed to a human:
		// a kept key (the TODO above it, the new side's key) and a key the
		// migration removed (the TODO names it, the old side's key).
		{"todo-kept", "old.yaml", "new.yaml", "  replicas: 3\n", "  # PXVALUES-TODO: v1 gateway.replicas sized the proxy: check the value\n  replicas: 2\n", true, "",
			"Deployment/api replicas testdata/fixtures/new.yaml:3 (gateway.replicas)"},
		{"todo-removed", "old.yaml", "new.yaml", "timezone: Europe/Berlin\n", "# PXVALUES-TODO: [timezone] `timezone` was removed: carry it over by hand\n", true, "",
			"Deployment/api env.POLYAXON_TIME_ZONE testdata/fixtures/new.yaml:1 (timezone)"},
		// A setting that must survive is not excused by a TODO about a
		// whole section, nor by one about a key it merely depends on.
		{"todo-broad", "old.yaml", "new.yaml", "    nodePort: 31900\n", "    nodePort: 31901\n# PXVALUES-TODO: [gateway] the proxy's sizing: check\n", false,
			"Service/gateway nodePort[#0] testdata/fixtures/new.yaml:8 (gateway.service.nodePort)", ""},
		{"todo-depended-on", "old.yaml", "new.yaml", "    type: NodePort\n    nodePort: 31900\n", "    # PXVALUES-TODO: check the service type\n    type: NodePort\n    nodePort: 31901\n", false,
			"Service/gateway nodePort[#0] testdata/fixtures/new.yaml:9 (gateway.service.nodePort)", ""},
		{"celery-changed-broker", "celery-old.yaml", "celery-new.yaml", "redis.example.com", "redis2.example.com", false, "Deployment/scheduler env.POLYAXON_REDIS_CELERY_BROKER_URL testdata/fixtures/celery-new.yaml:4 (externalServices.redis)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nf := read(tc.new)
			if tc.from != "" {
				if !strings.Contains(string(nf.Data), tc.from) {
					t.Fatalf("no %q in %s", tc.from, tc.new)
				}
				nf.Data = []byte(strings.Replace(string(nf.Data), tc.from, tc.to, 1))
			}
			decisions, err := TodoDecisions(nf)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Verify(context.Background(), Options{Helm: helm,
				Old:       Side{Chart: filepath.Join("testdata", "charts", "v1"), Files: []File{read(tc.old)}},
				New:       Side{Chart: filepath.Join("testdata", "charts", "v2"), Files: []File{nf}},
				Decisions: decisions,
			})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := rep.Write(&b, "text", true); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".txt"), []byte(b.String()))
			for _, format := range Formats() {
				var out strings.Builder
				if err := rep.Write(&out, format, true); err != nil {
					t.Fatal(err)
				}
				for _, secret := range []string{"0ld-s3cret-pw", "n3w-s3cret-pw"} {
					if strings.Contains(out.String(), secret) {
						t.Errorf("%s: the secret value is printed", format)
					}
				}
			}
			if rep.Equivalent != tc.equal {
				t.Errorf("equivalent = %v, want %v", rep.Equivalent, tc.equal)
			}
			var handed []string
			for _, d := range rep.Handed {
				handed = append(handed, d.Workload+" "+d.Setting+" "+d.Decision.where())
			}
			if got := strings.Join(handed, "\n"); got != tc.handed {
				t.Errorf("handed to a human:\n%s\nwant:\n%s", got, tc.handed)
			}
			if tc.want != "" {
				found := false
				for _, d := range rep.Differences {
					found = found || d.Workload+" "+d.Setting+" "+d.Where() == tc.want
				}
				if !found {
					t.Errorf("no difference %q:\n%s", tc.want, b.String())
				}
			}
		})
	}
}
