package migrate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/facts"
)

// benchV061 returns the platform 0.6.1 defaults: the released file (with
// its comments) from the chart corpus when present, else the release
// rebuilt from cue/facts (same keys and values, no comments).
func benchV061(b testing.TB) (string, []byte) {
	b.Helper()
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "shared", "reference", "polyaxon-charts", "platform", "v0.6.1.yaml")
	if src, err := os.ReadFile(corpus); err == nil {
		return corpus, src
	}
	dir, err := facts.Dir()
	if err != nil {
		b.Fatal(err)
	}
	rs, err := facts.Releases(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		if r.Chart == "platform" && r.Version == "0.6.1" {
			return r.Name(), r.YAML
		}
	}
	b.Fatal("no platform 0.6.1 release in cue/facts")
	return "", nil
}

// BenchmarkMigrateV061 migrates the platform 0.6.1 defaults to v2 with a
// fresh catalog and migrator each time: the work of one `pxvalues
// migrate --to v2` call minus process start (bench/run.sh compares that
// call with a lint of the same file).
func BenchmarkMigrateV061(b *testing.B) {
	name, src := benchV061(b)
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(cue.New())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Migrate(name, src, Options{To: "v2"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMigrateV061Warm is BenchmarkMigrateV061 with the migrator (and
// its compiled data) shared: the cost of the migration itself.
func BenchmarkMigrateV061Warm(b *testing.B) {
	name, src := benchV061(b)
	m, err := New(cue.New())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Migrate(name, src, Options{To: "v2"}); err != nil {
			b.Fatal(err)
		}
	}
}

// flowLine returns a values file of about 1 MB on one line: a flow map
// whose `labels` hold n keys, rooted (`{deploymentChart: ..., labels:
// {...}}`) or under a block key (`labels: {...}`), with the v0 keys the
// rules reach into (`api`, `persistence`) when v0.
func flowLine(n int, root, v0 bool) []byte {
	var b bytes.Buffer
	head := "deploymentChart: platform, gateway: {replicas: 1}"
	if v0 {
		head = "api: {replicas: 2, service: {nodePort: 30000}}, persistence: {logs: {existingClaim: logs-pvc, mountPath: /logs}}"
	}
	if root {
		b.WriteString("{" + head + ", labels: {")
	} else {
		b.WriteString("labels: {")
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "k%05d: %s", i, strings.Repeat("v", 42))
	}
	if root {
		b.WriteString("}}\n")
	} else {
		b.WriteString("}\n")
		if v0 {
			b.WriteString("api: {replicas: 2, service: {nodePort: 30000}}\npersistence: {logs: {existingClaim: logs-pvc, mountPath: /logs}}\n")
		} else {
			b.WriteString("deploymentChart: platform\ngateway: {replicas: 1}\n")
		}
	}
	return b.Bytes()
}

// BenchmarkMigrateFlowLine migrates 1 MB single-line flow maps (issue 14:
// linear time, under 1 s): the root a flow map, or a block root holding
// one, from v0 (most rules run) and from v1.
func BenchmarkMigrateFlowLine(b *testing.B) {
	m, err := New(cue.New())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		root, v0 bool
	}{
		{"root-v1", true, false},
		{"root-v0", true, true},
		{"nested-v0", false, true},
	} {
		src := flowLine(20_000, c.root, c.v0)
		from := "v1"
		if c.v0 {
			from = "v0"
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Migrate("flow.yaml", src, Options{Chart: "platform", From: from, To: "v2"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
