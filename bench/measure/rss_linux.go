package main

import "syscall"

// maxrssKiB returns the peak RSS in KiB (Linux reports KiB).
func maxrssKiB(ru *syscall.Rusage) int64 { return int64(ru.Maxrss) }
