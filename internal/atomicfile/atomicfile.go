// Package atomicfile writes files so that a reader never sees half of one:
// the one writer behind `migrate -w`, its backups and `lint --output`.
//
// A regular file is replaced atomically (a temporary file beside it, fsync,
// rename, fsync of the folder) keeping its mode bits (setuid, setgid and
// sticky included), owner and group. A file with other names (hard links)
// or without write permission is refused unless Options.Force, which then
// writes the content in place so that the links stay. Anything that is not
// a regular file (a device, a FIFO, /dev/stdout) is written directly.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Stage names a moment of a write, for Hooks.
type Stage string

// The stages of a replacement, in order.
const (
	// BeforeCheck is after the file was inspected, before Options.Check runs.
	BeforeCheck Stage = "before-check"
	// AfterTemp is after the temporary file was written and synced.
	AfterTemp Stage = "after-temp"
	// BeforeRename is after the last check, just before the rename.
	BeforeRename Stage = "before-rename"
	// AfterRename is after the rename, before the folder is synced.
	AfterRename Stage = "after-rename"
)

// Hooks observe the stages of a write. Production code passes nil; tests
// inject an implementation that changes the file or stops the process at a
// stage, to prove that a write is all-or-nothing.
type Hooks interface {
	// At is called with the stage reached and the path being written.
	At(stage Stage, target string)
}

// ErrLinked refuses to split a file that has other names.
var ErrLinked = errors.New("the file has other names (hard links): replacing it would leave them with the old content; use --force to write in place")

// ErrReadOnly refuses to replace a file without write permission.
var ErrReadOnly = errors.New("the file is read-only; use --force to write it anyway")

// ErrDirectory refuses a folder as the file to write.
var ErrDirectory = errors.New("is a directory")

// Options tune Replace and Write.
type Options struct {
	// Force writes a hard-linked or read-only file in place instead of
	// refusing it.
	Force bool
	// Check, when set, runs just before the new content takes the file's
	// place; an error leaves the file as it was.
	Check func(target string) error
	// Hooks, when set, are called at each Stage.
	Hooks Hooks
	// Perm is the permission of a file Write creates (default 0644).
	Perm fs.FileMode
}

func (o Options) at(s Stage, target string) {
	if o.Hooks != nil {
		o.Hooks.At(s, target)
	}
}

// Replace replaces the content of the existing regular file path with data.
// A symbolic link is followed and its target replaced (the link stays).
func Replace(path string, data []byte, opts Options) error {
	target, st, err := inspect(path, opts.Force)
	if err != nil {
		return err
	}
	return replaceRegular(target, st, data, opts)
}

// Inspect returns the file Replace would write for path (the target of a
// symbolic link) or the error Replace would refuse it with, writing nothing.
func Inspect(path string, force bool) (string, error) {
	target, _, err := inspect(path, force)
	return target, err
}

func inspect(path string, force bool) (string, fs.FileInfo, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, fmt.Errorf("resolving %s: %w", path, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return "", nil, fmt.Errorf("stat %s: %w", target, err)
	}
	if st.IsDir() {
		return "", nil, fmt.Errorf("%s: %w", target, ErrDirectory)
	}
	if !st.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s is not a regular file", target)
	}
	if err := refusal(target, st, force); err != nil {
		return "", nil, err
	}
	return target, st, nil
}

// refusal returns why a regular file may not be replaced without force.
func refusal(target string, st fs.FileInfo, force bool) error {
	if force {
		return nil
	}
	if links(st) > 1 {
		return fmt.Errorf("%s: %w", target, ErrLinked)
	}
	if readOnly(target, st) {
		return fmt.Errorf("%s: %w", target, ErrReadOnly)
	}
	return nil
}

func readOnly(target string, st fs.FileInfo) bool {
	return st.Mode().Perm()&0o222 == 0 || !writable(target)
}

// Write writes data to path for an output such as a report: a regular file
// (or a symbolic link to one) is replaced atomically as by Replace, a path
// that does not exist is created as a regular file (mode opts.Perm, default 0644), and
// anything else (a device, a FIFO, a link to one, /dev/stdout) is opened
// and written directly. A folder is refused with ErrDirectory.
func Write(path string, data []byte, opts Options) error {
	lst, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return create(path, data, opts)
	case err != nil:
		return fmt.Errorf("stat %s: %w", path, err)
	case lst.IsDir():
		return fmt.Errorf("%s: %w", path, ErrDirectory)
	case lst.Mode().IsRegular():
		return replaceRegular(path, lst, data, opts)
	case lst.Mode()&fs.ModeSymlink != 0 && !special(path):
		target, err := filepath.EvalSymlinks(path)
		if err == nil && !special(target) {
			if st, err := os.Stat(target); err == nil {
				if st.IsDir() {
					return fmt.Errorf("%s: %w", path, ErrDirectory)
				}
				if st.Mode().IsRegular() {
					return replaceRegular(target, st, data, opts)
				}
			}
		}
	}
	return direct(path, data)
}

// special reports whether p lies in the kernel's file systems, where a
// symbolic link (/dev/stdout -> /proc/self/fd/1) names an open file and
// must not be resolved and replaced.
func special(p string) bool {
	p = filepath.ToSlash(p)
	return strings.HasPrefix(p, "/dev/") || strings.HasPrefix(p, "/proc/")
}

// direct writes data into the file at path as it is (no temporary file).
func direct(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	return nil
}

// create writes a new regular file atomically.
func create(path string, data []byte, opts Options) error {
	perm := opts.Perm.Perm()
	if perm == 0 {
		perm = 0o644
	}
	return viaTemp(path, data, func(tmp *os.File) error { return tmp.Chmod(perm) }, opts)
}

// replaceRegular replaces the regular file target (described by st).
func replaceRegular(target string, st fs.FileInfo, data []byte, opts Options) error {
	if err := refusal(target, st, opts.Force); err != nil {
		return err
	}
	if links(st) > 1 || readOnly(target, st) {
		return inPlace(target, data, opts)
	}
	return viaTemp(target, data, func(tmp *os.File) error { return keepMeta(tmp, st) }, opts)
}

// keepMeta gives tmp the owner, group and mode of st; the owner first, as
// changing it clears the setuid and setgid bits.
func keepMeta(tmp *os.File, st fs.FileInfo) error {
	if err := chown(tmp, st); err != nil {
		return fmt.Errorf("keeping the owner of the file: %w", err)
	}
	mode := st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("keeping the mode of the file: %w", err)
	}
	return nil
}

// inPlace overwrites target's content, keeping its inode (and so its links,
// mode and owner). It is not atomic: only --force asks for it.
func inPlace(target string, data []byte, opts Options) error {
	opts.at(BeforeCheck, target)
	if opts.Check != nil {
		if err := opts.Check(target); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("opening %s: %w", target, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s in place: %w", target, err)
	}
	return nil
}

// viaTemp writes data to a temporary file beside target, prepares it with
// meta, syncs it and renames it over target.
func viaTemp(target string, data []byte, meta func(*os.File) error, opts Options) (err error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	opts.at(BeforeCheck, target)
	tmp, err := os.CreateTemp(dir, "."+base+".pxvalues-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file beside %s: %w", target, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = meta(tmp); err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", name, err)
	}
	opts.at(AfterTemp, target)
	if opts.Check != nil {
		if err = opts.Check(target); err != nil {
			return err
		}
	}
	opts.at(BeforeRename, target)
	if err = os.Rename(name, target); err != nil {
		return fmt.Errorf("renaming %s to %s: %w", name, target, err)
	}
	opts.at(AfterRename, target)
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

// Unchanged returns a Check that fails with ErrChanged unless the file
// still holds read.
func Unchanged(read []byte) func(target string) error {
	return func(target string) error {
		cur, err := os.ReadFile(target)
		if err != nil {
			return fmt.Errorf("reading %s again: %w", target, err)
		}
		if !bytes.Equal(cur, read) {
			return ErrChanged
		}
		return nil
	}
}

// ErrChanged is returned when the file no longer holds the bytes read.
var ErrChanged = errors.New("the file changed since it was read; not written (run the migration again)")
