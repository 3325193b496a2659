//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

// links returns how many names the file has: not known here, so one.
func links(fs.FileInfo) uint64 { return 1 }

// chown keeps the owner: a new file on these systems belongs to the writer.
func chown(*os.File, fs.FileInfo) error { return nil }

// writable reports whether the file may be written, from its mode bits.
func writable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().Perm()&0o200 != 0
}
