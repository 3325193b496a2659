package format

import (
	"encoding/json"
	"io"

	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// JSON writes the machine-readable report:
//
//	{"files":[{"path":..,"chart":..,"major":..,"detectedBy":[..],"confidence":..,
//	           "ambiguous":[..],"valuesPath":..,"diagnostics":[..]}],
//	 "skipped":[{"path":..,"reason":..}],
//	 "summary":{"errors":N,"warnings":N,"infos":N,"skipped":N}}
type JSON struct{}

type jsonFile struct {
	Path string `json:"path"`
	// PathURI is the path percent-encoded, only when it is not valid UTF-8
	// (JSON strings cannot carry its bytes; "path" then holds U+FFFD).
	PathURI     string           `json:"pathURI,omitempty"`
	Chart       string           `json:"chart,omitempty"`
	Major       string           `json:"major,omitempty"`
	DetectedBy  []string         `json:"detectedBy"`
	Confidence  string           `json:"confidence,omitempty"`
	Ambiguous   []string         `json:"ambiguous,omitempty"`
	ValuesPath  string           `json:"valuesPath,omitempty"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
}

// jsonDiagnostic is a diagnostic with, for a file name that is not valid
// UTF-8, its percent-encoded form beside "file" (which then holds U+FFFD).
type jsonDiagnostic struct {
	lint.Diagnostic
	FileURI string        `json:"fileURI,omitempty"`
	Related []jsonRelated `json:"related,omitempty"`
}

type jsonRelated struct {
	lint.Related
	FileURI string `json:"fileURI,omitempty"`
}

func newJSONDiagnostic(d lint.Diagnostic) jsonDiagnostic {
	jd := jsonDiagnostic{Diagnostic: d, FileURI: values.FileURI(d.File)}
	for _, r := range d.Related {
		jd.Related = append(jd.Related, jsonRelated{Related: r, FileURI: values.FileURI(r.File)})
	}
	return jd
}

type jsonReport struct {
	Version string     `json:"version,omitempty"`
	Files   []jsonFile `json:"files"`
	Skipped []Skipped  `json:"skipped,omitempty"`
	Summary Summary    `json:"summary"`
	// Hidden counts the findings below --min-severity, left out.
	Hidden *Summary `json:"hidden,omitempty"`
}

// Format writes r as indented JSON.
func (JSON) Format(w io.Writer, r *Report) error {
	out := jsonReport{Version: r.Tool, Files: []jsonFile{}, Skipped: r.Skipped, Summary: r.Summary()}
	if r.Hidden.Total() > 0 {
		h := r.Hidden
		out.Hidden = &h
	}
	for _, f := range r.Files {
		jf := jsonFile{Path: f.Path, Chart: f.Chart, Major: f.Major, DetectedBy: f.DetectedBy, Confidence: f.Confidence,
			Ambiguous: f.Ambiguous, ValuesPath: f.ValuesPath, PathURI: values.FileURI(f.Path), Diagnostics: []jsonDiagnostic{}}
		if jf.DetectedBy == nil {
			jf.DetectedBy = []string{}
		}
		for _, d := range f.Diagnostics {
			jf.Diagnostics = append(jf.Diagnostics, newJSONDiagnostic(d))
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
