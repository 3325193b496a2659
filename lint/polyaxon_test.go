package lint_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// validatorCases are the checks of Polyaxon's own validator
// (../shared/reference/catalogue/cross-field-rules.md), each with a file the
// validator rejects and the pxvalues rule that must report the same
// condition.
var validatorCases = []struct {
	id, rule, chart, major, target, src string
}{
	{"V0-1", "redis-required", "platform", "v0", "", "redis:\n  enabled: false\n"},
	{"V0-2", "postgres-required", "platform", "v0", "", "postgresql:\n  enabled: false\n"},
	{"V0-3", "rabbitmq-required", "platform", "v0", "", "broker: rabbitmq\nrabbitmq-ha:\n  enabled: false\n"},
	{"V0-4", "persistence-one-source", "platform", "v0", "", "persistence:\n  upload:\n    hostPath: /u\n    existingClaim: u\n"},
	{"V0-5", "persistence-entry-fields", "platform", "v0", "polyaxon-cli", "persistence:\n  outputs:\n    o:\n      hostPath: /o\n      subPath: o\n"},
	{"V0-6", "security-context-pair", "platform", "v0", "", "securityContext:\n  user: 1000\n"},
	{"V1-1", "connection-name-unique", "platform", "v1", "", "artifactsStore:\n  name: a\n  kind: host_path\n  schema: {hostPath: /a, mountPath: /a}\nconnections:\n  - {name: a, kind: git}\n"},
	{"V1-2", "postgres-required", "platform", "v1", "", "postgresql:\n  enabled: false\n"},
	{"V1-3", "rabbitmq-in-cluster-and-external", "platform", "v1", "", "rabbitmq-ha:\n  enabled: true\nexternalServices:\n  rabbitmq: {host: mq}\n"},
	{"V1-4", "rabbitmq-not-broker", "platform", "v1", "", "broker: redis\nrabbitmq-ha:\n  enabled: true\n"},
	{"V1-5", "redis-in-cluster-and-external", "platform", "v1", "", "redis:\n  enabled: true\nexternalServices:\n  redis: {host: r}\n"},
	{"V1-6", "redis-not-broker", "platform", "v1", "", "redis:\n  enabled: true\n"},
	{"V1-7", "broker-both", "platform", "v1", "", "broker: redis\nredis:\n  enabled: true\nrabbitmq-ha:\n  enabled: true\n"},
	{"V1-8", "broker-required", "platform", "v1", "", "beat:\n  enabled: true\n"},
	{"V1-9", "agent-key-required", "agent", "v1", "", "deploymentChart: agent\n"},
	{"V1-10", "platform-agent-key", "platform", "v1", "polyaxon-cli", "deploymentChart: platform\nagent:\n  enabled: false\n"},
	{"V1-11", "enum-value", "platform", "v1", "", "gateway:\n  service:\n    type: Ingress\n"},
	{"V1-12", "agent-platform-keys", "agent", "v1", "polyaxon-cli", "deploymentChart: agent\nagent: {instance: a}\ninternalToken: t\n"},
	{"V1-13", "security-context-pair", "platform", "v1", "", "securityContext:\n  runAsGroup: 1000\n"},
	{"V1-R", "user-format", "platform", "v1", "", "user:\n  username: root user\n"},
	{"V2-T", "user-format", "platform", "v2", "", "user:\n  email: root\n"},
	{"V1-E", "enum-value", "platform", "v1", "", "broker: kafka\n"},
	{"V2-1", "postgres-required", "platform", "v2", "", "postgresql:\n  enabled: false\n"},
	{"V2-2", "rabbitmq-in-cluster-and-external", "platform", "v2", "", "broker: rabbitmq\nrabbitmq:\n  enabled: true\nexternalServices:\n  rabbitmq: {host: mq}\n"},
	{"V2-3", "rabbitmq-not-broker", "platform", "v2", "", "broker: redis\nexternalServices:\n  rabbitmq: {host: mq}\n"},
	{"V2-4", "redis-in-cluster-and-external", "platform", "v2", "", "redis:\n  enabled: true\nexternalServices:\n  redis: {host: r}\n"},
	{"V2-5", "redis-not-broker", "platform", "v2", "polyaxon-cli", "redis:\n  enabled: true\n"},
	{"V2-6", "broker-both", "platform", "v2", "", "broker: rabbitmq\nredis:\n  enabled: true\nrabbitmq:\n  enabled: true\n"},
	{"V2-7", "broker-required", "platform", "v2", "", "scheduler:\n  enabled: true\n"},
	{"V2-8", "agent-key-required", "agent", "v2", "", "deploymentChart: agent\n"},
	{"V2-9", "agent-enabled", "platform", "v2", "", "agent:\n  enabled: true\n"},
	{"V2-10", "agent-platform-keys", "agent", "v2", "polyaxon-cli", "deploymentChart: agent\nagent: {instance: a}\nbeat:\n  enabled: true\n"},
	{"V2-11", "enum-value", "platform", "v2", "", "gateway:\n  service:\n    type: Ingress\n"},
	{"V2-12", "security-context-pair", "platform", "v2", "", "securityContext:\n  runAsUser: 1000\n"},
	{"V2-13", "connection-name-unique", "platform", "v2", "", "connections:\n  - {name: a, kind: git}\n  - {name: a, kind: git}\n"},
	{"V2-E", "enum-value", "platform", "v2", "", "gateway:\n  imagePullPolicy: always\n"},
}

// TestPolyaxonValidatorRules shows that pxvalues reports every condition
// Polyaxon's validator rejects (including those it misses through bugs).
func TestPolyaxonValidatorRules(t *testing.T) {
	l := newLinter(t)
	for _, c := range validatorCases {
		t.Run(c.id, func(t *testing.T) {
			if l.Rules().Get(c.rule) == nil {
				t.Fatalf("no rule %s", c.rule)
			}
			doc, err := values.Load(c.id+".yaml", []byte(c.src), values.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.Lint(doc, lint.Options{Chart: c.chart, Major: c.major, Target: c.target})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				if d.Rule == c.rule {
					if !d.Pos.IsValid() {
						t.Errorf("%s reported without a position", c.rule)
					}
					return
				}
			}
			t.Errorf("%s: %s not reported; got %v", c.id, c.rule, res.Diagnostics)
		})
	}
}

// TestPolyaxonMessagesQuoted checks that each rule's `polyaxon` quote is
// Polyaxon's literal message as the catalogue records it.
func TestPolyaxonMessagesQuoted(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	md := filepath.Join(filepath.Dir(file), "..", "..", "shared", "reference", "catalogue", "cross-field-rules.md")
	src, err := os.ReadFile(md)
	if err != nil {
		t.Skipf("catalogue not present: %v", err)
	}
	text := string(src)
	l := newLinter(t)
	n := 0
	for _, r := range l.Rules().All() {
		if r.Polyaxon == "" {
			continue
		}
		n++
		// multi-line messages are quoted line by line in the catalogue
		for _, line := range strings.Split(r.Polyaxon, "\n") {
			if strings.HasPrefix(line, "<") {
				continue // a placeholder for the part Polyaxon fills in
			}
			if i := strings.Index(line, "<"); i > 0 {
				line = line[:i]
			}
			if !strings.Contains(text, line) {
				t.Errorf("%s: polyaxon message %q is not in the catalogue", r.ID, line)
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d rules quote Polyaxon's message", n)
	}
}
