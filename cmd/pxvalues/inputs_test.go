package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeTree creates files (path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExpandInputs checks files, directories, globs and stdin.
func TestExpandInputs(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"envs/prod.yaml":              "a: 1\n",
		"envs/dev.yml":                "a: 1\n",
		"envs/eu/west.yaml":           "a: 1\n",
		"envs/charts/dep.yaml":        "a: 1\n",
		"envs/.git/x.yaml":            "a: 1\n",
		"envs/.pxvalues.yaml":         "disable: [dead-key]\n",
		"envs/chart/Chart.yaml":       "apiVersion: v2\n",
		"envs/chart/templates/d.yaml": "kind: Deployment\n",
		"envs/chart/values.yaml":      "a: 1\n",
		"envs/README.md":              "no\n",
		"envs/values.yaml.orig":       "no\n",
		"empty/.keep":                 "",
		"glob/a-1.yaml":               "a: 1\n",
		"glob/a-2.yaml":               "a: 1\n",
		"glob/b.yaml":                 "a: 1\n",
		"literal/[x].yaml":            "a: 1\n",
		".hidden-root/inside.yaml":    "a: 1\n",
	})
	p := func(s string) string { return filepath.Join(dir, filepath.FromSlash(s)) }
	type in struct {
		Name  string
		Stdin bool
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    []in
		wantErr string
	}{
		{"file", []string{p("envs/prod.yaml")}, []in{{p("envs/prod.yaml"), false}}, ""},
		{"directory, recursive, sorted, no hidden files or folders, no chart files", []string{p("envs")},
			[]in{{p("envs/chart/values.yaml"), false}, {p("envs/dev.yml"), false}, {p("envs/eu/west.yaml"), false}, {p("envs/prod.yaml"), false}}, ""},
		{"a hidden folder given explicitly", []string{p(".hidden-root")}, []in{{p(".hidden-root/inside.yaml"), false}}, ""},
		{"glob", []string{p("glob/a-*.yaml")}, []in{{p("glob/a-1.yaml"), false}, {p("glob/a-2.yaml"), false}}, ""},
		{"a file whose name looks like a glob", []string{p("literal/[x].yaml")}, []in{{p("literal/[x].yaml"), false}}, ""},
		{"stdin", []string{"-"}, []in{{"<stdin>", true}}, ""},
		{"order kept across arguments", []string{p("glob/b.yaml"), "-", p("envs/prod.yaml")},
			[]in{{p("glob/b.yaml"), false}, {"<stdin>", true}, {p("envs/prod.yaml"), false}}, ""},
		{"a missing file is kept, to be reported", []string{p("nope.yaml")}, []in{{p("nope.yaml"), false}}, ""},
		{"stdin twice", []string{"-", "-"}, nil, "given twice"},
		{"glob without match", []string{p("glob/z*.yaml")}, nil, "no file matches"},
		{"directory without values", []string{p("empty")}, nil, "no *.yaml or *.yml file"},
		{"bad glob", []string{p("glob/[.yaml")}, nil, "syntax error in pattern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expandInputs(tc.args, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var g []in
			for _, x := range got {
				g = append(g, in{x.name, x.stdin})
			}
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("got %v\nwant %v", g, tc.want)
			}
		})
	}
}

// TestManyFilesStableOrder lints a generated tree with 1 and 4 workers: the
// output is identical and in argument order (directories sorted), whatever
// order the workers finish in.
func TestManyFilesStableOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	wantErrors := 0
	for i := 0; i < 40; i++ {
		text := fmt.Sprintf("gateway:\n  replicas: %d\n", i+1)
		switch {
		case i%7 == 0:
			text = "gateway: [\n"
			wantErrors++
		case i%3 == 0:
			text += fmt.Sprintf("  replics%d: 1\n", i)
			wantErrors++
		}
		files[fmt.Sprintf("env-%02d/values.yaml", i)] = text
	}
	writeTree(t, dir, files)
	one, _, code1 := runCLI(t, "", "lint", "--jobs", "1", dir)
	four, _, code4 := runCLI(t, "", "lint", "--jobs", "4", dir)
	if one != four || code1 != code4 {
		t.Fatalf("output depends on --jobs:\n%s\n---\n%s", one, four)
	}
	if code1 != exitUsage {
		t.Errorf("exit %d, want 2 (some files do not parse)", code1)
	}
	lines := strings.Split(strings.TrimSpace(one), "\n")
	last := ""
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, dir) {
			continue // a hint
		}
		name := l[:strings.Index(l, "values.yaml")]
		if name < last {
			t.Errorf("out of order: %s after %s", name, last)
		}
		last = name
	}
	if want := fmt.Sprintf("40 files: %d errors, 0 warnings, 0 infos", wantErrors); lines[len(lines)-1] != want {
		t.Errorf("summary %q, want %q", lines[len(lines)-1], want)
	}
}

// TestStdinInput lints standard input as a positional "-".
func TestStdinInput(t *testing.T) {
	out, _, code := runCLI(t, "gateway:\n  replics: 1\n", "lint", "-")
	if code != exitFindings || !strings.HasPrefix(out, "<stdin>:2:3: error: unknown key `replics`") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestExcludeInputs(t *testing.T) {
	in := []input{{name: "deploy/values.yaml"}, {name: "deploy/legacy/values.yaml"}, {name: "deploy/prod-old.yaml"}, {name: "-", stdin: true}, {name: "./other/values.yaml"}}
	for _, tc := range []struct {
		patterns []string
		want     []string
	}{
		{nil, []string{"deploy/values.yaml", "deploy/legacy/values.yaml", "deploy/prod-old.yaml", "-", "./other/values.yaml"}},
		{[]string{"legacy"}, []string{"deploy/values.yaml", "deploy/prod-old.yaml", "-", "./other/values.yaml"}},
		{[]string{"*-old.yaml"}, []string{"deploy/values.yaml", "deploy/legacy/values.yaml", "-", "./other/values.yaml"}},
		{[]string{"deploy/legacy"}, []string{"deploy/values.yaml", "deploy/prod-old.yaml", "-", "./other/values.yaml"}},
		{[]string{"other/values.yaml", "deploy"}, []string{"-"}},
	} {
		got, err := excludeInputs(in, tc.patterns)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range got {
			names = append(names, g.name)
		}
		if strings.Join(names, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%v: %v, want %v", tc.patterns, names, tc.want)
		}
	}
	if _, err := excludeInputs(in, []string{"[bad"}); err == nil {
		t.Error("a bad pattern is accepted")
	}
}
