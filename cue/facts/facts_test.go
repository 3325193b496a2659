package facts

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestReleasesRoundTrip: documents encoded as deltas rebuild to the same
// values (keys, types, number text), whatever changed between releases.
func TestReleasesRoundTrip(t *testing.T) {
	docs := []string{
		"a: 1\nb:\n  c: x\n  d: [1, 2]\ne: \"true\"\nf: 1.0\n",
		"a: 2\nb:\n  c: y\n  d: [1, 2]\ng: null\nf: 1.0\n",                   // nested change, deletion, null
		"a: 2\nb: scalar\nh: {}\ni: []\nj: \"2.10\"\nk: |\n  two\n  lines\n", // map to scalar, empties, strings that look like numbers
		"",
	}
	srcs := make([][]byte, len(docs))
	versions := make([]string, len(docs))
	for i, d := range docs {
		srcs[i] = []byte(d)
		versions[i] = "1.0." + string(rune('0'+i))
	}
	enc, err := EncodeReleases("platform", versions, srcs)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := decodeReleases("platform", enc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(docs) {
		t.Fatalf("%d releases, want %d", len(rs), len(docs))
	}
	for i, r := range rs {
		var want, got any
		if err := yaml.Unmarshal(srcs[i], &want); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(r.YAML, &got); err != nil {
			t.Fatalf("%s: %v\n%s", r.Name(), err, r.YAML)
		}
		if want == nil {
			want = map[string]any{}
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: rebuilt %#v, want %#v", r.Name(), got, want)
		}
	}
	if !strings.Contains(string(rs[0].YAML), "f: 1.0") {
		t.Errorf("number text not kept:\n%s", rs[0].YAML)
	}
}

// TestCommittedFacts: the committed facts rebuild, and every release names
// its chart and a major.
func TestCommittedFacts(t *testing.T) {
	rs, err := Releases(".")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range rs {
		seen[r.Chart+" "+r.Major()]++
	}
	for _, k := range []string{"platform v0", "platform v1", "platform v2", "agent v1", "agent v2"} {
		if seen[k] == 0 {
			t.Errorf("no release of %s", k)
		}
	}
	for _, base := range Catalogues {
		if _, err := os.Stat(filepath.Join("keys", base+".json")); err != nil {
			t.Error(err)
		}
	}
	t.Logf("%d releases rebuilt: %v", len(rs), seen)
}
