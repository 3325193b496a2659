//go:build pxvalues_testhooks

package main

import (
	"os"

	"github.com/pxvalues/pxvalues/internal/atomicfile"
)

// crashEnv names the variable of the kill test: in a binary built with
// -tags pxvalues_testhooks, a write kills its own process at the named
// stage of the atomic write ("after-temp", "before-rename", "after-rename").
const crashEnv = "PXVALUES_TEST_CRASH_AT"

// writeHooks returns the kill test's hooks when crashEnv is set.
func writeHooks(getenv func(string) string) atomicfile.Hooks {
	if at := getenv(crashEnv); at != "" {
		return crashAt(at)
	}
	return nil
}

// crashAt kills the process with SIGKILL at a stage.
type crashAt atomicfile.Stage

func (c crashAt) At(s atomicfile.Stage, _ string) {
	if atomicfile.Stage(c) != s {
		return
	}
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Kill()
	}
	select {} // wait for the signal
}
