//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"syscall"
)

// links returns how many names the file has.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

// chown gives f the owner and group of st, when they differ from f's.
func chown(f *os.File, st fs.FileInfo) error {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	cur, err := f.Stat()
	if err != nil {
		return err
	}
	if c, ok := cur.Sys().(*syscall.Stat_t); ok && c.Uid == s.Uid && c.Gid == s.Gid {
		return nil
	}
	return f.Chown(int(s.Uid), int(s.Gid))
}

// writable reports whether this process may write the file at p.
func writable(p string) bool {
	return syscall.Access(p, 0x2 /* W_OK */) == nil
}
