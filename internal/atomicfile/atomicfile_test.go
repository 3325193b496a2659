//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func write(t *testing.T, p, s string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func content(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type recorder []Stage

func (r *recorder) At(s Stage, _ string) { *r = append(*r, s) }

// TestReplace covers what Replace keeps and what it refuses.
func TestReplace(t *testing.T) {
	tests := []struct {
		name    string
		mode    fs.FileMode
		link    bool // a second hard link
		force   bool
		wantErr error
		inPlace bool // the inode stays
	}{
		{name: "plain", mode: 0o640},
		{name: "setuid", mode: 0o755 | fs.ModeSetuid | fs.ModeSetgid},
		{name: "sticky", mode: 0o644 | fs.ModeSticky},
		{name: "hard-linked", mode: 0o644, link: true, wantErr: ErrLinked},
		{name: "hard-linked --force", mode: 0o644, link: true, force: true, inPlace: true},
		{name: "read-only", mode: 0o444, wantErr: ErrReadOnly},
		{name: "read-only --force", mode: 0o444, force: true, inPlace: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "values.yaml")
			write(t, p, "old content that is longer\n", tc.mode)
			other := filepath.Join(dir, "other.yaml")
			if tc.link {
				if err := os.Link(p, other); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.Stat(p)
			var rec recorder
			err := Replace(p, []byte("new\n"), Options{Force: tc.force, Hooks: &rec})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if got := content(t, p); got != "old content that is longer\n" {
					t.Fatalf("refused, but the file changed: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := content(t, p); got != "new\n" {
				t.Fatalf("content %q", got)
			}
			after, _ := os.Stat(p)
			if after.Mode() != before.Mode() {
				t.Errorf("mode %v, want %v", after.Mode(), before.Mode())
			}
			if same := os.SameFile(before, after); same != tc.inPlace {
				t.Errorf("same inode = %v, want %v", same, tc.inPlace)
			}
			if tc.link && content(t, other) != "new\n" {
				t.Errorf("the other name kept the old content")
			}
			if !tc.inPlace && !slices.Equal(rec, []Stage{BeforeCheck, AfterTemp, BeforeRename, AfterRename}) {
				t.Errorf("stages %v", rec)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1+btoi(tc.link) {
				t.Errorf("left files behind: %v", entries)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestReplaceKeepsOwner runs as root only: the file of another user stays
// theirs.
func TestReplaceKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	p := filepath.Join(t.TempDir(), "values.yaml")
	write(t, p, "old\n", 0o4755)
	if err := os.Chown(p, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o4755|fs.ModeSetuid); err != nil {
		t.Fatal(err)
	}
	if err := Replace(p, []byte("new\n"), Options{}); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	s := st.Sys().(*syscall.Stat_t)
	if s.Uid != 65534 || s.Gid != 65534 {
		t.Errorf("owner %d:%d, want 65534:65534", s.Uid, s.Gid)
	}
	if st.Mode()&fs.ModeSetuid == 0 {
		t.Errorf("setuid bit lost: %v", st.Mode())
	}
}

// TestReplaceCheck: a failing check leaves the file and no temporary file.
func TestReplaceCheck(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "values.yaml")
	write(t, p, "old\n", 0o644)
	err := Replace(p, []byte("new\n"), Options{Check: func(target string) error {
		write(t, target, "changed\n", 0o644)
		return Unchanged([]byte("old\n"))(target)
	}})
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v", err)
	}
	if got := content(t, p); got != "changed\n" {
		t.Fatalf("content %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
}

// TestWrite covers the outputs: regular files, links, devices, FIFOs and
// folders.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "report.json")
	write(t, reg, "old\n", 0o600)
	linkToReg := filepath.Join(dir, "link.json")
	if err := os.Symlink(reg, linkToReg); err != nil {
		t.Fatal(err)
	}
	linkToNull := filepath.Join(dir, "null")
	if err := os.Symlink("/dev/null", linkToNull); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	nullSt, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip("no /dev/null")
	}

	// a new file
	fresh := filepath.Join(dir, "new.sarif")
	if err := Write(fresh, []byte("x\n"), Options{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode() != 0o644 || content(t, fresh) != "x\n" {
		t.Errorf("new file: %v %q", st.Mode(), content(t, fresh))
	}
	// a regular file through a link: the target is replaced, mode kept, link stays
	if err := Write(linkToReg, []byte("new\n"), Options{}); err != nil {
		t.Fatal(err)
	}
	if lst, _ := os.Lstat(linkToReg); lst.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if st, _ := os.Stat(reg); st.Mode() != 0o600 || content(t, reg) != "new\n" {
		t.Errorf("target: %v %q", st.Mode(), content(t, reg))
	}
	// devices and links to them are written, never replaced
	for _, p := range []string{"/dev/null", linkToNull} {
		if err := Write(p, []byte("y\n"), Options{}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if st, _ := os.Stat("/dev/null"); !os.SameFile(st, nullSt) || st.Mode()&fs.ModeDevice == 0 {
		t.Fatalf("/dev/null was replaced: %v", st.Mode())
	}
	if lst, _ := os.Lstat(linkToNull); lst.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link to /dev/null was replaced")
	}
	// a FIFO: a reader gets the content
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := Write(fifo, []byte("z\n"), Options{}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "z\n" {
		t.Errorf("FIFO reader got %q", s)
	}
	if st, _ := os.Lstat(fifo); st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced")
	}
	// a folder
	if err := Write(dir, []byte("x"), Options{}); !errors.Is(err, ErrDirectory) {
		t.Errorf("folder: err = %v", err)
	}
	// a full device: the error is reported
	if _, err := os.Stat("/dev/full"); err == nil {
		if err := Write("/dev/full", []byte("x"), Options{}); err == nil {
			t.Errorf("/dev/full: no error")
		}
	}
}
