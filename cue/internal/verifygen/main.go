// Command verifygen compiles cue/verify/*.cue (what `pxvalues verify`
// compares) into the JSON that migrate/verify embeds:
//
//	go run ./cue/internal/verifygen -out migrate/verify/knowledge.json
//
// (`go generate ./migrate/verify` runs it). The test of this package fails
// when the JSON differs from a fresh compile, so the CUE stays the only
// source of truth.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

func main() {
	src := flag.String("src", "cue/verify", "folder of the CUE sources")
	out := flag.String("out", "migrate/verify/knowledge.json", "the JSON to write")
	flag.Parse()
	b, err := Compile(*src)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "verifygen: %v\n", err)
		os.Exit(1)
	}
}

// Compile unifies the .cue files of dir and returns `knowledge` as
// indented JSON, ending with a newline.
func Compile(dir string) ([]byte, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.cue"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no .cue file in %s", dir)
	}
	sort.Strings(names)
	ctx := cuecontext.New()
	v := ctx.CompileString("")
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f := ctx.CompileBytes(b, cue.Filename(n))
		if f.Err() != nil {
			return nil, fmt.Errorf("compiling %s: %w", n, f.Err())
		}
		v = v.Unify(f)
	}
	k := v.LookupPath(cue.ParsePath("knowledge"))
	if err := k.Validate(cue.Concrete(true)); err != nil {
		return nil, fmt.Errorf("cue/verify: %w", err)
	}
	raw, err := k.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("cue/verify: %w", err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
