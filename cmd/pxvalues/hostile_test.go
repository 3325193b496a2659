//go:build linux || darwin

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Limits every hostile input must stay within, as a whole process: these are
// limit checks, not benchmarks (bench/ measures speed).
const (
	hostileMaxWall = 2 * time.Second // checked against CPU time, see below
	hostileMaxRSS  = 256 << 20
)

// hostileCase is one hostile input. setup writes what it needs into dir and
// returns the arguments after `pxvalues lint`, with the file to blame.
type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string) (args []string, file string)
	// stdin is a device or file given to the process as standard input.
	stdin string
	// want is the exit code; for 2, the input must be reported as one
	// parse-error line (or, with usage, one stderr line).
	want int
	// pos requires a file:line:col position on the error line.
	pos bool
	// msg must match the error message (exit 2) or the output (else).
	msg string
	// usage: the refusal is a usage error on stderr, not a parse-error finding.
	usage bool
	// migrate runs `pxvalues migrate --to v2` instead of `pxvalues lint`:
	// the refusal is the first stderr line.
	migrate bool
}

// writeHostile writes content to dir/name and returns its path.
func writeHostile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// hostileFile is a case whose input is one file with the given content.
func hostileFile(content string, flags ...string) func(t *testing.T, dir string) ([]string, string) {
	return func(t *testing.T, dir string) ([]string, string) {
		p := writeHostile(t, dir, "values.yaml", []byte(content))
		return append(flags, p), p
	}
}

// hostileGen is a case whose input is built by gen (large or deep files).
func hostileGen(gen func(w *bufio.Writer), flags ...string) func(t *testing.T, dir string) ([]string, string) {
	return func(t *testing.T, dir string) ([]string, string) {
		p := filepath.Join(dir, "values.yaml")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		gen(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return append(flags, p), p
	}
}

// hostilePath is a case whose input is a path that is not a readable file.
func hostilePath(p string) func(t *testing.T, dir string) ([]string, string) {
	return func(*testing.T, string) ([]string, string) { return []string{p}, p }
}

// hostileAliasBomb is the "billion laughs" of YAML: levels lists of width aliases.
func hostileAliasBomb(levels, width int, maps bool) string {
	var b strings.Builder
	b.WriteString(`l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d ", i, i)
		if maps {
			b.WriteString("{")
			for j := 0; j < width; j++ {
				fmt.Fprintf(&b, "k%d: *l%d, ", j, i-1)
			}
			b.WriteString("}\n")
			continue
		}
		b.WriteString("[" + strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), width), ",") + "]\n")
	}
	return b.String()
}

func hostileCases() []hostileCase {
	const deep = 10_000
	return []hostileCase{
		// Alias expansion (--max-nodes).
		{name: "alias-bomb-lists", setup: hostileFile(hostileAliasBomb(9, 9, false)), want: 2, pos: true, msg: `more than 50000 values, counting every use of an alias \(--max-nodes\)`},
		{name: "alias-bomb-maps", setup: hostileFile(hostileAliasBomb(9, 9, true)), want: 2, pos: true, msg: `--max-nodes`},
		{name: "alias-bomb-merge-keys", setup: hostileFile("a: &a {x: 1, y: 2, z: 3}\n" +
			"b: &b {<<: *a, p: *a, q: *a, r: *a, s: *a, t: *a, u: *a, v: *a, w: *a}\n" +
			"c: &c {p: *b, q: *b, r: *b, s: *b, t: *b, u: *b, v: *b, w: *b, x: *b}\n" +
			"d: &d {p: *c, q: *c, r: *c, s: *c, t: *c, u: *c, v: *c, w: *c, x: *c}\n" +
			"e: &e {p: *d, q: *d, r: *d, s: *d, t: *d, u: *d, v: *d, w: *d, x: *d}\n" +
			"f: &f {p: *e, q: *e, r: *e, s: *e, t: *e, u: *e, v: *e, w: *e, x: *e}\n" +
			"g: &g {p: *f, q: *f, r: *f, s: *f, t: *f, u: *f, v: *f, w: *f, x: *f}\n"),
			want: 2, pos: true, msg: `--max-nodes`},
		{name: "alias-bomb-under-a-lower-limit", setup: hostileFile(hostileAliasBomb(3, 9, false), "--max-nodes", "500"), want: 2, pos: true, msg: `more than 500 values`},
		{name: "alias-recursive", setup: hostileFile("a: &a [*a]\n"), want: 2, pos: true, msg: `values\.yaml:1:8: .*nested deeper than 128 levels`},
		{name: "alias-merge-into-itself", setup: hostileFile("gateway: &x\n  replicas: 1\n  <<: *x\n"), want: 2, pos: true, msg: `values\.yaml:3:7: .*merges a map into itself`},
		{name: "alias-merge-list-into-itself", setup: hostileFile("gateway: &x\n  <<: [{replicas: 1}, *x]\n"), want: 2, pos: true, msg: `merges a map into itself`},
		{name: "alias-unknown-anchor", setup: hostileFile("a: *nowhere\n"), want: 2, pos: true, msg: `unknown anchor`},

		// Nesting (--max-depth).
		{name: "nest-block-lists-10000", setup: hostileFile("a:\n" + strings.Repeat("- ", deep) + "x\n"), want: 2, pos: true, msg: `nested deeper than 128 levels \(--max-depth\)`},
		{name: "nest-block-maps-10000", setup: hostileGen(func(w *bufio.Writer) {
			for i := 0; i < deep; i++ {
				w.WriteString(strings.Repeat(" ", i) + "k:\n") // 50 MB: over --max-bytes
			}
		}), want: 2, msg: `larger than the 8388608-byte limit \(--max-bytes\)`},
		{name: "nest-block-maps-10000-limit-raised", setup: hostileGen(func(w *bufio.Writer) {
			for i := 0; i < deep; i++ {
				w.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
		}, "--max-bytes", "60000000"), want: 2, pos: true, msg: `nested deeper than 128 levels`},
		{name: "nest-block-maps-1000", setup: hostileGen(func(w *bufio.Writer) {
			for i := 0; i < 1000; i++ {
				w.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
		}), want: 2, pos: true, msg: `nested deeper than 128 levels`},
		{name: "nest-flow-lists-10000", setup: hostileFile("a: " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n"), want: 2, pos: true, msg: `--max-depth`},
		{name: "nest-flow-maps-10000", setup: hostileFile("a: " + strings.Repeat("{b: ", deep) + "1" + strings.Repeat("}", deep) + "\n"), want: 2, pos: true, msg: `--max-depth`},
		{name: "nest-flow-unclosed-10000", setup: hostileFile("a: " + strings.Repeat("[", deep) + "\n"), want: 2, pos: true, msg: `invalid YAML: did not find expected node content`},
		{name: "nest-under-a-lower-limit", setup: hostileFile("a:\n  b:\n    c:\n      d: 1\n", "--max-depth", "2"), want: 2, pos: true, msg: `nested deeper than 2 levels`},

		// Size (--max-bytes).
		{name: "huge-50MB", setup: hostileGen(func(w *bufio.Writer) {
			for i, n := 0, 0; n < 50<<20; i++ {
				k, _ := fmt.Fprintf(w, "key%08d: value-%08d\n", i, i)
				n += k
			}
		}), want: 2, msg: `larger than the 8388608-byte limit \(--max-bytes\)`},
		{name: "size-under-a-lower-limit", setup: hostileFile("gateway:\n  replicas: 2\n", "--max-bytes", "8"), want: 2, msg: `larger than the 8-byte limit`},
		{name: "stdin-dev-zero", setup: func(*testing.T, string) ([]string, string) { return []string{"-"}, "<stdin>" }, stdin: "/dev/zero", want: 2, msg: `--max-bytes`},
		{name: "long-line-1MB", setup: hostileFile("a: "+strings.Repeat("x", 1<<20)+"\n", "--chart", "platform"), want: 1, msg: `unknown key`},
		{name: "wide-map-100k-keys", setup: hostileGen(func(w *bufio.Writer) {
			for i := 0; i < 100_000; i++ {
				fmt.Fprintf(w, "k%d: %d\n", i, i)
			}
		}), want: 2, pos: true, msg: `--max-nodes`},
		{name: "wide-map-49k-unknown-keys-json", setup: hostileGen(func(w *bufio.Writer) {
			for i := 0; i < 49_000; i++ {
				fmt.Fprintf(w, "k%d: %d\n", i, i)
			}
		}, "--format", "json", "--chart", "platform"), want: 1, msg: `"errors": 49000`},
		{name: "long-list-49k-items", setup: hostileGen(func(w *bufio.Writer) {
			w.WriteString("allowedHosts:\n")
			for i := 0; i < 49_000; i++ {
				fmt.Fprintf(w, "  - host%d.example.com\n", i)
			}
		}), want: 0, msg: `0 errors`},

		// Encoding.
		{name: "invalid-utf8", setup: hostileFile("gateway:\n  replicas: 2\n  image: caf\xe9\n"), want: 2, pos: true, msg: `invalid UTF-8`},
		{name: "utf16-le", setup: hostileFile("\xff\xfeg\x00a\x00:\x00 \x001\x00\n\x00"), want: 2, pos: true, msg: `invalid UTF-8`},
		{name: "byte-order-mark", setup: hostileFile("\xef\xbb\xbfgateway:\n  replicas: 2\n"), want: 0, msg: `0 errors`},
		{name: "crlf", setup: hostileFile("gateway:\r\n  replicas: 2\r\n  service:\r\n    type: NodePort\r\n"), want: 0, msg: `0 errors`},
		{name: "crlf-with-error-column", setup: hostileFile("gateway:\r\n  replicas: two\r\n"), want: 1, msg: `values\.yaml:2:13: error: .*\[type\]|values\.yaml:2:13: error`},
		{name: "nul-byte", setup: hostileFile("gateway:\n  replicas: 2\x00\n"), want: 2, pos: true, msg: `NUL byte`},
		{name: "tab-indentation", setup: hostileFile("gateway:\n\treplicas: 2\n"), want: 2, pos: true, msg: `invalid YAML`},
		{name: "tab-after-colon", setup: hostileFile("gateway:\n  replicas:\t2\n"), want: 0, msg: `0 errors`},
		{name: "control-chars-in-key", setup: hostileFile("\"a\\nb\\e[31m\": 1\n", "--chart", "platform"), want: 1, msg: `unknown key .a\\nb\\x1b\[31m`},

		// Keys.
		{name: "duplicate-top", setup: hostileFile("gateway:\n  replicas: 1\ngateway:\n  replicas: 2\n"), want: 1, msg: `duplicate key .gateway.`},
		{name: "duplicate-nested", setup: hostileFile("gateway:\n  replicas: 1\n  replicas: 2\n"), want: 1, msg: `duplicate key .replicas.`},
		{name: "duplicate-deep", setup: hostileFile("gateway:\n  service:\n    annotations:\n      a: 1\n      a: 2\n"), want: 1, msg: `duplicate key .a.`},
		{name: "duplicate-in-list-item", setup: hostileFile("connections:\n  - name: a\n    name: b\n    kind: host_path\n"), want: 1, msg: `duplicate key .name.`},
		{name: "duplicate-flow", setup: hostileFile("gateway: {replicas: 1, replicas: 2}\n"), want: 1, msg: `duplicate key .replicas.`},
		{name: "complex-key-block", setup: hostileFile("? [a, b]\n: c\n"), want: 2, pos: true, msg: `complex keys`},
		{name: "complex-key-flow", setup: hostileFile("{[a]: b}\n"), want: 2, pos: true, msg: `complex keys`},
		{name: "null-key", setup: hostileFile("~: 1\n"), want: 2, pos: true, msg: `values\.yaml:1:1: .*null map key`},
		{name: "merge-of-scalar", setup: hostileFile("gateway:\n  <<: 1\n"), want: 2, pos: true, msg: `merge key needs a map`},
		{name: "merge-of-scalar-list", setup: hostileFile("gateway:\n  <<: [1, 2]\n"), want: 2, pos: true, msg: `merge key needs a map`},
		{name: "merge-of-null", setup: hostileFile("gateway:\n  <<: ~\n"), want: 2, pos: true, msg: `merge key needs a map`},

		// Root and documents.
		{name: "root-scalar", setup: hostileFile("just text\n"), want: 2, pos: true, msg: `top level is a scalar`},
		{name: "root-list", setup: hostileFile("- a\n- b\n"), want: 2, pos: true, msg: `top level is a list`},
		{name: "root-null", setup: hostileFile("~\n"), want: 2, pos: true, msg: `top level is null`},
		{name: "root-alias-of-scalar", setup: hostileFile("--- &a x\n"), want: 2, pos: true, msg: `top level is a scalar`},
		{name: "two-documents", setup: hostileFile("gateway:\n  replicas: 1\n---\ngateway:\n  replicas: 2\n"), want: 2, pos: true, msg: `several YAML documents`},
		{name: "document-markers", setup: hostileFile("---\ngateway:\n  replicas: 1\n...\n"), want: 0, msg: `0 errors`},
		{name: "empty-file", setup: hostileFile(""), want: 2, pos: true, msg: `empty file`},
		{name: "whitespace-only", setup: hostileFile("  \n\n\t\n"), want: 2, pos: true, msg: `empty file`},
		{name: "comment-only", setup: hostileFile("# nothing here\n# at all\n"), want: 2, pos: true, msg: `empty file`},

		// Scalars.
		{name: "huge-integer", setup: hostileFile("gateway:\n  replicas: 123456789012345678901234567890\n"), want: 1, msg: `values\.yaml:2:13: error: .*the maximum is 2147483647`},
		{name: "nan", setup: hostileFile("gateway:\n  replicas: .nan\n"), want: 2, pos: true, msg: `values\.yaml:2:13: .*NaN`},
		{name: "infinity", setup: hostileFile("gateway:\n  replicas: -.inf\n"), want: 2, pos: true, msg: `values\.yaml:2:13: .*infinity`},
		{name: "timestamp", setup: hostileFile("gateway:\n  image: 2001-12-14t21:59:43.10-05:00\n"), want: 0, msg: `0 errors`},
		{name: "binary-tag", setup: hostileFile("gateway:\n  image: !!binary cG9seWF4b24=\n"), want: 0, msg: `0 errors`},
		{name: "binary-tag-not-base64", setup: hostileFile("gateway:\n  image: !!binary '***'\n"), want: 2, pos: true, msg: `base64`},
		{name: "custom-tag", setup: hostileFile("gateway:\n  image: !vault secret/path\n"), want: 0, msg: `0 errors`},
		{name: "int-tag-on-text", setup: hostileFile("gateway:\n  replicas: !!int two\n"), want: 2, pos: true, msg: `values\.yaml:2:13: .*!!int`},
		{name: "unterminated-double-quote", setup: hostileFile("gateway:\n  image: \"polyaxon\n"), want: 2, pos: true, msg: `invalid YAML`},
		{name: "unterminated-single-quote", setup: hostileFile("gateway:\n  image: 'polyaxon\n"), want: 2, pos: true, msg: `invalid YAML`},
		{name: "unterminated-flow", setup: hostileFile("gateway: {replicas: 1\n"), want: 2, pos: true, msg: `invalid YAML`},

		// Not a readable file.
		{name: "directory-without-yaml", setup: func(t *testing.T, dir string) ([]string, string) {
			p := filepath.Join(dir, "values.yaml")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{p}, p
		}, want: 2, usage: true, msg: `no \*\.yaml or \*\.yml file`},
		{name: "dev-null", setup: hostilePath("/dev/null"), want: 2, msg: `not a regular file`},
		{name: "dev-zero", setup: hostilePath("/dev/zero"), want: 2, msg: `not a regular file`},
		{name: "fifo", setup: func(t *testing.T, dir string) ([]string, string) {
			p := filepath.Join(dir, "values.yaml")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			return []string{p}, p
		}, want: 2, msg: `not a regular file`},
		{name: "path-under-a-file", setup: func(t *testing.T, dir string) ([]string, string) {
			p := writeHostile(t, dir, "values.yaml", []byte("a: 1\n"))
			return []string{p + "/x.yaml"}, p + "/x.yaml"
		}, want: 2, msg: `cannot read: not a directory`},
		{name: "unreadable-mode-000", setup: func(t *testing.T, dir string) ([]string, string) {
			p := writeHostile(t, dir, "values.yaml", []byte("a: 1\n"))
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
			if f, err := os.Open(p); err == nil {
				f.Close()
				t.Skip("running as root: mode 000 does not stop reading (see path-under-a-file)")
			}
			return []string{p}, p
		}, want: 2, msg: `permission denied`},
		{name: "symlink-loop", setup: func(t *testing.T, dir string) ([]string, string) {
			p := filepath.Join(dir, "values.yaml")
			if err := os.Symlink(p, p); err != nil {
				t.Fatal(err)
			}
			return []string{p}, p
		}, want: 2, msg: `cannot read: too many levels of symbolic links`},
		{name: "deleted-before-read", setup: func(t *testing.T, dir string) ([]string, string) {
			p := writeHostile(t, dir, "values.yaml", []byte("gateway:\n  replicas: 2\n"))
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			return []string{p}, p
		}, want: 2, msg: `cannot read: no such file or directory`},
		{name: "deleted-among-others", setup: func(t *testing.T, dir string) ([]string, string) {
			good := writeHostile(t, dir, "good.yaml", []byte("gateway:\n  replicas: 2\n"))
			p := writeHostile(t, dir, "values.yaml", []byte("gateway:\n  replicas: 2\n"))
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			return []string{good, p}, p
		}, want: 2, msg: `cannot read: no such file or directory`},

		// The same refusals from `pxvalues migrate`.
		{name: "migrate-dev-zero", migrate: true, setup: hostilePath("/dev/zero"), want: 2, msg: `not a regular file`},
		{name: "migrate-stdin-dev-zero", migrate: true, setup: func(*testing.T, string) ([]string, string) { return []string{"-"}, "<stdin>" }, stdin: "/dev/zero", want: 2, msg: `larger than the 8388608-byte limit`},
		{name: "migrate-alias-bomb", migrate: true, setup: hostileFile(hostileAliasBomb(9, 9, false)), want: 2, pos: true, msg: `--max-nodes`},
		{name: "migrate-nest-flow-10000", migrate: true, setup: hostileFile("a: " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n"), want: 2, pos: true, msg: `--max-depth`},
		{name: "migrate-huge-50MB", migrate: true, setup: hostileGen(func(w *bufio.Writer) {
			for i, n := 0, 0; n < 50<<20; i++ {
				k, _ := fmt.Fprintf(w, "key%08d: value-%08d\n", i, i)
				n += k
			}
		}), want: 2, msg: `larger than the 8388608-byte limit`},
		{name: "migrate-invalid-utf8", migrate: true, setup: hostileFile("api:\n  image: caf\xe9\n"), want: 2, pos: true, msg: `invalid UTF-8`},
		{name: "migrate-deleted", migrate: true, setup: func(t *testing.T, dir string) ([]string, string) {
			return []string{filepath.Join(dir, "values.yaml")}, filepath.Join(dir, "values.yaml")
		}, want: 2, msg: `no such file or directory`},
	}
}

// TestHostileInput runs every hostile input through the real CLI twice: in
// process (exit code and the one-line error with its position) and as a
// child process of the built binary (the same exit code, within
// hostileMaxWall and hostileMaxRSS).
func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes 100 MB of inputs")
	}
	tmp := t.TempDir()
	bin, measure := filepath.Join(tmp, "pxvalues"), filepath.Join(tmp, "measure")
	for _, b := range [][]string{{"-o", bin, "."}, {"-o", measure, "../../bench/measure"}} {
		if out, err := exec.Command("go", append([]string{"build"}, b...)...).CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", b, err, out)
		}
	}
	cases := append(hostileCases(), hostileLimitCases()...)
	if len(cases) < 40 {
		t.Fatalf("only %d hostile cases, want at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args, blame := tc.setup(t, dir)
			if tc.migrate {
				args = append([]string{"migrate", "--to", "v2"}, args...)
			} else {
				args = append([]string{"lint"}, args...)
			}

			// In process.
			var stdin io.Reader = strings.NewReader("")
			if tc.stdin != "" {
				f, err := os.Open(tc.stdin)
				if err != nil {
					t.Skipf("%s: %v", tc.stdin, err)
				}
				defer f.Close()
				stdin = f
			}
			var out, errb bytes.Buffer
			e := &env{stdin: stdin, stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			code := run(e, args)
			if code != tc.want {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, hostileClip(out.String()), hostileClip(errb.String()))
			}
			checkHostileOutput(t, tc, blame, out.String(), errb.String())

			// As a process, for time and memory.
			wall, cpu, rss, pcode := runHostileProcess(t, measure, bin, args, tc.stdin)
			t.Logf("exit %d, %v wall, %v CPU, %.1f MiB peak RSS", pcode, wall.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(rss)/(1<<20))
			if pcode != tc.want {
				t.Errorf("process exit code %d, want %d (in-process %d)", pcode, tc.want, code)
			}
			// The limit is on CPU time: wall time also measures how busy the
			// machine is (go test runs packages in parallel).
			if cpu > hostileMaxWall {
				t.Errorf("process used %v of CPU, limit %v", cpu, hostileMaxWall)
			}
			if rss > hostileMaxRSS {
				t.Errorf("process peak RSS %d MiB, limit %d MiB", rss>>20, hostileMaxRSS>>20)
			}
		})
	}
}

var parseErrorLine = regexp.MustCompile(`^(.+?)((?::\d+:\d+)?): error: (.+) \[parse-error\]$`)

// checkHostileOutput checks the report: for a refused input exactly one
// parse-error line naming the file (with a position when required), no
// panic trace, and the message; for a valid input, no parse error.
func checkHostileOutput(t *testing.T, tc hostileCase, blame, stdout, stderr string) {
	t.Helper()
	msg := regexp.MustCompile(tc.msg)
	for _, s := range []string{stdout, stderr} {
		if strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") {
			t.Fatalf("panic in output:\n%s", hostileClip(s))
		}
	}
	switch {
	case tc.want == 2 && tc.migrate:
		first, _, _ := strings.Cut(stderr, "\n")
		if !strings.HasPrefix(first, "pxvalues: "+blame+":") || !msg.MatchString(first) {
			t.Fatalf("want a first stderr line naming %s and matching %q, got:\n%s", blame, tc.msg, hostileClip(stderr))
		}
		if tc.pos && !regexp.MustCompile(`^pxvalues: .+:\d+:\d+: `).MatchString(first) {
			t.Errorf("error without a line:col position:\n%s", first)
		}
	case tc.want == 2 && tc.usage:
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		// usage errors name the command: "pxvalues lint: ..."
		if len(lines) != 1 || !regexp.MustCompile(`^pxvalues( [a-z]+)?: `).MatchString(lines[0]) || !msg.MatchString(lines[0]) {
			t.Fatalf("want one stderr line matching %q, got:\n%s", tc.msg, hostileClip(stderr))
		}
	case tc.want == 2:
		var errs []string
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasSuffix(line, "[parse-error]") {
				errs = append(errs, line)
			}
		}
		if len(errs) != 1 {
			t.Fatalf("want exactly one parse-error line, got %d:\n%s", len(errs), hostileClip(stdout))
		}
		m := parseErrorLine.FindStringSubmatch(errs[0])
		if m == nil || m[1] != blame {
			t.Fatalf("parse-error line does not name %s:\n%s", blame, errs[0])
		}
		if tc.pos && m[2] == "" {
			t.Errorf("parse-error line without a line:col position:\n%s", errs[0])
		}
		if !msg.MatchString(errs[0]) {
			t.Errorf("parse-error line does not match %q:\n%s", tc.msg, errs[0])
		}
	default:
		if strings.Contains(stdout, "[parse-error]") {
			t.Fatalf("valid YAML reported as a parse error:\n%s", hostileClip(stdout))
		}
		if !msg.MatchString(stdout) {
			t.Errorf("output does not match %q:\n%s", tc.msg, hostileClip(stdout))
		}
		for _, line := range strings.Split(strings.TrimRight(stdout, "\n"), "\n") {
			if strings.ContainsAny(line, "\r\x1b") {
				t.Errorf("output line carries a control character: %q", line)
			}
		}
	}
}

// runHostileProcess runs the built binary under bench/measure (a small
// parent: on Linux a child's peak RSS counts its parent's memory at fork
// time, and this test process is big) and returns its wall time, its CPU
// time (user+system), peak RSS in bytes and exit code.
func runHostileProcess(t *testing.T, measure, bin string, args []string, stdin string) (wall, cpu time.Duration, rss int64, code int) {
	t.Helper()
	margs := []string{"-n", "1"}
	if stdin != "" {
		margs = append(margs, "-stdin", stdin)
	}
	margs = append(append(margs, "--", bin), args...)
	cmd := exec.Command(measure, margs...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(10*hostileMaxWall, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	if err != nil {
		t.Fatalf("measure %s: %v\n%s", bin, err, errb.String())
	}
	var wallMS, cpuMS float64
	var kib int64
	if _, err := fmt.Sscanf(out.String(), "%f %d %d %f", &wallMS, &kib, &code, &cpuMS); err != nil {
		t.Fatalf("measure output %q: %v", out.String(), err)
	}
	return time.Duration(wallMS * float64(time.Millisecond)), time.Duration(cpuMS * float64(time.Millisecond)), kib << 10, code
}

// hostileClip shortens a long output for a failure message.
func hostileClip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
