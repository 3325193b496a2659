package values

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Limits bound the work spent on one input, so that hostile files (alias
// bombs, deep nesting, huge files) fail fast with a clear error.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxDepth is the deepest nesting of maps and lists accepted.
	MaxDepth int
	// MaxNodes bounds the values after aliases are expanded.
	MaxNodes int
}

// DefaultLimits are generous for any real values file (the largest Polyaxon
// chart defaults are 30 KiB, 9 levels and 1,500 values) and keep one lint
// process under 256 MiB: each value costs about 1 KiB of peak memory with its
// findings, so 200,000 values would not fit.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 8 << 20, MaxDepth: 128, MaxNodes: 50_000}
}

// Error is a file that cannot be read as values, with the position of the
// problem when there is one.
type Error struct {
	Pos Pos
	Msg string
	Err error
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Document is a loaded values file: its bytes, the positioned tree and the
// values exactly as Helm reads them.
type Document struct {
	// Name is the path shown in diagnostics ("-" is shown as "<stdin>").
	Name string
	// Src is the file's content as read.
	Src []byte
	// Root is the top-level map.
	Root *Node
	// Layers are the -f files a merged document was made of (see Merge);
	// nil for a document read from one file.
	Layers []*Document
	// Sets are the --set flags a merged document was made of (see Merge).
	Sets []Set
	// lineStarts[i] is the byte offset of line i+1.
	lineStarts []int
	// partial is set on a document Edit made by parsing parts of it again,
	// after checking what reparsable checks; nodes is then the number of
	// nodes of its tree.
	partial bool
	nodes   int
}

// ReadFile loads a values file from disk, refusing files over the size limit
// and anything that is not a regular file.
func ReadFile(path string, lim Limits) (*Document, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Pos: Pos{File: path}, Msg: fmt.Sprintf("cannot read: %v", unwrapPathError(err)), Err: err}
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		if st.IsDir() {
			what = "is a directory"
		}
		return nil, &Error{Pos: Pos{File: path}, Msg: "cannot read: " + what}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Pos: Pos{File: path}, Msg: fmt.Sprintf("cannot read: %v", unwrapPathError(err)), Err: err}
	}
	defer f.Close()
	return Read(path, f, lim)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Read loads values from r, refusing more than lim.MaxBytes.
func Read(name string, r io.Reader, lim Limits) (*Document, error) {
	src, err := io.ReadAll(io.LimitReader(r, lim.readLimit()))
	if err != nil {
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("cannot read: %v", err), Err: err}
	}
	if int64(len(src)) > lim.MaxBytes {
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("file larger than the %d-byte limit (--max-bytes)", lim.MaxBytes)}
	}
	return Load(name, src, lim)
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`) })

// Load parses src as a values file. The result mirrors what Helm reads
// (sigs.k8s.io/yaml: YAML 1.1 scalars, last duplicate wins, merges resolved)
// while every node keeps its position and comments.
func Load(name string, src []byte, lim Limits) (*Document, error) {
	d := &Document{Name: name, Src: src}
	d.indexLines()
	if len(bytes.TrimSpace(stripBOM(src))) == 0 {
		return nil, &Error{Pos: Pos{File: name, Line: 1, Column: 1}, Msg: "empty file: no values"}
	}
	if !utf8.Valid(src) {
		off := invalidUTF8Offset(src)
		return nil, &Error{Pos: d.PosAt(off), Msg: "invalid UTF-8"}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, &Error{Pos: d.PosAt(i), Msg: "NUL byte in file: not a YAML text file"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &Error{Pos: Pos{File: name, Line: 1, Column: 1}, Msg: "empty file: no values"}
		}
		return nil, d.yamlError(err)
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		return nil, &Error{Pos: d.pos(second.Line, 1), Msg: "several YAML documents in one values file: Helm reads only the first"}
	} else if err != io.EOF {
		return nil, d.yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, &Error{Pos: Pos{File: name, Line: 1, Column: 1}, Msg: "empty file: no values"}
	}
	top := doc.Content[0]
	if top.Kind == yaml.AliasNode && top.Alias != nil {
		top = top.Alias
	}
	if top.Kind != yaml.MappingNode {
		kind := "a " + nodeKindName(top)
		if top.Tag == "!!null" {
			kind = "null"
		}
		return nil, &Error{Pos: d.pos(top.Line, top.Column), Msg: "the top level is " + kind + ", not a map of values"}
	}
	b := builder{doc: d, lim: lim}
	root, err := b.build(top, nil, 0)
	if err != nil {
		return nil, err
	}
	root.StartLine, root.EndLine = 1, len(d.lineStarts)
	d.Root = root
	d.setExtents(root)
	return d, nil
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

func nodeKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.MappingNode:
		return "map"
	}
	return "alias"
}

func (d *Document) yamlError(err error) *Error {
	msg := err.Error()
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col := 1
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
		return &Error{Pos: d.pos(line, col), Msg: "invalid YAML: " + m[3], Err: err}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return d.yamlError(errors.New(te.Errors[0]))
	}
	pos := Pos{File: d.Name, Line: 1, Column: 1}
	// the parser gives no line for an unknown anchor: the first alias of it
	if m := unknownAnchorRE().FindStringSubmatch(msg); m != nil {
		if i := aliasOffset(d.Src, m[1]); i >= 0 {
			pos = d.PosAt(i)
		}
	}
	return &Error{Pos: pos, Msg: "invalid YAML: " + trimYAMLPrefix(msg), Err: err}
}

var unknownAnchorRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`unknown anchor '([^']*)' referenced`) })

// aliasOffset returns the offset of the first `*name` alias token in src
// (followed by a space, a line end, `,`, `]` or `}`), or -1.
func aliasOffset(src []byte, name string) int {
	tok := []byte("*" + name)
	for off := 0; ; {
		i := bytes.Index(src[off:], tok)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(tok)
		if end == len(src) || strings.IndexByte(" \t\r\n,]}", src[end]) >= 0 {
			return i
		}
		off = i + 1
	}
}

func trimYAMLPrefix(s string) string {
	for _, p := range []string{"error converting YAML to JSON: ", "yaml: "} {
		if len(s) >= len(p) && s[:len(p)] == p {
			s = s[len(p):]
		}
	}
	return s
}
