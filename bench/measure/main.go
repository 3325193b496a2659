// Command measure runs a command several times and prints its median wall
// time, its peak resident memory and its exit code, read from the kernel's
// rusage of each child (bench/run.sh and the hostile-input test use it).
//
//	measure [-n RUNS] [-stdin FILE] [-stdout FILE] -- COMMAND [ARG]... [::: COMMAND [ARG]...]...
//
// It prints one line per command: "<median wall ms> <max peak RSS KiB>
// <exit code> <median CPU ms (user+system)>". Several commands (separated by :::) run in turn, round
// robin, so that on a noisy machine they all see the same load and their
// ratio stays meaningful.
// Run it as a small parent process: a child's peak RSS on Linux includes
// the parent's memory at the time of the fork, so measuring from a big
// process (a test binary that has just linted 50 MB) would be wrong.
//go:build linux || darwin

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 5, "number of runs")
	stdin := flag.String("stdin", "", "file given to the command as standard input")
	stdout := flag.String("stdout", "", "file that receives the last run's standard output (default: discarded)")
	flag.Parse()
	if flag.NArg() == 0 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: measure [-n RUNS] [-stdin FILE] [-stdout FILE] -- COMMAND [ARG]...")
		os.Exit(2)
	}
	var cmds [][]string
	cur := []string{}
	for _, a := range flag.Args() {
		if a == ":::" {
			cmds, cur = append(cmds, cur), []string{}
			continue
		}
		cur = append(cur, a)
	}
	cmds = append(cmds, cur)
	walls := make([][]time.Duration, len(cmds))
	cpus := make([][]time.Duration, len(cmds))
	maxRSS := make([]int64, len(cmds))
	codes := make([]int, len(cmds))
	for i := 0; i < *n; i++ {
		for c, args := range cmds {
			if len(args) == 0 {
				fmt.Fprintln(os.Stderr, "measure: empty command")
				os.Exit(2)
			}
			wall, cpu, rss, code, err := once(args, *stdin, *stdout)
			if err != nil {
				fmt.Fprintf(os.Stderr, "measure: %v\n", err)
				os.Exit(2)
			}
			walls[c] = append(walls[c], wall)
			cpus[c] = append(cpus[c], cpu)
			maxRSS[c] = max(maxRSS[c], rss)
			codes[c] = code
		}
	}
	for c := range cmds {
		fmt.Printf("%.1f %d %d %.1f\n", float64(median(walls[c]).Microseconds())/1000, maxRSS[c], codes[c], float64(median(cpus[c]).Microseconds())/1000)
	}
}

// median returns the median of ds (sorted in place).
func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds)%2 == 0 {
		return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	return ds[len(ds)/2]
}

// once runs the command and returns its wall time, peak RSS in KiB and exit code.
func once(args []string, stdin, stdout string) (wall, cpu time.Duration, rssKiB int64, code int, err error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	for _, r := range []struct {
		path string
		open func(string) (*os.File, error)
		set  func(*os.File)
	}{
		{stdin, os.Open, func(f *os.File) { cmd.Stdin = f }},
		{stdout, os.Create, func(f *os.File) { cmd.Stdout = f }},
	} {
		if r.path == "" {
			continue
		}
		f, err := r.open(r.path)
		if err != nil {
			return 0, 0, 0, 0, err
		}
		defer f.Close()
		r.set(f)
	}
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return 0, 0, 0, 0, fmt.Errorf("running %s: %w", args[0], err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, 0, 0, errors.New("no rusage on this system")
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, maxrssKiB(ru), cmd.ProcessState.ExitCode(), nil
}
