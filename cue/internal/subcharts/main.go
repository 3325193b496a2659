// Command subcharts derives the sub-chart facts pxvalues embeds
// (cue/facts/subcharts/subcharts.json) from the reference data in
// ../shared/reference/subcharts: for every (sub-chart, version) a Polyaxon
// release pins, its key paths, types and scalar defaults; for every
// Polyaxon release, its dependency list. Only facts are kept: no comment or
// template text of any chart.
//
//	go run ./cue/internal/subcharts -ref ../shared/reference/subcharts -out cue/facts/subcharts
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pxvalues/pxvalues/cue/internal/subcharts/derive"
)

func main() {
	ref := flag.String("ref", filepath.Join("..", "shared", "reference", "subcharts"), "the reference sub-chart data")
	out := flag.String("out", filepath.Join("cue", "facts", "subcharts"), "the folder to write subcharts.json to")
	flag.Parse()
	b, err := derive.Facts(*ref)
	if err != nil {
		fmt.Fprintln(os.Stderr, "subcharts:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(*out, derive.FileName), b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "subcharts:", err)
		os.Exit(1)
	}
}
