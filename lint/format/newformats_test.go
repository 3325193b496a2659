package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// reports are the sample report, one with every rule of the table, a clean
// file and no file at all.
func reports(t *testing.T) map[string]*Report {
	t.Helper()
	all := sampleReport(t)
	every := &lint.Result{Path: "every.yaml", Detection: cue.Detection{Chart: "platform", Major: "v2"}}
	for i, id := range slices.Sorted(maps.Keys(all.Rules)) {
		r := all.Rules[id]
		d := lint.Diagnostic{Rule: r.ID, Severity: r.Severity, Pos: values.Pos{File: "every.yaml", Line: i + 1, Column: 1}, Path: "k", Message: r.Summary}
		// the same finding twice: fingerprints must still differ
		every.Diagnostics = append(every.Diagnostics, d, d)
	}
	all.Files = append(all.Files, every)
	return map[string]*Report{
		"sample":    sampleReport(t),
		"all-rules": all,
		"empty":     {Files: []*lint.Result{{Path: "clean.yaml"}}},
		"none":      {},
	}
}

// TestGitLabSchema validates the gitlab format against a JSON Schema of
// GitLab's documented Code Quality fields (testdata/gitlab-codequality-schema.json)
// and checks what the schema cannot say: fingerprints are unique, and one
// issue per finding.
func TestGitLabSchema(t *testing.T) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewReferenceLoader("file://" + mustAbs(t, "testdata/gitlab-codequality-schema.json")))
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	for name, rep := range reports(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (GitLab{}).Format(&buf, rep); err != nil {
				t.Fatal(err)
			}
			res, err := schema.Validate(gojsonschema.NewBytesLoader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Errors() {
				t.Errorf("Code Quality report invalid: %s", e)
			}
			var issues []gitlabIssue
			if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
				t.Fatal(err)
			}
			s := rep.Summary()
			if len(issues) != s.Errors+s.Warnings+s.Infos {
				t.Errorf("%d issues for %d findings", len(issues), s.Errors+s.Warnings+s.Infos)
			}
			fp := map[string]bool{}
			for _, is := range issues {
				if fp[is.Fingerprint] {
					t.Errorf("fingerprint %s twice", is.Fingerprint)
				}
				fp[is.Fingerprint] = true
			}
		})
	}
	// The schema rejects what GitLab rejects.
	for _, bad := range []string{
		`[{"description":"d","check_name":"c","fingerprint":"f","severity":"error","location":{"path":"p","lines":{"begin":1}}}]`,
		`[{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"p"}}]`,
		`[{"description":"d","check_name":"c","severity":"major","location":{"path":"p","lines":{"begin":1}}}]`,
		`{"description":"d"}`,
	} {
		res, err := schema.Validate(gojsonschema.NewStringLoader(bad))
		if err != nil || res.Valid() {
			t.Errorf("the schema accepts %s (%v)", bad, err)
		}
	}
}

// TestGitLabFingerprintStable checks a finding keeps its fingerprint when
// its key moves to another line, and that a --set finding names its flag.
func TestGitLabFingerprintStable(t *testing.T) {
	fingerprints := func(line int) []gitlabIssue {
		rep := &Report{Files: []*lint.Result{{Path: "v.yaml", Diagnostics: []lint.Diagnostic{
			{Rule: "unknown-key", Severity: lint.Error, Pos: values.Pos{File: "v.yaml", Line: line, Column: 1}, Path: "gatway", Message: "unknown key `gatway`"},
			{Rule: "wrong-type", Severity: lint.Error, Pos: values.Pos{File: "--set[0]"}, Path: "gateway.replicas", Message: "must be an integer"},
		}}}}
		var buf bytes.Buffer
		if err := (GitLab{}).Format(&buf, rep); err != nil {
			t.Fatal(err)
		}
		var issues []gitlabIssue
		if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
			t.Fatal(err)
		}
		return issues
	}
	a, b := fingerprints(3), fingerprints(9)
	if a[0].Fingerprint != b[0].Fingerprint || a[0].Location.Lines.Begin != 3 || b[0].Location.Lines.Begin != 9 {
		t.Errorf("moving a key changed its fingerprint or line: %+v %+v", a[0], b[0])
	}
	if a[1].Location.Path != "--set[0]" || a[1].Location.Lines.Begin != 1 || !strings.HasPrefix(a[1].Description, "set by --set[0]: ") {
		t.Errorf("--set finding: %+v", a[1])
	}
}

// checkstyleElement is the structure of one element of a Checkstyle report,
// as Checkstyle writes it and reviewdog and Jenkins read it: its attributes
// (required or not, and their type) and the elements it may contain.
type checkstyleElement struct {
	required, optional map[string]string // attribute name -> "int", "string" or "severity"
	children           []string
}

var checkstyleStructure = map[string]checkstyleElement{
	"checkstyle": {required: map[string]string{"version": "string"}, children: []string{"file"}},
	"file":       {required: map[string]string{"name": "string"}, children: []string{"error"}},
	"error": {
		required: map[string]string{"line": "int", "severity": "severity", "message": "string", "source": "string"},
		optional: map[string]string{"column": "int"},
	},
}

// validateCheckstyle walks an XML document and checks every element and
// attribute against checkstyleStructure.
func validateCheckstyle(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	roots := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			spec, ok := checkstyleStructure[name]
			if !ok {
				return errors.New("unknown element <" + name + ">")
			}
			if len(stack) == 0 {
				roots++
				if name != "checkstyle" {
					return errors.New("root is <" + name + ">")
				}
			} else {
				parent := checkstyleStructure[stack[len(stack)-1]]
				allowed := false
				for _, c := range parent.children {
					allowed = allowed || c == name
				}
				if !allowed {
					return errors.New("<" + name + "> inside <" + stack[len(stack)-1] + ">")
				}
			}
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				typ, ok := spec.required[a.Name.Local]
				if !ok {
					typ, ok = spec.optional[a.Name.Local]
				}
				if !ok {
					return errors.New("<" + name + "> has unknown attribute " + a.Name.Local)
				}
				seen[a.Name.Local] = true
				switch typ {
				case "int":
					if n, err := strconv.Atoi(a.Value); err != nil || n < 0 {
						return errors.New("<" + name + "> " + a.Name.Local + "=" + strconv.Quote(a.Value) + " is not a line or column number")
					}
				case "severity":
					switch a.Value {
					case "error", "warning", "info", "ignore":
					default:
						return errors.New("<" + name + "> severity " + strconv.Quote(a.Value))
					}
				}
			}
			for a := range spec.required {
				if !seen[a] {
					return errors.New("<" + name + "> lacks " + a)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				return errors.New("text inside <" + stack[len(stack)-1] + ">")
			}
		}
	}
	if roots != 1 {
		return errors.New("want one <checkstyle> root, got " + strconv.Itoa(roots))
	}
	return nil
}

// TestCheckstyleStructure validates the checkstyle format against the
// structure its readers expect, and checks the counts and the validator
// itself.
func TestCheckstyleStructure(t *testing.T) {
	for name, rep := range reports(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (Checkstyle{}).Format(&buf, rep); err != nil {
				t.Fatal(err)
			}
			if err := validateCheckstyle(buf.Bytes()); err != nil {
				t.Fatalf("invalid checkstyle: %v\n%s", err, buf.String())
			}
			var got checkstyleRoot
			if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range got.Files {
				n += len(f.Errors)
				for _, e := range f.Errors {
					if !strings.HasPrefix(e.Source, "pxvalues.") {
						t.Errorf("source %q", e.Source)
					}
				}
			}
			s := rep.Summary()
			if n != s.Errors+s.Warnings+s.Infos {
				t.Errorf("%d errors for %d findings", n, s.Errors+s.Warnings+s.Infos)
			}
		})
	}
	for _, bad := range []string{
		`<checkstyle version="4.3"><file name="a"><error line="x" severity="error" message="m" source="s"/></file></checkstyle>`,
		`<checkstyle version="4.3"><file name="a"><error line="1" severity="fatal" message="m" source="s"/></file></checkstyle>`,
		`<checkstyle version="4.3"><error line="1" severity="error" message="m" source="s"/></checkstyle>`,
		`<checkstyle version="4.3"><file><error line="1" severity="error" message="m" source="s"/></file></checkstyle>`,
		`<checkstyle version="4.3"><file name="a"><error line="1" severity="error" source="s"/></file></checkstyle>`,
		`<checkstyle version="4.3"><file name="a"><warning line="1"/></file></checkstyle>`,
	} {
		if validateCheckstyle([]byte(bad)) == nil {
			t.Errorf("the validator accepts %s", bad)
		}
	}
}

// TestShowAtLeast checks --min-severity's filter: what is left out is
// counted in Hidden and said in the text summary; the caller's results
// stay whole.
func TestShowAtLeast(t *testing.T) {
	rep := sampleReport(t)
	before := len(rep.Files[0].Diagnostics)
	rep.ShowAtLeast(lint.Warning)
	if rep.Hidden != (Summary{Infos: 1}) || rep.Summary() != (Summary{Errors: 4, Warnings: 1}) {
		t.Errorf("hidden %+v, shown %+v", rep.Hidden, rep.Summary())
	}
	var buf bytes.Buffer
	if err := (&Text{}).Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "3 files: 4 errors, 1 warning, 0 infos shown; 1 info below --min-severity not shown\n") {
		t.Errorf("summary: %q", buf.String())
	}
	buf.Reset()
	if err := (&Text{Quiet: true}).Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "files:") {
		t.Errorf("quiet prints a summary: %q", buf.String())
	}
	orig := sampleReport(t)
	res := orig.Files[0]
	orig.ShowAtLeast(lint.Error)
	if len(res.Diagnostics) != before {
		t.Errorf("the caller's result changed")
	}
}
