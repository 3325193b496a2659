package cond

import (
	"encoding/json"
	"testing"

	"github.com/pxvalues/pxvalues/values"
)

// env is a cond.Env over fixed data.
type env struct {
	defaults map[string]any
	helm     bool
	flags    map[string]bool
}

func (e env) Default(segs []string) (any, bool) {
	var cur any = e.defaults
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[s]; !ok {
			return nil, false
		}
	}
	return values.Normalize(cur), true
}
func (e env) HelmTarget() bool           { return e.helm }
func (e env) Custom(n *values.Node) bool { return n.Truthy() }
func (e env) Flag(name string) bool      { return e.flags[name] }

const doc = `a: 1
s: "x-y"
empty: ""
nul: null
m: {k: v}
l: [1, 2]
t: true
f: false
copy: 1
`

func TestEval(t *testing.T) {
	d, err := values.Load("v.yaml", []byte(doc), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	e := env{defaults: map[string]any{"missing": 5, "a": 1}, helm: true, flags: map[string]bool{"on": true}}
	for _, tc := range []struct {
		cond string
		want bool
	}{
		{`{"path": "a", "set": true}`, true},
		{`{"path": "empty", "set": true}`, false},
		{`{"path": "nul", "set": false}`, true},
		{`{"path": "nul", "present": true}`, true},
		{`{"path": "gone", "present": false}`, true},
		{`{"path": "t", "truthy": true}`, true},
		{`{"path": "f", "truthy": false}`, true},
		{`{"path": "gone", "truthy": false}`, true},
		{`{"path": "a", "equals": 1}`, true},
		{`{"path": "a", "equals": "1"}`, false},
		{`{"path": "s", "in": ["a", "x-y"]}`, true},
		{`{"path": "s", "matches": "^x-"}`, true},
		{`{"path": "a", "matches": "1"}`, false},
		{`{"path": "m", "type": "map"}`, true},
		{`{"path": "nul", "type": "null"}`, true},
		{`{"path": "a", "range": [0, 1]}`, true},
		{`{"path": "a", "range": [2, 3]}`, false},
		{`{"path": "a", "sameAs": "copy"}`, true},
		{`{"path": "a", "differs": "copy"}`, false},
		{`{"path": "a", "differs": "gone"}`, true},
		{`{"path": "gone", "differs": "a"}`, false},
		{`{"path": "t", "custom": true}`, true},
		{`{"path": "gone", "custom": true}`, false},
		{`{"flag": "on"}`, true},
		{`{"not": {"flag": "on"}}`, false},
		{`{"path": "missing", "equals": 5}`, false},
		{`{"path": "missing", "equals": 5, "orDefault": true}`, true},
		{`{"path": "a", "isDefault": true}`, true},
		{`{"all": [{"path": "a", "set": true}, {"path": "t", "truthy": true}]}`, true},
		{`{"all": [{"path": "a", "set": true}, {"path": "f", "truthy": true}]}`, false},
		{`{"any": [{"path": "gone", "set": true}, {"path": "t", "truthy": true}]}`, true},
		{`{"all": [{"path": "s", "type": "string"}, {"not": {"path": "s", "matches": "^[a-z]+$"}}]}`, true},
	} {
		var c Cond
		if err := json.Unmarshal([]byte(tc.cond), &c); err != nil {
			t.Fatal(err)
		}
		if err := c.Compile([]string{"on"}); err != nil {
			t.Fatalf("%s: %v", tc.cond, err)
		}
		if got := Eval(&c, d.Root, e).OK; got != tc.want {
			t.Errorf("%s = %v, want %v", tc.cond, got, tc.want)
		}
		if got := Holds(&c, d.Root, e); got != tc.want {
			t.Errorf("Holds(%s) = %v, want %v", tc.cond, got, tc.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, src := range []string{
		`{"flag": "unknown"}`,
		`{"path": "a", "matches": "("}`,
		`{"not": {"all": [{"path": "a", "matches": "["}]}}`,
	} {
		var c Cond
		if err := json.Unmarshal([]byte(src), &c); err != nil {
			t.Fatal(err)
		}
		if err := c.Compile(nil); err == nil {
			t.Errorf("%s: no error", src)
		}
	}
}

func TestEvalWitness(t *testing.T) {
	d, err := values.Load("v.yaml", []byte(doc), values.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var c Cond
	if err := json.Unmarshal([]byte(`{"all": [{"path": "a", "set": true}, {"path": "gone", "set": true}]}`), &c); err != nil {
		t.Fatal(err)
	}
	o := Eval(&c, d.Root, env{})
	if o.OK || o.Missing != "gone" {
		t.Errorf("outcome %+v, want failed on gone", o)
	}
}
