//go:build linux || darwin

package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// safetyFixture is a platform v0 file that `migrate --to v2` rewrites.
const safetyFixture = "testdata/hardening/v0-values.yaml"

// killIterations is how many times TestMigrateWriteSafety/killed kills
// `migrate -w` (issue 7 asks for 200).
const killIterations = 200

// TestMigrateWriteSafety runs `pxvalues migrate --to v2 -w` as a child
// process of the built binary under faults: killed with SIGKILL at random
// moments (and at each stage of the atomic write, through
// the hooks of a -tags pxvalues_testhooks build), two runs on one file at once, and a full filesystem.
// After each, the file holds exactly its old or its new content.
func TestMigrateWriteSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 200 processes")
	}
	bin := filepath.Join(t.TempDir(), "pxvalues")
	if out, err := exec.Command("go", "build", "-tags", "pxvalues_testhooks", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	old, err := os.ReadFile(safetyFixture)
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "", "migrate", "--to", "v2", safetyFixture)
	if code != 0 || stdout == "" || stdout == string(old) {
		t.Fatalf("migrate --to v2 %s: exit %d, stderr:\n%s", safetyFixture, code, stderr)
	}
	want := []byte(stdout)

	t.Run("killed", func(t *testing.T) { testKilled(t, bin, old, want) })
	t.Run("concurrent", func(t *testing.T) { testConcurrent(t, bin, old, want) })
	t.Run("disk-full", func(t *testing.T) { testDiskFull(t, bin, old) })
}

// checkOldOrNew fails unless the file at p holds old or want.
func checkOldOrNew(t *testing.T, p string, old, want []byte, what string) (isNew bool) {
	t.Helper()
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%s: the file is gone: %v", what, err)
	}
	switch {
	case bytes.Equal(got, want):
		return true
	case bytes.Equal(got, old):
		return false
	}
	t.Fatalf("%s: the file is neither the old nor the new content (%d bytes):\n%s", what, len(got), got)
	return false
}

func testKilled(t *testing.T, bin string, old, want []byte) {
	// How long one run takes here, to spread the kills over it.
	var runs []time.Duration
	for i := 0; i < 5; i++ {
		p := filepath.Join(t.TempDir(), "values.yaml")
		if err := os.WriteFile(p, old, 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if out, err := exec.Command(bin, "migrate", "--to", "v2", "-w", p).CombinedOutput(); err != nil {
			t.Fatalf("migrate -w: %v\n%s", err, out)
		}
		runs = append(runs, time.Since(start))
		checkOldOrNew(t, p, old, want, "uninterrupted run")
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i] < runs[j] })
	span := runs[len(runs)/2] * 3 / 2

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	stages := []string{"after-temp", "before-rename", "after-rename"}
	counts := map[string]int{}
	leftovers := 0
	for i := 0; i < killIterations; i++ {
		dir := t.TempDir()
		p := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(p, old, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "migrate", "--to", "v2", "-w", p)
		what := ""
		if i%4 == 3 {
			// A kill inside the write window, at a named stage.
			stage := stages[rng.IntN(len(stages))]
			cmd.Env = append(os.Environ(), "PXVALUES_TEST_CRASH_AT="+stage)
			what = "crash at " + stage
		} else {
			what = "kill after " + time.Duration(rng.Int64N(int64(span))).String()
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(what, "kill after ") {
			d, _ := time.ParseDuration(strings.TrimPrefix(what, "kill after "))
			time.Sleep(d)
			_ = cmd.Process.Kill()
		}
		err := cmd.Wait()
		killed := false
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				killed = true
			} else {
				t.Fatalf("iteration %d (%s): exit %v", i, what, err)
			}
		}
		isNew := checkOldOrNew(t, p, old, want, what)
		switch {
		case !killed:
			counts["finished"]++
		case isNew:
			counts["killed, new content"]++
		default:
			counts["killed, old content"]++
		}
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 1 {
			leftovers++
		}
	}
	t.Logf("%d runs (seed %d, kills spread over %v): %d finished, %d killed with the old content, %d killed with the new content; %d left a temporary file beside the target",
		killIterations, seed, span, counts["finished"], counts["killed, old content"], counts["killed, new content"], leftovers)
	if counts["killed, old content"]+counts["killed, new content"] < killIterations/4 {
		t.Errorf("only %d of %d runs were killed: the test does not exercise kills", counts["killed, old content"]+counts["killed, new content"], killIterations)
	}
}

func testConcurrent(t *testing.T, bin string, old, want []byte) {
	for round := 0; round < 20; round++ {
		p := filepath.Join(t.TempDir(), "values.yaml")
		if err := os.WriteFile(p, old, 0o644); err != nil {
			t.Fatal(err)
		}
		var cmds [2]*exec.Cmd
		var errs [2]bytes.Buffer
		for i := range cmds {
			cmds[i] = exec.Command(bin, "migrate", "--to", "v2", "-w", p)
			cmds[i].Stderr = &errs[i]
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		ok := 0
		for i, c := range cmds {
			err := c.Wait()
			switch code := c.ProcessState.ExitCode(); {
			case code == 0:
				ok++
			case code == 2 && strings.Contains(errs[i].String(), "changed since it was read"):
			default:
				t.Errorf("round %d: run %d: exit %d (%v):\n%s", round, i, code, err, errs[i].String())
			}
		}
		if ok == 0 {
			t.Errorf("round %d: neither run wrote the file", round)
		}
		if !checkOldOrNew(t, p, old, want, "two concurrent runs") {
			t.Errorf("round %d: the file still holds the old content after two successful-looking runs", round)
		}
		if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
			t.Errorf("round %d: %d files in the folder, want only values.yaml", round, len(entries))
		}
	}
}

func testDiskFull(t *testing.T, bin string, old []byte) {
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).Run(); err != nil {
		t.Skipf("cannot mount a 64k tmpfs here (%v): disk-full not tested", err)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", dir, err, out)
		}
	})
	p := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(p, old, 0o644); err != nil {
		t.Fatal(err)
	}
	// Fill the filesystem.
	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := filler.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	filler.Close()

	var errb bytes.Buffer
	cmd := exec.Command(bin, "migrate", "--to", "v2", "-w", p)
	cmd.Stderr = &errb
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Fatalf("migrate -w on a full disk: exit %d (%v), want 2:\n%s", code, err, errb.String())
	}
	if !strings.Contains(errb.String(), "no space left on device") {
		t.Errorf("the error does not say the disk is full:\n%s", errb.String())
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, old) {
		t.Errorf("the original file changed on a full disk:\n%s", got)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 {
		t.Errorf("files left on the full disk: %v, want only values.yaml and filler", names)
	}
	for _, line := range strings.Split(errb.String(), "\n") {
		if strings.Contains(line, "no space left on device") {
			t.Logf("full disk: exit 2, original intact, no temporary file left: %s", strings.TrimSpace(line))
			break
		}
	}
}
