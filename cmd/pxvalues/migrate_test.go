package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pxvalues/pxvalues/internal/atomicfile"
	"github.com/pxvalues/pxvalues/migrate"
	"github.com/pxvalues/pxvalues/values"
)

// Fixtures shared with the engine's golden tests.
const (
	fixV0      = "../../migrate/testdata/rules/v0-chain.in.yaml"
	fixV0Out   = "../../migrate/testdata/rules/v0-chain.out.yaml"
	fixUnknown = "../../migrate/testdata/rules/v1-unknown-key.in.yaml"
	fixV1      = "../../migrate/testdata/rules/v1-api-gateway-merge.in.yaml"
)

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyTo copies a fixture into dir and returns the new path.
func copyTo(t *testing.T, src, dir string, mode os.FileMode) string {
	t.Helper()
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, readFile(t, src), mode); err != nil {
		t.Fatal(err)
	}
	return dst
}

func runCLIEnv(t *testing.T, getenv map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return getenv[k] }}
	code := run(e, args)
	return out.String(), errb.String(), code
}

func TestMigrateStdoutAndReport(t *testing.T) {
	out, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", fixV0)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != string(readFile(t, fixV0Out)) {
		t.Errorf("stdout is not the migrated file:\n%s", out)
	}
	for _, want := range []string{"platform v0 -> v2, would change", "move", "serviceType -> gateway.service.type", "set", "broker"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("text report lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "pg-pass") {
		t.Errorf("the report shows a secret value")
	}

	_, errOut, code = runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "--report", "json", fixV0)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Files []struct {
			Path, From, To string
			Changes        []struct {
				Action, From, To, Message string
				Line                      int
			}
			Todos []struct {
				Path    string
				Line    int
				Message string
			}
		}
	}
	if err := json.Unmarshal([]byte(errOut), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, errOut)
	}
	if len(rep.Files) != 1 || rep.Files[0].From != "v0" || rep.Files[0].To != "v2" || len(rep.Files[0].Changes) == 0 {
		t.Fatalf("json report shape: %+v", rep)
	}
	found := false
	for _, c := range rep.Files[0].Changes {
		if c.Action == "move" && c.From == "serviceType" && c.To == "gateway.service.type" && c.Line == 5 {
			found = true
		}
	}
	if !found {
		t.Errorf("json report lacks the serviceType move with its input line: %+v", rep.Files[0].Changes)
	}
}

func TestMigrateDiffListCheck(t *testing.T) {
	dir := t.TempDir()
	v2 := filepath.Join(dir, "v2.yaml")
	// The migrated file with its TODOs settled (a TODO left fails --check).
	var settled []string
	for _, line := range strings.SplitAfter(string(readFile(t, fixV0Out)), "\n") {
		if !strings.Contains(line, "# PXVALUES-TODO:") {
			settled = append(settled, line)
		}
	}
	if err := os.WriteFile(v2, []byte(strings.Join(settled, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "", "migrate", "--to", "v2", "-d", fixV1)
	if code != exitOK || !strings.Contains(out, "--- "+fixV1) || !strings.Contains(out, "\n-api:\n") || !strings.Contains(out, "@@ ") {
		t.Errorf("-d: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "", "migrate", "--to", "v2", "-l", fixV1, v2)
	if code != exitOK || out != fixV1+"\n" {
		t.Errorf("-l: exit %d, %q", code, out)
	}
	out, _, code = runCLI(t, "", "migrate", "--to", "v2", "--check", fixV1, v2)
	if code != exitFindings || out != "" {
		t.Errorf("--check with a file to change: exit %d, stdout %q", code, out)
	}
	_, _, code = runCLI(t, "", "migrate", "--to", "v2", "--check", v2)
	if code != exitOK {
		t.Errorf("--check on a v2 file: exit %d", code)
	}
	_, _, code = runCLI(t, "", "migrate", "--to", "v2", "--check", fixV0Out)
	if code != exitFindings {
		t.Errorf("--check on a v2 file that keeps a TODO: exit %d", code)
	}
}

func TestMigrateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"migrate", fixV0},
		{"migrate", "--to", "v3", fixV0},
		{"migrate", "--to", "v2", "--from", "v3", fixV0},
		{"migrate", "--to", "v1", "--from", "v2", fixV0},
		{"migrate", "--to", "v1", "--chart", "agent", fixV0},
		{"migrate", "--to", "v2", "--report", "xml", fixV0},
		{"migrate", "--to", "v2", "--backup", ".orig", fixV0},
		{"migrate", "--to", "v2", "-w", "--check", fixV0},
		{"migrate", "--to", "v2", "-w", "-"},
		{"migrate", "--to", "v2"},
		{"migrate", "--to", "v2", "no-such-file.yaml"},
	} {
		if _, _, code := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestMigrateWrite(t *testing.T) {
	dir := t.TempDir()
	p := copyTo(t, fixV0, dir, 0o640)
	orig := readFile(t, p)
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", "--backup", ".orig", p)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := readFile(t, p); string(got) != string(readFile(t, fixV0Out)) {
		t.Errorf("written file differs from the migration:\n%s", got)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	if b := readFile(t, p+".orig"); !bytes.Equal(b, orig) {
		t.Errorf("backup is not the original")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*pxvalues-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestMigrateWriteSymlink(t *testing.T) {
	dir := t.TempDir()
	real := copyTo(t, fixV0, dir, 0o644)
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(filepath.Base(real), link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if _, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", link); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	st, err := os.Lstat(link)
	if err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced by a file")
	}
	if string(readFile(t, real)) != string(readFile(t, fixV0Out)) {
		t.Errorf("the symlink's target was not migrated")
	}
}

func TestMigrateWriteRefusals(t *testing.T) {
	t.Run("result fails to lint", func(t *testing.T) {
		dir := t.TempDir()
		p := copyTo(t, fixUnknown, dir, 0o644)
		_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "-w", p)
		if code != exitFindings || !strings.Contains(errOut, "lint error") {
			t.Errorf("exit %d, want %d:\n%s", code, exitFindings, errOut)
		}
		if !bytes.Equal(readFile(t, p), readFile(t, fixUnknown)) {
			t.Errorf("the original was changed")
		}
		if _, _, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "-w", "--force", p); code != exitOK {
			t.Errorf("--force: exit %d", code)
		}
		if !strings.Contains(string(readFile(t, p)), migrate.TodoMarker) {
			t.Errorf("--force did not write")
		}
	})
	t.Run("file changed during the run", func(t *testing.T) {
		dir := t.TempDir()
		p := copyTo(t, fixV0, dir, 0o644)
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hooks: appendBeforeCheck{}}
		code := run(e, []string{"migrate", "--to", "v2", "--from", "v0", "-w", p})
		errOut := errb.String()
		if code != exitUsage || !strings.Contains(errOut, "changed since it was read") {
			t.Errorf("exit %d, want %d:\n%s", code, exitUsage, errOut)
		}
		want := string(readFile(t, fixV0)) + "# changed by someone else\n"
		if got := string(readFile(t, p)); got != want {
			t.Errorf("the file was overwritten:\n%s", got)
		}
	})
	t.Run("read-only folder", func(t *testing.T) {
		dir := t.TempDir()
		p := copyTo(t, fixV0, dir, 0o644)
		readOnly(t, dir)
		_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v0", "-w", p)
		if code != exitUsage || !strings.Contains(errOut, "temporary file") {
			t.Errorf("exit %d, want %d:\n%s", code, exitUsage, errOut)
		}
		if !bytes.Equal(readFile(t, p), readFile(t, fixV0)) {
			t.Errorf("the original was changed")
		}
	})
}

// readOnly makes dir unwritable, even for root (chattr +i) when needed.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	probe := filepath.Join(dir, ".probe")
	if f, err := os.Create(probe); err == nil {
		f.Close()
		os.Remove(probe)
		// root ignores modes: make the folder immutable instead
		if err := exec.Command("chattr", "+i", dir).Run(); err != nil {
			t.Skip("cannot make a read-only folder here (root without chattr)")
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	}
}

// TestMigrateCrashHelper is the child process of TestMigrateKilled.
func TestMigrateCrashHelper(t *testing.T) {
	if os.Getenv("PXVALUES_CRASH_HELPER") == "" {
		t.Skip("helper process")
	}
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, hooks: killAt(os.Getenv("PXVALUES_CRASH_AT"))}
	os.Exit(run(e, strings.Fields(os.Getenv("PXVALUES_CRASH_HELPER"))))
}

// killAt kills the process with SIGKILL at a stage of the atomic write.
type killAt atomicfile.Stage

func (k killAt) At(s atomicfile.Stage, _ string) {
	if atomicfile.Stage(k) == s {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}

// TestMigrateKilled kills `migrate -w` at each stage of the atomic write
// (through an injected atomicfile.Hooks): before the rename the original is intact, after
// it the file is complete; never a partial file.
func TestMigrateKilled(t *testing.T) {
	for _, c := range []struct {
		stage string
		want  string
	}{
		{"after-temp", fixV0},
		{"before-rename", fixV0},
		{"after-rename", fixV0Out},
	} {
		t.Run(c.stage, func(t *testing.T) {
			dir := t.TempDir()
			p := copyTo(t, fixV0, dir, 0o644)
			cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateCrashHelper$")
			cmd.Env = append(os.Environ(), "PXVALUES_CRASH_HELPER=migrate --to v2 --from v0 -w "+p, "PXVALUES_CRASH_AT="+c.stage)
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("the process was not killed: %v", err)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the process ended without SIGKILL: %v", err)
			}
			if got := readFile(t, p); !bytes.Equal(got, readFile(t, c.want)) {
				t.Errorf("after a kill at %s the file is neither intact nor complete:\n%s", c.stage, got)
			}
		})
	}
}

// TestMigrateRefusesNonRegular checks that migrate reads its inputs as lint
// does: a device (which would never end) and a file over the size limit
// are refused with exit 2, without reading them to the end.
func TestMigrateRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// a sparse file one byte over the default limit
	if err := fh.Truncate(values.DefaultLimits().MaxBytes + 1); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	cases := []struct{ path, want string }{
		{big, "larger than"},
	}
	if st, err := os.Stat("/dev/zero"); err == nil && st.Mode()&os.ModeDevice != 0 {
		cases = append(cases, struct{ path, want string }{"/dev/zero", "not a regular file"})
	}
	for _, c := range cases {
		out, errOut, code := runCLI(t, "", "migrate", "--to", "v2", c.path)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("migrate %s: exit %d, stdout %q, stderr %q (want exit 2 and %q)", c.path, code, out, errOut, c.want)
		}
	}
}

// TestMigrateDiffRedactsSecrets checks that -d, whose output CI logs
// capture, shows no secret value, while the rest of the diff is intact.
func TestMigrateDiffRedactsSecrets(t *testing.T) {
	src := "# migrate me\npostgresql:\n  postgresqlPassword: s3cr3t-pg\n  postgresqlUsername: polyaxon\nredis:\n  password: |\n    s3cr3t-multi\napi:\n  replicas: 2\n"
	dir := t.TempDir()
	p := filepath.Join(dir, "v1.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--from", "v1", "-d", p)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, secret := range []string{"s3cr3t-pg", "s3cr3t-multi"} {
		if strings.Contains(out, secret) || strings.Contains(errOut, secret) {
			t.Errorf("-d shows the secret %q:\n%s\n%s", secret, out, errOut)
		}
	}
	for _, want := range []string{"<redacted>", "+    password: \"<redacted>\"", "-api:",
		// the username moves under postgresql.auth, where every value is a
		// secret (cue/secrets.cue): redacted on both sides
		"-  postgresqlUsername: \"<redacted>\""} {
		if !strings.Contains(out, want) {
			t.Errorf("-d lacks %q:\n%s", want, out)
		}
	}
	help, _, _ := runCLI(t, "", "migrate", "-h") // help goes to stdout
	if !strings.Contains(help, "redacted") {
		t.Errorf("migrate -h does not say that -d redacts secrets:\n%s", help)
	}
}

// appendBeforeCheck changes the file between its reading and its writing.
type appendBeforeCheck struct{}

func (appendBeforeCheck) At(s atomicfile.Stage, target string) {
	if s != atomicfile.BeforeCheck {
		return
	}
	if fh, err := os.OpenFile(target, os.O_APPEND|os.O_WRONLY, 0); err == nil {
		fmt.Fprintln(fh, "# changed by someone else")
		fh.Close()
	}
}

// TestMigrateCheckAmbiguous: `migrate --check` exits 1 on a file that fits
// two majors equally (issue 11: it exited 0, "v2 -> v2, unchanged"); once
// --from or the project configuration says which major it is, the answer
// is that major's.
func TestMigrateCheckAmbiguous(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "g.yaml")
	if err := os.WriteFile(f, []byte("gateway:\n  service:\n    type: NodePort\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", f)
	if code != exitFindings || !strings.Contains(errOut, "ambiguous") || !strings.Contains(errOut, "31833") {
		t.Errorf("--check on an ambiguous file: exit %d\n%s", code, errOut)
	}
	if _, errOut, code = runCLI(t, "", "migrate", "--from", "v1", "--to", "v2", "--check", f); code != exitFindings || strings.Contains(errOut, "ambiguous") {
		t.Errorf("--check --from v1: exit %d\n%s", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".pxvalues.yaml"), []byte("major: v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code = runCLI(t, "", "migrate", "--to", "v2", "--check", f); code != exitOK {
		t.Errorf("--check with major: v2 pinned by .pxvalues.yaml: exit %d\n%s", code, errOut)
	}
}

// TestMigrateHalfMigrated: a file read as v2 that still holds v1 keys
// (`api` beside `gateway.perCore`) is not "unchanged" silently: migrate
// names the leftover keys and what --from v1 would change, --check exits 1,
// and lint's hint proposes the newest older major (--from v1, not v0, whose
// migration would take the v2 keys for unknown ones).
func TestMigrateHalfMigrated(t *testing.T) {
	f := filepath.Join(t.TempDir(), "half.yaml")
	src := "gateway:\n  perCore: true\napi:\n  replicas: 2\nbroker: redis\n"
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "migrate", "--to", "v2", "--check", f)
	if code != exitFindings || !strings.Contains(errOut, "half-migrated") || !strings.Contains(errOut, "as v1 it would change") {
		t.Errorf("--check on a half-migrated file: exit %d\n%s", code, errOut)
	}
	out, _, code := runCLI(t, "", "lint", f)
	if code != exitFindings || !strings.Contains(out, "pxvalues migrate --from v1 --to v2") {
		t.Errorf("lint of a half-migrated file: exit %d\n%s", code, out)
	}
	if _, errOut, code = runCLI(t, "", "migrate", "--from", "v1", "--to", "v2", "--check", f); code != exitFindings || strings.Contains(errOut, "half-migrated") {
		t.Errorf("--check --from v1: exit %d\n%s", code, errOut)
	}
}
