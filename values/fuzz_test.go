package values_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	helmvalues "helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"

	"github.com/pxvalues/pxvalues/values"
)

// fuzzLimits keep one fuzz execution cheap while still exercising every
// limit check (depth, alias expansion, size).
var fuzzLimits = values.Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxNodes: 20_000}

// FuzzLoad loads arbitrary bytes as a values file. Whatever the input, Load
// must not panic, must fail with a one-line *values.Error whose position
// points into the file, and on success must return a map root whose every
// node has a position inside the source. Seeds: testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("gateway:\n  replicas: 2\n"))
	f.Add([]byte("a: &x {b: 1}\nc:\n  <<: *x\n  d: yes\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := values.Load("f.yaml", src, fuzzLimits)
		if err != nil {
			checkLoadError(t, src, err)
			return
		}
		if doc.Root == nil || doc.Root.Kind != values.MapKind {
			t.Fatalf("loaded without error but root is %v", doc.Root)
		}
		if !bytes.Equal(doc.Src, src) {
			t.Fatalf("Document.Src differs from the input")
		}
		checkTree(t, doc)
		// Untouched bytes stay identical: applying no edit is the identity.
		out, err := values.ApplyEdits(src, nil)
		if err != nil || !bytes.Equal(out, src) {
			t.Fatalf("ApplyEdits(src, nil) = %q, %v", out, err)
		}
		_ = doc.Root.Interface()
	})
}

// checkLoadError asserts the error contract of Load: a *values.Error, one
// line, naming the file, with a position inside the file when it has one.
func checkLoadError(t *testing.T, src []byte, err error) {
	t.Helper()
	var verr *values.Error
	if !errors.As(err, &verr) {
		t.Fatalf("error is %T, not *values.Error: %v", err, err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error spans several lines: %q", msg)
	}
	if verr.Msg == "" {
		t.Fatalf("error without a message: %q", msg)
	}
	if verr.Pos.File != "f.yaml" {
		t.Fatalf("error names file %q, want f.yaml: %q", verr.Pos.File, msg)
	}
	lines := yamlLines(src)
	if verr.Pos.Line < 0 || verr.Pos.Line > lines+1 || (verr.Pos.Line > 0 && verr.Pos.Column < 1) {
		t.Fatalf("error position %d:%d outside the file (%d lines): %q", verr.Pos.Line, verr.Pos.Column, lines, msg)
	}
	if verr.Pos.Offset < 0 || verr.Pos.Offset > len(src) {
		t.Fatalf("error offset %d outside the file (%d bytes): %q", verr.Pos.Offset, len(src), msg)
	}
}

// yamlLines counts the lines of src the way the YAML parser does: LF, CRLF,
// a lone CR, NEL, LS and PS each end a line.
func yamlLines(src []byte) int {
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
}

// checkTree walks every node, shadowed duplicates and merged entries
// included, and checks positions, parents and paths.
func checkTree(t *testing.T, doc *values.Document) {
	t.Helper()
	n := 0
	var walk func(nd *values.Node, depth int)
	walk = func(nd *values.Node, depth int) {
		n++
		if n > fuzzLimits.MaxNodes*4 {
			t.Fatalf("more than %d nodes in the tree despite MaxNodes %d", n, fuzzLimits.MaxNodes)
		}
		if depth > fuzzLimits.MaxDepth+1 {
			t.Fatalf("tree deeper than MaxDepth %d at %s", fuzzLimits.MaxDepth, nd.Path())
		}
		checkPos(t, doc, nd.Pos, "value of "+nd.Path())
		if nd.Parent != nil && nd.Parent.Kind == values.MapKind {
			checkPos(t, doc, nd.KeyPos, "key of "+nd.Path())
		}
		_ = nd.Path()
		_ = nd.Segments()
		_ = nd.Text()
		switch nd.Kind {
		case values.MapKind:
			for _, e := range nd.Entries {
				if e.Parent != nd {
					t.Fatalf("entry %s: wrong parent", e.Path())
				}
				walk(e, depth+1)
			}
		case values.ListKind:
			for i, it := range nd.Items {
				if it.Parent != nd || it.Index != i {
					t.Fatalf("item %s: wrong parent or index %d, want %d", it.Path(), it.Index, i)
				}
				walk(it, depth+1)
			}
		default:
			switch nd.Value.(type) {
			case nil, bool, float64, string:
			default:
				t.Fatalf("%s: value of type %T, want nil, bool, float64 or string", nd.Path(), nd.Value)
			}
		}
	}
	walk(doc.Root, 0)
}

func checkPos(t *testing.T, doc *values.Document, p values.Pos, what string) {
	t.Helper()
	if !p.IsValid() {
		return
	}
	if p.Line > doc.Lines() || p.Column < 1 || p.Offset < 0 || p.Offset > len(doc.Src) {
		t.Fatalf("%s: position %d:%d (offset %d) outside the file (%d lines, %d bytes)", what, p.Line, p.Column, p.Offset, doc.Lines(), len(doc.Src))
	}
	if doc.LineStart(p.Line)+p.Column-1 != p.Offset {
		t.Fatalf("%s: line %d column %d disagrees with offset %d", what, p.Line, p.Column, p.Offset)
	}
	if q := doc.PosAt(p.Offset); q.Line != p.Line || q.Column != p.Column {
		t.Fatalf("%s: PosAt(%d) = %d:%d, want %d:%d", what, p.Offset, q.Line, q.Column, p.Line, p.Column)
	}
	_ = doc.LineText(p.Line)
}

// FuzzMergeSet layers a values file and one --set style flag (--set,
// --set-string, --set-json or --set-literal) with values.Merge and with
// Helm's own MergeValues (the code behind `helm install -f FILE --set ...`):
// no panic, the same refusal, and on success the same values. Seeds:
// testdata/fuzz/FuzzMergeSet.
func FuzzMergeSet(f *testing.F) {
	f.Add([]byte("gateway:\n  replicas: 2\n"), uint8(1), "gateway.replicas=3,ui.enabled=true")
	f.Add([]byte("a: [1, 2]\n"), uint8(0), `a={"b":[1,null]}`)
	f.Fuzz(func(t *testing.T, base []byte, kind uint8, expr string) {
		doc, err := values.Load("base.yaml", base, fuzzLimits)
		if err != nil {
			return
		}
		var opts helmvalues.Options
		set := values.Set{Expr: expr}
		switch kind % 4 {
		case 0:
			set.Kind, opts.JSONValues = values.SetJSON, []string{expr}
		case 1:
			set.Kind, opts.Values = values.SetValue, []string{expr}
		case 2:
			set.Kind, opts.StringValues = values.SetString, []string{expr}
		case 3:
			set.Kind, opts.LiteralValues = values.SetLiteral, []string{expr}
		}
		path := filepath.Join(t.TempDir(), "base.yaml")
		if err := os.WriteFile(path, base, 0o644); err != nil {
			t.Fatal(err)
		}
		opts.ValueFiles = []string{path}
		helm, herr := opts.MergeValues(getter.Providers{})
		merged, err := values.Merge(values.Layers{Files: []*values.Document{doc}, Sets: []values.Set{set}})
		if err != nil {
			var verr *values.Error
			if !errors.As(err, &verr) || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("%s %q: error is not a one-line *values.Error: %q", set.Kind.Flag(), expr, err)
			}
			if herr == nil {
				t.Fatalf("%s %q: Merge refuses (%v) what Helm accepts: %#v", set.Kind.Flag(), expr, err, helm)
			}
			return
		}
		if herr != nil {
			t.Fatalf("%s %q: Merge accepts what Helm refuses (%v)", set.Kind.Flag(), expr, herr)
		}
		ours := numbersAsFloat(merged.Root.Interface())
		if !reflect.DeepEqual(ours, numbersAsFloat(map[string]any(helm))) {
			t.Fatalf("%s %q on %q: values differ from Helm's\n ours: %#v\n helm: %#v", set.Kind.Flag(), expr, base, ours, numbersAsFloat(map[string]any(helm)))
		}
	})
}

// numbersAsFloat turns every number into a float64 (Helm's --set yields
// int64, its files float64; pxvalues reads every number as float64).
func numbersAsFloat(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = numbersAsFloat(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = numbersAsFloat(e)
		}
		return l
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return v
}
