package main

import "syscall"

// maxrssKiB returns the peak RSS in KiB (macOS reports bytes).
func maxrssKiB(ru *syscall.Rusage) int64 { return int64(ru.Maxrss) / 1024 }
