//go:build !pxvalues_testhooks

package main

import "github.com/pxvalues/pxvalues/internal/atomicfile"

// writeHooks returns the hooks of the atomic writes: none in a release
// build (the kill test builds with -tags pxvalues_testhooks).
func writeHooks(func(string) string) atomicfile.Hooks { return nil }
