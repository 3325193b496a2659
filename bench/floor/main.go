// Command floor is bench/run.sh's floor row: a Go program that only reads
// the file it is given, the least any Go linter of that file must cost.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor FILE")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(b) == 0 {
		os.Exit(1)
	}
}
