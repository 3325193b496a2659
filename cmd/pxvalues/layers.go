package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/internal/atomicfile"
	"github.com/pxvalues/pxvalues/internal/redact"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/lint/format"
	"github.com/pxvalues/pxvalues/values"
)

// layerFlags are Helm's layering flags: -f files and --set* flags.
type layerFlags struct {
	files                                        []string
	set, setString, setJSON, setFile, setLiteral []string
	outputs                                      []string
}

func addLayerFlags(fs *pflag.FlagSet, f *layerFlags) {
	fs.StringArrayVarP(&f.files, "values", "f", nil, "a values layer, as Helm's -f (repeatable, later wins, - is stdin): put on top of each input, or linted alone when no input is given")
	fs.StringArrayVar(&f.set, "set", nil, "set values on the command line, as Helm's --set a.b=1,c[0]=x (repeatable); findings on them point at --set[i], the i-th --set from 0 (likewise --set-string[i], ...)")
	fs.StringArrayVar(&f.setString, "set-string", nil, "set STRING values, as Helm's --set-string (repeatable)")
	fs.StringArrayVar(&f.setJSON, "set-json", nil, `set JSON values, as Helm's --set-json 'a={"b":1}' (repeatable)`)
	fs.StringArrayVar(&f.setFile, "set-file", nil, "set values from files, as Helm's --set-file key=path (repeatable)")
	fs.StringArrayVar(&f.setLiteral, "set-literal", nil, "set a literal STRING value, as Helm's --set-literal (repeatable)")
	fs.StringArrayVar(&f.outputs, "output", nil, "write FORMAT to PATH, or to stdout without =PATH: --output sarif=results.sarif --output text (repeatable; with --format, that format goes to stdout)")
}

// active reports whether any -f or --set flag was given.
func (f *layerFlags) active() bool {
	return len(f.files)+len(f.set)+len(f.setString)+len(f.setJSON)+len(f.setFile)+len(f.setLiteral) > 0
}

func (f *layerFlags) sets() []values.Set {
	var out []values.Set
	for _, g := range []struct {
		kind  values.SetKind
		exprs []string
	}{
		{values.SetJSON, f.setJSON}, {values.SetValue, f.set}, {values.SetString, f.setString},
		{values.SetFile, f.setFile}, {values.SetLiteral, f.setLiteral},
	} {
		for _, x := range g.exprs {
			out = append(out, values.Set{Kind: g.kind, Expr: x})
		}
	}
	return out
}

// layers are the loaded -f files and the --set flags, shared read-only by
// every input.
type layers struct {
	docs []*values.Document
	sets []values.Set
	lim  values.Limits
}

// loadLayers reads the -f files (a file that cannot be read or parsed is
// returned as a parse-error result) and checks the --set flags.
func loadLayers(e *env, l *lint.Linter, f *layerFlags, lim values.Limits, stdinTaken bool) (*layers, []*lint.Result, error) {
	if !f.active() {
		return nil, nil, nil
	}
	lay := &layers{sets: f.sets(), lim: lim}
	var broken []*lint.Result
	for _, name := range f.files {
		var doc *values.Document
		var err error
		if name == "-" {
			if stdinTaken {
				return nil, nil, fmt.Errorf("-f -: stdin is already an input")
			}
			stdinTaken = true
			doc, err = values.Read("<stdin>", e.stdin, lim)
		} else {
			doc, err = values.ReadFile(name, lim)
		}
		if err != nil && noValues(err) {
			// Helm reads an empty (or all-comments, or null) -f file as no
			// values: a valid layer that sets nothing.
			doc, err = &values.Document{Name: docName(name), Root: &values.Node{Kind: values.MapKind, Index: -1}}, nil
		}
		if err != nil {
			broken = append(broken, l.ParseErrorResult(name, err))
			continue
		}
		lay.docs = append(lay.docs, doc)
	}
	// A flag Helm's parser rejects is a usage error, whatever it lands on.
	if _, err := values.Merge(values.Layers{Sets: lay.sets, ReadFile: lay.readFile, Limits: lim}); err != nil {
		// Helm's parser quotes the flag's text: scrubbed of what the flags
		// give secret keys
		sec, serr := cue.New().Secrets()
		if serr != nil {
			return nil, nil, serr
		}
		var hide redact.Set
		hide.AddSets(sec.IsSecret, lay.sets)
		return nil, nil, errors.New(hide.Scrub(err.Error()))
	}
	return lay, broken, nil
}

// noValues reports whether a load failed only because the file holds no
// values at all.
func noValues(err error) bool {
	var verr *values.Error
	if !errors.As(err, &verr) {
		return false
	}
	return strings.HasPrefix(verr.Msg, "empty file") || verr.Msg == "the top level is null, not a map of values"
}

func docName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// readFile reads a --set-file file, within the size limit.
func (lay *layers) readFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--set-file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("--set-file %s: not a regular file", path)
	}
	if st.Size() > lay.lim.MaxBytes {
		return nil, fmt.Errorf("--set-file %s: larger than the %d-byte limit (--max-bytes)", path, lay.lim.MaxBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--set-file: %w", err)
	}
	return b, nil
}

// on puts the layers on top of doc (nil: the layers alone).
func (lay *layers) on(doc *values.Document) (*values.Document, error) {
	files := lay.docs
	if doc != nil {
		files = append([]*values.Document{doc}, lay.docs...)
	}
	return values.Merge(values.Layers{Files: files, Sets: lay.sets, ReadFile: lay.readFile, Limits: lay.lim})
}

// output is one --output: a format and where it goes ("" is stdout).
type output struct {
	name, path string
	f          format.Formatter
}

// parseOutputs reads the --output flags; without any, --format goes to stdout.
func parseOutputs(specs []string, def string, formatSet bool, o format.Options) ([]output, error) {
	if !formatSet {
		if len(specs) == 0 {
			specs = []string{def}
		}
	} else {
		if _, err := format.New(def, o); err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		// --format FORMAT beside --output: FORMAT goes to stdout, unless an
		// --output already does.
		toStdout := false
		for _, s := range specs {
			if _, path, _ := strings.Cut(s, "="); path == "" || path == "-" {
				toStdout = true
			}
		}
		if toStdout && len(specs) > 0 {
			return nil, fmt.Errorf("--format %s and an --output to stdout: only one format can go to stdout", def)
		}
		specs = append([]string{def}, specs...)
	}
	var outs []output
	stdout := 0
	seen := map[string]bool{}
	for _, s := range specs {
		name, path, hasPath := strings.Cut(s, "=")
		if hasPath && path == "" {
			return nil, fmt.Errorf("--output %q: empty path (leave out =PATH for stdout)", s)
		}
		if path == "" || path == "-" {
			path = ""
			stdout++
		} else if seen[path] {
			return nil, fmt.Errorf("--output %q: %s is written twice", s, path)
		} else if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, fmt.Errorf("--output %q: %s is a directory", s, path)
		}
		seen[path] = true
		fo := o
		if path != "" {
			fo.Color = false
		}
		f, err := format.New(name, fo)
		if err != nil {
			return nil, fmt.Errorf("--output %q: %w", s, err)
		}
		outs = append(outs, output{name: name, path: path, f: f})
	}
	if stdout > 1 {
		return nil, fmt.Errorf("--output: only one format can go to stdout")
	}
	return outs, nil
}

// writeOutputs writes the report in every format; regular files are written
// whole (an error leaves no half-written report), devices, FIFOs and
// /dev/stdout directly (atomicfile.Write).
func writeOutputs(e *env, outs []output, rep *format.Report) error {
	for _, o := range outs {
		if o.path == "" {
			if err := o.f.Format(e.stdout, rep); err != nil {
				return fmt.Errorf("writing %s to stdout: %w", o.name, err)
			}
			continue
		}
		var buf bytes.Buffer
		if err := o.f.Format(&buf, rep); err != nil {
			return fmt.Errorf("writing %s: %w", o.name, err)
		}
		if err := atomicfile.Write(o.path, buf.Bytes(), atomicfile.Options{Hooks: e.hooks}); err != nil {
			return fmt.Errorf("writing %s to %s: %w", o.name, o.path, err)
		}
	}
	return nil
}

func hasStdin(inputs []input) bool {
	for _, in := range inputs {
		if in.stdin {
			return true
		}
	}
	return false
}

// layerInputs returns the inputs to lint: none when a layer is broken, the
// layers alone (an input without name) when no input was given.
func layerInputs(inputs []input, lay *layers, broken []*lint.Result) []input {
	if len(broken) > 0 {
		return nil
	}
	if lay != nil && len(inputs) == 0 {
		return []input{{}}
	}
	return inputs
}

// allTrue returns n true values: the broken flags of layers that failed.
func allTrue(n int) []bool {
	b := make([]bool, n)
	for i := range b {
		b[i] = true
	}
	return b
}
