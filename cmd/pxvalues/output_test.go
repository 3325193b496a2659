//go:build unix

package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter fails every write, as stdout on a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteFailure: every command that writes to stdout exits 2 when
// the write fails, and says so on stderr.
func TestStdoutWriteFailure(t *testing.T) {
	for _, args := range [][]string{
		{"version"},
		{"help"},
		{"rules"},
		{"explain", "unknown-key"},
		{"schema", "--chart", "platform", "--major", "v2"},
		{"lint", "../../testdata/examples/platform-v1.yaml"},
		{"lint", "--format", "json", "../../testdata/examples/platform-v1.yaml"},
		{"migrate", "--to", "v2", fixV0},
		{"migrate", "--to", "v2", "-d", fixV0},
		{"migrate", "--to", "v2", "-l", fixV0},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var errb bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: failingWriter{}, stderr: &errb, getenv: func(string) string { return "" }}
			if code := run(e, args); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, errb.String())
			}
			if !strings.Contains(errb.String(), "no space left") {
				t.Errorf("stderr does not name the failure:\n%s", errb.String())
			}
		})
	}
}

// TestOutputTargets: --output replaces a regular file (through a link too)
// and writes into a device or a link to one without replacing it; a folder
// is a usage error.
func TestOutputTargets(t *testing.T) {
	const input = "../../testdata/examples/platform-v1.yaml"
	dir := t.TempDir()
	reg := filepath.Join(dir, "report.sarif")
	if err := os.WriteFile(reg, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	linkReg := filepath.Join(dir, "link.sarif")
	linkNull := filepath.Join(dir, "null.sarif")
	if err := os.Symlink(reg, linkReg); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/null", linkNull); err != nil {
		t.Fatal(err)
	}
	null, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip("no /dev/null")
	}
	for _, p := range []string{linkReg, "/dev/null", linkNull} {
		if _, errOut, code := runCLI(t, "", "lint", "--output", "sarif="+p, input); code == exitUsage {
			t.Fatalf("--output sarif=%s: exit %d\n%s", p, code, errOut)
		}
	}
	if st, _ := os.Stat("/dev/null"); !os.SameFile(st, null) || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null was replaced: %v", st.Mode())
	}
	for _, l := range []string{linkReg, linkNull} {
		if st, _ := os.Lstat(l); st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s: the link was replaced by a file", l)
		}
	}
	st, _ := os.Stat(reg)
	if b, _ := os.ReadFile(reg); !bytes.Contains(b, []byte(`"version": "2.1.0"`)) || st.Mode() != 0o640 {
		t.Errorf("the linked report was not written in place of the old one (mode %v):\n%.200s", st.Mode(), b)
	}
	if _, errOut, code := runCLI(t, "", "lint", "--output", "json="+dir, input); code != exitUsage || !strings.Contains(errOut, "directory") {
		t.Errorf("--output onto a folder: exit %d\n%s", code, errOut)
	}
}

// TestMigrateWriteKeeps: -w keeps setuid bits, refuses hard-linked and
// read-only files unless --force, which writes in place.
func TestMigrateWriteKeeps(t *testing.T) {
	want := readFile(t, fixV0Out)
	t.Run("setuid", func(t *testing.T) {
		p := copyTo(t, fixV0, t.TempDir(), 0o755)
		if err := os.Chmod(p, 0o755|fs.ModeSetuid|fs.ModeSetgid); err != nil {
			t.Fatal(err)
		}
		if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", p); code != exitOK {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		st, _ := os.Stat(p)
		if st.Mode() != 0o755|fs.ModeSetuid|fs.ModeSetgid {
			t.Errorf("mode %v", st.Mode())
		}
		if !bytes.Equal(readFile(t, p), want) {
			t.Errorf("not migrated")
		}
	})
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, p string) string // returns another name or ""
		msg   string
	}{
		{"hard-linked", func(t *testing.T, p string) string {
			o := p + ".other"
			if err := os.Link(p, o); err != nil {
				t.Fatal(err)
			}
			return o
		}, "hard links"},
		{"read-only", func(t *testing.T, p string) string {
			if err := os.Chmod(p, 0o444); err != nil {
				t.Fatal(err)
			}
			return ""
		}, "read-only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := copyTo(t, fixV0, t.TempDir(), 0o644)
			other := c.setup(t, p)
			_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", p)
			if code != exitUsage || !strings.Contains(errOut, c.msg) || !strings.Contains(errOut, "--force") {
				t.Errorf("exit %d, want %d and a message naming %q and --force:\n%s", code, exitUsage, c.msg, errOut)
			}
			if !bytes.Equal(readFile(t, p), readFile(t, fixV0)) {
				t.Fatalf("refused, but the file changed")
			}
			before, _ := os.Stat(p)
			if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", "--force", p); code != exitOK {
				t.Fatalf("--force: exit %d\n%s", code, errOut)
			}
			after, _ := os.Stat(p)
			if !os.SameFile(before, after) || after.Mode() != before.Mode() {
				t.Errorf("--force did not write in place (mode %v -> %v)", before.Mode(), after.Mode())
			}
			for _, n := range []string{p, other} {
				if n != "" && !bytes.Equal(readFile(t, n), want) {
					t.Errorf("%s: not the migrated content", n)
				}
			}
		})
	}
}
