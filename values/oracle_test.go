package values

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"
)

// oracleCases are tricky inputs where a YAML 1.2 reader and Helm disagree.
var oracleCases = map[string]string{
	"yaml11 scalars": "a: yes\nb: off\nc: 0755\nd: 1_000\ne: 0x1F\nf: 2.10\ng: ~\nh: 2001-12-14\ni: +1\nj: .5\nk: 1e3\n",
	"yaml11 keys":    "y: 1\non: 2\n1.0: 3\n10: 4\n",
	"quoted":         "a: 'yes'\nb: \"0755\"\nc: !!str 12\n",
	"merge order":    "base: &b\n  x: 1\n  z: 3\na:\n  x: 10\n  <<: *b\n  z: 30\n",
	"merge list":     "p: &p {a: 1, b: 1}\nq: &q {b: 2, c: 2}\nr:\n  <<: [*p, *q]\n",
	"duplicates":     "a: 1\nb: {x: 1}\na: 2\nb: {y: 2}\n",
	"aliases":        "a: &x [1, 2]\nb: *x\nc: &m {k: v}\nd: *m\n",
	"nested lists":   "l:\n  - a: 1\n    b: [x, y]\n  - - 1\n    - 2\n",
	"empty values":   "a:\nb: {}\nc: []\nd: ''\n",
	"block scalars":  "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
	"big numbers":    "a: 12345678901234567890\nb: -9223372036854775808\nc: 1.7976931348623157e308\n",
	"timestamps":     "a: !!timestamp 2001-12-14\nb: !!timestamp 2001-12-14t21:59:43.10-05:00\nc: !!timestamp 2001-12-14 21:59:43.10\nd: !!timestamp 2001-1-2T3:4:5Z\n",
	"bad timestamp":  "a: !!timestamp x\n",
	"bad timestamp2": "a: !!timestamp 2001-12-14 21:59:43.10 -5\n",
	"bad timestamp3": "a: !!timestamp 20011214\n",
}

// TestHelmOracle checks that the positioned tree reads every value exactly
// as Helm's own decoder (sigs.k8s.io/yaml) does.
func TestHelmOracle(t *testing.T) {
	inputs := map[string][]byte{}
	for name, src := range oracleCases {
		inputs[name] = []byte(src)
	}
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "shared", "reference", "polyaxon-charts")
	files, _ := filepath.Glob(filepath.Join(corpus, "*", "*.yaml"))
	fixtures, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "..", "cmd", "pxvalues", "testdata", "lint", "*.yaml"))
	for _, f := range append(files, fixtures...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	n := 0
	for name, src := range inputs {
		var want map[string]any
		helmErr := sigsyaml.Unmarshal(src, &want)
		doc, err := Load(name, src, DefaultLimits())
		if err != nil {
			continue // rejected inputs are covered by the load tests
		}
		if helmErr != nil {
			t.Errorf("%s: pxvalues reads it, Helm fails: %v", name, helmErr)
			continue
		}
		got := doc.Root.Interface()
		if want == nil {
			want = map[string]any{}
		}
		if !reflect.DeepEqual(got, any(want)) {
			t.Errorf("%s: pxvalues reads\n%#v\nHelm reads\n%#v", name, got, want)
		}
		n++
	}
	t.Logf("%d inputs read exactly as Helm reads them", n)
}
