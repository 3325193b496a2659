package migrate

import (
	"strings"
	"testing"
)

// TestMapped checks where a removed leaf would be in the target release:
// its path, moved by the unconditional renames and merges of the steps
// after the one that removed it.
func TestMapped(t *testing.T) {
	m, _ := engines(t)
	tests := []struct {
		name, path, at, to, want string
	}{
		{"a v0 drop meets the v1->v2 rename", "redis.persistence.enabled", "platform/v0->v1", "v2", "redis.master.persistence.enabled"},
		{"a v0 drop meets the v1->v2 merge", "api.replicas", "platform/v0->v1", "v2", "gateway.replicas"},
		{"no step after the last", "redis.persistence.enabled", "platform/v1->v2", "v2", "redis.persistence.enabled"},
		{"a migration that stops at v1", "api.replicas", "platform/v0->v1", "v1", "api.replicas"},
		{"no step named: the path as it is", "api.replicas", "", "v2", "api.replicas"},
		{"a key beside the renamed one stays", "redis.persistenceX", "platform/v0->v1", "v2", "redis.persistenceX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &run{m: m, res: &Result{Chart: "platform", To: tt.to}}
			l := &leaf{cur: split(tt.path)}
			if tt.at != "" {
				l.at = m.steps[tt.at]
				if l.at == nil {
					t.Fatalf("no step %s", tt.at)
				}
			}
			if got := strings.Join(r.mapped(l), "."); got != tt.want {
				t.Errorf("mapped(%s) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}
