package values

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chartutil"
	helmvalues "helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

// mergeCase is one `helm install -f ... --set ...` command line.
type mergeCase struct {
	name  string
	files []string // YAML texts, named l0.yaml, l1.yaml, ...
	sets  []Set
	// extra files a --set-file flag reads, by name
	extra map[string]string
	// defaults are chart defaults to coalesce with (Helm deletes the keys a
	// user null names)
	defaults string
	// where the merged value at a path comes from: path -> Pos.String()
	from map[string]string
}

var mergeCases = []mergeCase{
	{
		name: "nested maps merge key by key",
		files: []string{
			"a:\n  x: 1\n  w:\n    p: 1\n    q: old\nkeep: true\n",
			"a:\n  w:\n    q: new\n  z: 3\n",
		},
		from: map[string]string{"a.x": "l0.yaml:2:6", "a.w.p": "l0.yaml:4:8", "a.w.q": "l1.yaml:3:8", "a.z": "l1.yaml:4:6", "keep": "l0.yaml:6:7", "a": "l1.yaml:2:3"},
	},
	{
		name:  "lists replace whole",
		files: []string{"l: [1, 2, 3]\nm:\n  - a: 1\n  - b: 2\n", "l: [4]\nm: []\n"},
		from:  map[string]string{"l[0]": "l1.yaml:1:5"},
	},
	{
		name:     "null replaces, then deletes the chart default",
		files:    []string{"x:\n  p: 1\nv: 2\nz: 3\n", "x: null\nz:\n"},
		defaults: "x:\n  p: 0\n  d: 1\nv: 0\nz: 0\nw: 1\n",
		from:     map[string]string{"x": "l1.yaml:1:4", "z": "l1.yaml:2:3", "v": "l0.yaml:3:4"},
	},
	{
		name:  "a scalar replaces a map and a map replaces a scalar",
		files: []string{"a:\n  b: 1\nc: 2\n", "a: off\nc:\n  d: 1\n"},
		from:  map[string]string{"a": "l1.yaml:1:4", "c.d": "l1.yaml:3:6"},
	},
	{
		name:  "an empty map does not clear",
		files: []string{"a:\n  b: 1\n", "a: {}\n"},
		from:  map[string]string{"a.b": "l0.yaml:2:6"},
	},
	{
		name:  "YAML 1.1 scalars, anchors, merge keys and duplicates as Helm reads them",
		files: []string{"base: &b\n  enabled: yes\n  k: 0x1F\nuse:\n  <<: *b\n  k: 2\ndup: 1\ndup: 2\n", "tag: 2.10\nver: '2.10'\n"},
		from:  map[string]string{"dup": "l0.yaml:8:6", "use.k": "l0.yaml:6:6", "use.enabled": "l0.yaml:2:12", "tag": "l1.yaml:1:6"},
	},
	{
		name:  "YAML 1.1 keys are the keys Helm reads",
		files: []string{"a:\n  y: 1\n  on: 2\nn: [1]\n", "a:\n  'true': 3\nfalse: 4\n"},
		from:  map[string]string{"a.true": "l1.yaml:2:11", "false": "l1.yaml:3:8"},
	},
	{
		name:  "--set types",
		files: []string{"a:\n  b: x\n"},
		sets:  []Set{{SetValue, "a.b=1,c=true,d=null,e=0755,f=1.5,g=abc,h=0,i=FALSE,j="}},
		from:  map[string]string{"a.b": "--set[0]", "e": "--set[0]", "j": "--set[0]"},
	},
	{
		name:  "--set escapes and lists",
		files: []string{"labels:\n  app: x\n"},
		sets:  []Set{{SetValue, `labels.app\.kubernetes\.io/name=px,v=a\,b,l={a,b,c}`}, {SetValue, `nodeSelector.kubernetes\.io/os=linux`}},
		from:  map[string]string{"labels.app": "l0.yaml:2:8", `labels["app.kubernetes.io/name"]`: "--set[0]", "l[2]": "--set[0]", `nodeSelector["kubernetes.io/os"]`: "--set[1]"},
	},
	{
		name:  "--set indices edit a list in place",
		files: []string{"list: [p, q]\nitems:\n  - name: a\n    port: 1\n  - name: b\n"},
		sets:  []Set{{SetValue, "list[1]=x,list[3]=y,items[0].name=n,items[1].port=8"}},
		from:  map[string]string{"list[0]": "l0.yaml:1:8", "list[1]": "--set[0]", "list[2]": "--set[0]", "list[3]": "--set[0]", "items[0].name": "--set[0]", "items[0].port": "l0.yaml:4:11", "items[1].name": "l0.yaml:5:11", "items[1].port": "--set[0]"},
	},
	{
		name:  "Helm's flag order is json then set then string then file then literal",
		files: []string{"x: 0\n"},
		sets: []Set{
			{SetLiteral, "lit=a,b=c"},
			{SetString, "x=1,s=true"},
			{SetValue, "x=2,y=3"},
			{SetFile, "f=f.txt"},
			{SetJSON, `j={"k":[1,"2",null]},y=4`},
			{SetValue, "z=last"},
		},
		extra: map[string]string{"f.txt": "line one\nline two\n"},
		from:  map[string]string{"x": "--set-string[0]", "y": "--set[0]", "j.k[0]": "--set-json[0]", "lit": "--set-literal[0]", "f": "--set-file[0]", "z": "--set[1]"},
	},
	{
		name:  "a --set equal to the file's value still comes from the flag",
		files: []string{"a: 1\nb: c\n"},
		sets:  []Set{{SetValue, "a=1"}},
		from:  map[string]string{"a": "--set[0]", "b": "l0.yaml:2:4"},
	},
	{
		name:     "--set null deletes a default",
		files:    []string{"a:\n  b: 1\n"},
		sets:     []Set{{SetValue, "a=null"}},
		defaults: "a:\n  c: 2\nd: 1\n",
		from:     map[string]string{"a": "--set[0]"},
	},
	{
		name: "three layers",
		files: []string{
			"gateway:\n  replicas: 1\n  service:\n    type: ClusterIP\n    port: 80\n",
			"gateway:\n  service:\n    type: LoadBalancer\n",
			"gateway:\n  replicas: 3\n",
		},
		sets: []Set{{SetValue, "gateway.service.port=8080"}},
		from: map[string]string{"gateway.replicas": "l2.yaml:2:13", "gateway.service.type": "l1.yaml:3:11", "gateway.service.port": "--set[0]"},
	},
	{
		name:  "later flags add to what earlier flags set",
		files: []string{"a:\n  c: 1\nl: [x, y, z]\n"},
		sets:  []Set{{SetJSON, `a={"b":{"x":1}}`}, {SetValue, "a.b.y=2,l[1]=q"}, {SetValue, "l[0]=p"}},
		from: map[string]string{"a": "l0.yaml:2:3", "a.b": "--set[0]", "a.b.x": "--set-json[0]", "a.b.y": "--set[0]",
			"l[0]": "--set[1]", "l[1]": "--set[0]", "l[2]": "l0.yaml:3:11"},
	},
	{
		name: "only flags",
		sets: []Set{{SetValue, "a.b[0].c=1"}, {SetString, "a.d=2"}},
		from: map[string]string{"a.b[0].c": "--set[0]", "a.d": "--set-string[0]"},
	},
}

// TestMergeMatchesHelm layers each case with Merge and with Helm's own
// MergeValues (the code behind `helm install -f -set`), and compares the
// values, then coalesces both with chart defaults the way Helm does.
func TestMergeMatchesHelm(t *testing.T) {
	for _, tc := range mergeCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var docs []*Document
			var opts helmvalues.Options
			for i, text := range tc.files {
				name := "l" + string(rune('0'+i)) + ".yaml"
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				doc, err := Load(name, []byte(text), DefaultLimits())
				if err != nil {
					t.Fatalf("load %s: %v", name, err)
				}
				docs = append(docs, doc)
				opts.ValueFiles = append(opts.ValueFiles, path)
			}
			for name, text := range tc.extra {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sets := make([]Set, len(tc.sets))
			for i, s := range tc.sets {
				sets[i] = s
				if s.Kind == SetFile {
					// Helm reads the path as given; make it absolute for both.
					k, v, _ := strings.Cut(s.Expr, "=")
					sets[i].Expr = k + "=" + filepath.Join(dir, v)
				}
				e := sets[i].Expr
				switch s.Kind {
				case SetJSON:
					opts.JSONValues = append(opts.JSONValues, e)
				case SetValue:
					opts.Values = append(opts.Values, e)
				case SetString:
					opts.StringValues = append(opts.StringValues, e)
				case SetFile:
					opts.FileValues = append(opts.FileValues, e)
				case SetLiteral:
					opts.LiteralValues = append(opts.LiteralValues, e)
				}
			}
			helm, err := opts.MergeValues(getter.Providers{})
			if err != nil {
				t.Fatalf("helm: %v", err)
			}
			merged, err := Merge(Layers{Files: docs, Sets: sets, ReadFile: os.ReadFile})
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			ours := merged.Root.Interface()
			if !reflect.DeepEqual(Normalize(ours), Normalize(helm)) {
				t.Fatalf("merged values differ from Helm's\n ours: %#v\n helm: %#v", Normalize(ours), Normalize(helm))
			}
			if tc.defaults != "" {
				var defs map[string]any
				d, err := Load("defaults.yaml", []byte(tc.defaults), DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				defs = d.Root.Interface().(map[string]any)
				a := chartutil.CoalesceTables(Normalize(ours).(map[string]any), deepCopy(defs).(map[string]any))
				b := chartutil.CoalesceTables(Normalize(helm).(map[string]any), deepCopy(defs).(map[string]any))
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("coalesced with defaults, values differ\n ours: %#v\n helm: %#v", a, b)
				}
			}
			checkTree(t, merged.Root)
			got := provenance(merged.Root)
			for path, want := range tc.from {
				if got[path] != want {
					t.Errorf("%s comes from %q, want %q", path, got[path], want)
				}
			}
			if t.Failed() {
				t.Logf("provenance: %v", got)
			}
		})
	}
}

// TestMergeKeepsLayers checks that merging does not modify the layers.
func TestMergeKeepsLayers(t *testing.T) {
	a, err := Load("a.yaml", []byte("x:\n  w: 1\nl: [1]\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load("b.yaml", []byte("x:\n  z: 2\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	before := provenance(a.Root)
	m, err := Merge(Layers{Files: []*Document{a, b}, Sets: []Set{{SetValue, "x.w=3,l[0]=2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := provenance(a.Root); !reflect.DeepEqual(got, before) {
		t.Errorf("layer a changed: %v, was %v", got, before)
	}
	if a.Root.Lookup("x", "w").Value != 1.0 || a.Root.Lookup("x").Parent != a.Root {
		t.Errorf("layer a's tree was modified")
	}
	if m.Name != "a.yaml + b.yaml + --set[0]" {
		t.Errorf("Name = %q", m.Name)
	}
	if m.Start().String() != "a.yaml:1:1" {
		t.Errorf("Start = %v", m.Start())
	}
	if string(m.Source("b.yaml")) != string(b.Src) || m.Source("--set[0]") != nil || m.Src != nil {
		t.Errorf("Source does not give each layer's bytes")
	}
	if one, _ := Merge(Layers{Files: []*Document{a}}); one != a {
		t.Errorf("one file without flags is not returned as is")
	}
}

// TestMergeErrors checks that bad flags fail with the flag as position.
func TestMergeErrors(t *testing.T) {
	for _, tc := range []struct {
		set  Set
		want string
	}{
		{Set{SetValue, "a"}, `--set[0]: invalid --set: key "a" has no value`},
		{Set{SetJSON, "a={"}, "--set-json[0]: invalid --set-json:"},
		{Set{SetValue, "a[99999999]=1"}, "--set[0]: invalid --set: "},
		{Set{SetFile, "a=/nonexistent/x"}, "--set-file[0]: invalid --set-file: "},
	} {
		_, err := Merge(Layers{Sets: []Set{tc.set}, ReadFile: os.ReadFile})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s %s: error %v, want prefix %q", tc.set.Kind.Flag(), tc.set.Expr, err, tc.want)
		}
	}
}

// provenance maps every path of the tree to the position of its value.
func provenance(root *Node) map[string]string {
	out := map[string]string{}
	root.Walk(func(n *Node) bool {
		if n.Parent != nil {
			out[n.Path()] = n.Pos.String()
		}
		return true
	})
	return out
}

// checkTree verifies the parent links, keys and indices of a merged tree.
func checkTree(t *testing.T, root *Node) {
	t.Helper()
	root.Walk(func(n *Node) bool {
		for _, e := range n.Entries {
			if e.Parent != n || e.Index != -1 {
				t.Errorf("%s: bad parent or index", e.Path())
			}
			if e.Shadowed && (e.Shadow == nil || e.Shadow.Parent != n) {
				t.Errorf("%s: shadow outside the map", e.Path())
			}
		}
		for i, it := range n.Items {
			if it.Parent != n || it.Index != i {
				t.Errorf("%s: bad parent or index", it.Path())
			}
		}
		return true
	})
}

func deepCopy(v any) any { return Normalize(v) }

// TestSetNames checks the pseudo file names of flags.
func TestSetNames(t *testing.T) {
	got := map[string]bool{}
	for k := SetJSON; k <= SetLiteral; k++ {
		got[SetName(k, 2)] = IsSetName(SetName(k, 2))
	}
	want := map[string]bool{"--set-json[2]": true, "--set[2]": true, "--set-string[2]": true, "--set-file[2]": true, "--set-literal[2]": true}
	if !maps.Equal(got, want) {
		t.Errorf("SetName: %v", got)
	}
	if IsSetName("values.yaml") || IsSetName("") {
		t.Errorf("IsSetName takes a file for a flag")
	}
}

// TestMergeKeepsDuplicates checks that a duplicate key stays visible (for
// the duplicate-key check) after layering, unless a later layer replaced it.
func TestMergeKeepsDuplicates(t *testing.T) {
	a, err := Load("a.yaml", []byte("g:\n  r: 1\n  r: 2\n  s: x\nh:\n  k: 1\n  k: 2\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load("b.yaml", []byte("g:\n  t: 1\nh:\n  k: 3\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(Layers{Files: []*Document{a, b}, Sets: []Set{{SetValue, "g.s=y"}}})
	if err != nil {
		t.Fatal(err)
	}
	shadowed := func(n *Node) (out []string) {
		for _, e := range n.Entries {
			if e.Shadowed {
				out = append(out, e.Key+"@"+e.KeyPos.String()+"->"+e.Shadow.KeyPos.String())
				if e.Shadow.Parent != n {
					t.Errorf("%s: the shadowing entry is not in the merged map", e.Path())
				}
			}
		}
		return out
	}
	if got := shadowed(m.Root.Get("g")); !reflect.DeepEqual(got, []string{"r@a.yaml:2:3->a.yaml:3:3"}) {
		t.Errorf("g: shadowed %v, want the first r of a.yaml", got)
	}
	if got := shadowed(m.Root.Get("h")); got != nil {
		t.Errorf("h: shadowed %v, want none (b.yaml replaced k)", got)
	}
	checkTree(t, m.Root)
}

// TestMergeStart checks the whole-document position of merged documents.
func TestMergeStart(t *testing.T) {
	only, err := Merge(Layers{Sets: []Set{{SetValue, "a=1"}, {SetString, "b=2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if only.Name != "--set[0] + --set-string[0]" || only.Start().IsValid() || only.Start().File != only.Name {
		t.Errorf("flags only: name %q, start %v", only.Name, only.Start())
	}
	plain, err := Load("x + y.yaml", []byte("a: 1\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if plain.Start().String() != "x + y.yaml:1:1" {
		t.Errorf("plain file: start %v", plain.Start())
	}
}
