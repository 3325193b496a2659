//go:build linux || darwin

package main

import (
	"bufio"
	"fmt"
	"strings"
)

// flowMap1MB writes a 1 MB values file on one line: a flow map of 20,000
// labels (the positions of its values must be computed in linear time).
func flowMap1MB(w *bufio.Writer) {
	w.WriteString("{deploymentChart: platform, gateway: {replicas: 1}, labels: {")
	for i := 0; i < 20_000; i++ {
		if i > 0 {
			w.WriteString(", ")
		}
		fmt.Fprintf(w, "k%05d: %s", i, strings.Repeat("v", 42))
	}
	w.WriteString("}}\n")
}

// minifiedJSON1MB writes the same as minified JSON.
func minifiedJSON1MB(w *bufio.Writer) {
	w.WriteString(`{"deploymentChart":"platform","gateway":{"replicas":1},"labels":{`)
	for i := 0; i < 20_000; i++ {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, `"k%05d":"%s"`, i, strings.Repeat("v", 40))
	}
	w.WriteString("}}")
}

// hostileLimitCases are the inputs of issue 14: long lines, --set bombs and
// limit flags out of range.
func hostileLimitCases() []hostileCase {
	const small = "gateway:\n  replicas: 1\n"
	setClauses := func(n int) string {
		var c []string
		for i := 0; i < n; i++ {
			c = append(c, fmt.Sprintf("a%d[0][65535]=1", i))
		}
		return strings.Join(c, ",")
	}
	return []hostileCase{
		// Linear time on long lines.
		{name: "flow-map-1MB-one-line", setup: hostileGen(flowMap1MB), want: 0, msg: `0 errors`},
		{name: "minified-json-1MB", setup: hostileGen(minifiedJSON1MB), want: 0, msg: `0 errors`},
		{name: "migrate-flow-map-1MB-one-line", migrate: true, setup: hostileGen(flowMap1MB, "--from", "v1"), want: 0},
		{name: "migrate-flow-map-1MB-one-line-from-v0", migrate: true, setup: hostileGen(flowMap1MB, "--from", "v0"), want: 0},

		// --set bounded like files.
		{name: "set-index-bomb", setup: hostileFile(small, "--set", "a[0][65535]=1"), want: 2, usage: true, msg: `list index 65535: .*--max-nodes`},
		{name: "set-index-bomb-50-clauses", setup: hostileFile(small, "--set", setClauses(50)), want: 2, usage: true, msg: `--max-nodes`},
		{name: "set-indices-under-a-lower-limit", setup: hostileFile(small, "--max-nodes", "100", "--set", "a[200]=1"), want: 2, usage: true, msg: `list index 200`},
		{name: "set-json-depth-9000", setup: hostileFile(small, "--set-json", "a="+strings.Repeat("[", 9000)+strings.Repeat("]", 9000)), want: 2, usage: true, msg: `nested deeper than 128 levels \(--max-depth\)`},
		{name: "set-json-depth-200", setup: hostileFile(small, "--set-json", "a="+strings.Repeat("[", 200)+strings.Repeat("]", 200)), want: 2, usage: true, msg: `--max-depth`},
		{name: "set-key-depth-5000", setup: hostileFile(small, "--set", strings.Repeat("a.", 5000)+"b=1"), want: 2, usage: true, msg: `--max-depth`},
		{name: "set-merged-over-max-nodes", setup: hostileFile(small, "--max-nodes", "3", "--set", "a=1,b=2,c=3"), want: 2, usage: true, msg: `--max-nodes`},

		// Positions.
		{name: "unknown-anchor-line-4", setup: hostileFile("a: 1\nb: 2\nc:\n  d: *nowhere\n"), want: 2, pos: true, msg: `values\.yaml:4:6: .*unknown anchor`},

		// Flags out of range.
		{name: "jobs-100000", setup: hostileFile(small, "--jobs", "100000"), want: 0, msg: `0 errors`},
		{name: "max-bytes-overflow", setup: hostileFile(small, "--max-bytes", "9223372036854775807"), want: 2, usage: true, msg: `--max-bytes 9223372036854775807: want 1 to`},
		{name: "max-bytes-zero", setup: hostileFile(small, "--max-bytes", "0"), want: 2, usage: true, msg: `--max-bytes 0: want 1 to`},
		{name: "max-bytes-negative", setup: hostileFile(small, "--max-bytes", "-1"), want: 2, usage: true, msg: `--max-bytes -1`},
		{name: "max-depth-zero", setup: hostileFile(small, "--max-depth", "0"), want: 2, usage: true, msg: `--max-depth 0`},
		{name: "max-nodes-huge", setup: hostileFile(small, "--max-nodes", "2000000000"), want: 2, usage: true, msg: `--max-nodes 2000000000`},
	}
}
