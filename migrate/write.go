package migrate

import (
	"fmt"
	"os"

	"github.com/pxvalues/pxvalues/internal/atomicfile"
)

// ErrChanged is returned by WriteFile when the file on disk no longer holds
// the bytes the migration read.
var ErrChanged = atomicfile.ErrChanged

// WriteOptions tune WriteFile.
type WriteOptions struct {
	// Backup, when not empty, keeps the original content beside the file
	// under the file's name plus this suffix.
	Backup string
	// Force writes a hard-linked or read-only file in place (keeping its
	// other names) instead of refusing it.
	Force bool
	// Hooks, when set, observe the stages of the write (tests).
	Hooks atomicfile.Hooks
}

// WriteFile replaces the content of path, which held read, with data,
// atomically (see package atomicfile): mode bits, owner and group are kept,
// a symbolic link is followed and its target replaced (the link stays), and
// a hard-linked or read-only file is refused unless opts.Force. The file is
// not written when its content is no longer read (ErrChanged). On any error
// the original file is left as it was.
func WriteFile(path string, read, data []byte, opts WriteOptions) error {
	target, err := atomicfile.Inspect(path, opts.Force)
	if err != nil {
		return err
	}
	check := atomicfile.Unchanged(read)
	if opts.Backup != "" {
		if err := check(target); err != nil {
			return err
		}
		st, err := os.Stat(target)
		if err != nil {
			return fmt.Errorf("stat %s: %w", target, err)
		}
		// the backup is as private as the original (no setuid: a copy)
		if err := atomicfile.Write(target+opts.Backup, read, atomicfile.Options{Perm: st.Mode().Perm()}); err != nil {
			return fmt.Errorf("writing the backup: %w", err)
		}
	}
	return atomicfile.Replace(target, data, atomicfile.Options{Force: opts.Force, Check: check, Hooks: opts.Hooks})
}
