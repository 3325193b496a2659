package verify

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/pxvalues/pxvalues/values"
)

// TestAgreedSwitches: only the on/off switches both sides set alike (files,
// later wins, then --set) are given to the switched defaults render.
func TestAgreedSwitches(t *testing.T) {
	old := Side{
		Files: []File{
			{Name: "a.yaml", Data: []byte("scheduler:\n  enabled: false\nworker: {enabled: true}\nbeat: {enabled: true}\ningress:\n  enabled: true\nlist:\n  - enabled: true\nfeature:\n  enabled: \"true\"\n")},
			{Name: "b.yaml", Data: []byte("scheduler:\n  enabled: true\nrabbitmq-ha:\n  enabled: true\n")},
		},
		Sets: []string{"ldap.enabled=true,x=1", "beat.enabled=false"},
	}
	new := Side{
		Files: []File{{Name: "new.yaml", Data: []byte("scheduler:\n  enabled: true\nworker:\n  enabled: true\nbeat:\n  enabled: true\nlist:\n  - enabled: true\nfeature:\n  enabled: \"true\"\nrabbitmq:\n  enabled: true\n")}},
		Sets:  []string{"ldap.enabled=true"},
	}
	var docs [2][]*values.Document
	for i, side := range []Side{old, new} {
		var err error
		if docs[i], err = loadDocs(side.Files); err != nil {
			t.Fatal(err)
		}
	}
	both := agreedSwitches(docs, [2][]string{old.Sets, new.Sets}, map[string]string{"rabbitmq-ha.enabled": "rabbitmq.enabled"})
	// beat: off on the old side (--set); ingress: the new side lost it;
	// list items and strings are not switches; the broker's sub-chart is
	// renamed (each side gets its own spelling).
	want := map[string]bool{"scheduler.enabled": true, "worker.enabled": true, "ldap.enabled": true}
	for i, name := range []string{"rabbitmq-ha.enabled", "rabbitmq.enabled"} {
		w := maps.Clone(want)
		w[name] = true
		if !maps.Equal(both[i], w) {
			t.Errorf("agreed switches of side %d = %v, want %v", i, both[i], w)
		}
	}
	got := both[0]
	delete(got, "rabbitmq-ha.enabled")
	name, err := writeSwitches(got, t.TempDir(), "switches-*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ldap:\n    enabled: true\nscheduler:\n    enabled: true\nworker:\n    enabled: true\n"; string(b) != want {
		t.Errorf("switches file:\n%s\nwant:\n%s", b, want)
	}
	if name, err := writeSwitches(nil, t.TempDir(), "switches-*.yaml"); err != nil || name != "" {
		t.Errorf("no switch: %q, %v", name, err)
	}
	if _, err := loadDocs([]File{{Name: filepath.Join("x", "bad.yaml"), Data: []byte("a: [")}}); err == nil {
		t.Error("a file that is not YAML: no error")
	}
}
