package format

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// TestHostileFileNames: a file name with a newline, an ESC or bytes that
// are not UTF-8 cannot forge a finding line or drive a terminal in text
// output, and JSON and SARIF carry it losslessly.
func TestHostileFileNames(t *testing.T) {
	name := "a\nb.yaml:1:1: error: forged [x]\x1b[31m\xff.yaml"
	res := &lint.Result{Path: name, Diagnostics: []lint.Diagnostic{{Rule: "unknown-key", Severity: lint.Error,
		Pos: values.Pos{File: name, Line: 2, Column: 1}, Path: "k", Message: "unknown key `k`"}}}
	rep := &Report{Files: []*lint.Result{res}, Tool: "test"}
	for _, f := range []string{"text", "json", "sarif", "github"} {
		fm, err := New(f, Options{Verbose: true})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := fm.Format(&out, rep); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		if strings.Contains(s, "\x1b") || strings.Contains(s, "\xff") {
			t.Errorf("%s: raw ESC or invalid byte in the output: %q", f, s)
		}
		switch f {
		case "text", "github":
			for _, l := range strings.Split(s, "\n") {
				if strings.HasPrefix(l, "b.yaml") {
					t.Errorf("%s: the name's newline starts a line: %q", f, s)
				}
			}
		case "json":
			var v struct {
				Files []struct {
					PathURI     string
					Diagnostics []struct{ FileURI string }
				}
			}
			if err := json.Unmarshal(out.Bytes(), &v); err != nil || len(v.Files) != 1 || !strings.Contains(v.Files[0].PathURI, "%FF") {
				t.Errorf("json: no percent-encoded pathURI: %v %s", err, s)
			} else if len(v.Files[0].Diagnostics) != 1 || v.Files[0].Diagnostics[0].FileURI != v.Files[0].PathURI {
				t.Errorf("json: the diagnostic has no percent-encoded fileURI: %s", s)
			}
		case "sarif":
			if !strings.Contains(s, "%1B%5B31m%FF.yaml") && !strings.Contains(s, "%1B[31m%FF.yaml") {
				t.Errorf("sarif: the URI is not percent-encoded:\n%s", s)
			}
		}
	}
}
