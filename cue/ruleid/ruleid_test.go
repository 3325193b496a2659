package ruleid_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// TestNoRuleIDLiterals: non-test Go code of lint/, migrate/ and cmd/ names
// rules with the constants of this package, never with a string literal.
func TestNoRuleIDLiterals(t *testing.T) {
	rules, err := cue.New().Rules()
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, dir := range []string{"lint", "migrate", "cmd"} {
		root := filepath.Join("..", "..", dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			n++
			ast.Inspect(f, func(x ast.Node) bool {
				lit, ok := x.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && rules.Get(s) != nil {
					t.Errorf("%s: rule id %s as a string literal: use ruleid.%s", fset.Position(lit.Pos()), lit.Value, goName(s))
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n == 0 {
		t.Fatal("no Go file checked")
	}
}

func goName(id string) string {
	var b strings.Builder
	for _, p := range strings.Split(id, "-") {
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}
