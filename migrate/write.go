package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrChanged is returned by WriteFile when the file on disk no longer holds
// the bytes the migration read.
var ErrChanged = errors.New("the file changed since it was read; not written (run the migration again)")

// CrashEnv names the environment variable of the kill test: when the
// command passes its value as WriteOptions.CrashAt and it names a stage of
// WriteFile ("after-temp", "before-rename", "after-rename"), the process
// kills itself with SIGKILL at that stage, so that a test can check that
// the original file is intact (before the rename) or complete (after it)
// and that no partial file is left in its place. Never set it outside tests.
const CrashEnv = "PXVALUES_TEST_CRASH_AT"

// WriteOptions tune WriteFile.
type WriteOptions struct {
	// Backup, when not empty, keeps the original content beside the file
	// under the file's name plus this suffix.
	Backup string
	// CrashAt is the test-only kill stage (see CrashEnv).
	CrashAt string
	// BeforeCheck, when set, runs just before the on-disk content is
	// compared with what was read (a test hook to change the file).
	BeforeCheck func(target string)
}

// WriteFile replaces the content of path, which held read, with data,
// atomically: the new content goes to a temporary file in the same folder,
// is flushed to disk and renamed over the file, keeping its mode. A
// symbolic link is followed and its target replaced (the link stays). The
// file is not written when its content is no longer read (ErrChanged).
// On any error the original file is left as it was.
func WriteFile(path string, read, data []byte, opts WriteOptions) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", path, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("stat %s: %w", target, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", target)
	}
	if opts.BeforeCheck != nil {
		opts.BeforeCheck(target)
	}
	if err := unchanged(target, read); err != nil {
		return err
	}
	if opts.Backup != "" {
		if err := writeAtomic(target+opts.Backup, read, st.Mode().Perm(), ""); err != nil {
			return fmt.Errorf("writing the backup: %w", err)
		}
	}
	return writeAtomic(target, data, st.Mode().Perm(), opts.CrashAt, func() error { return unchanged(target, read) })
}

func unchanged(target string, read []byte) error {
	cur, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("reading %s again: %w", target, err)
	}
	if !bytes.Equal(cur, read) {
		return ErrChanged
	}
	return nil
}

// writeAtomic writes data to a temporary file beside target, syncs it and
// renames it over target; check runs just before the rename.
func writeAtomic(target string, data []byte, mode os.FileMode, crashAt string, checks ...func() error) (err error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
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
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("chmod %s: %w", name, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", name, err)
	}
	crash(crashAt, "after-temp")
	for _, c := range checks {
		if err = c(); err != nil {
			return err
		}
	}
	crash(crashAt, "before-rename")
	if err = os.Rename(name, target); err != nil {
		return fmt.Errorf("renaming %s to %s: %w", name, target, err)
	}
	crash(crashAt, "after-rename")
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

// crash kills the process at stage when the kill test asks for it.
func crash(at, stage string) {
	if at != "" && at == stage {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // wait for the signal
	}
}
