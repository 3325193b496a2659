package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestFlagError turns each class of pflag error into its one line.
func TestFlagError(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--formt", "json"}, "pxvalues lint: unknown flag --formt; did you mean --format? (see pxvalues lint --help)\n"},
		{[]string{"--formt=json"}, "pxvalues lint: unknown flag --formt; did you mean --format? (see pxvalues lint --help)\n"},
		{[]string{"--bogus"}, "pxvalues lint: unknown flag --bogus (see pxvalues lint --help)\n"},
		{[]string{"-x"}, "pxvalues lint: unknown flag -x (see pxvalues lint --help)\n"},
		{[]string{"-jobs", "2"}, "pxvalues lint: unknown flag -j in -jobs; did you mean --jobs? (see pxvalues lint --help)\n"},
		{[]string{"--set"}, "pxvalues lint: flag --set needs a value (see pxvalues lint --help)\n"},
		{[]string{"-f"}, "pxvalues lint: flag -f needs a value (see pxvalues lint --help)\n"},
		{[]string{"--jobs", "two"}, "pxvalues lint: --jobs \"two\": must be an integer (see pxvalues lint --help)\n"},
	} {
		fs := pflag.NewFlagSet("lint", pflag.ContinueOnError)
		fs.String("format", "text", "")
		fs.StringArray("set", nil, "")
		fs.StringArrayP("values", "f", nil, "")
		fs.Int("jobs", 1, "")
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb}
		done, code := parseFlags(e, fs, "lint", helpText{usage: "pxvalues lint"}, tc.args)
		if !done || code != exitUsage || errb.String() != tc.want || out.Len() != 0 {
			t.Errorf("%v: done %v code %d stderr %q, want %q", tc.args, done, code, errb.String(), tc.want)
		}
		if strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%v: not one line", tc.args)
		}
	}
}
