package format

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"unicode/utf8"

	"github.com/pxvalues/pxvalues/lint"
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
	PathURI     string            `json:"pathURI,omitempty"`
	Chart       string            `json:"chart,omitempty"`
	Major       string            `json:"major,omitempty"`
	DetectedBy  []string          `json:"detectedBy"`
	Confidence  string            `json:"confidence,omitempty"`
	Ambiguous   []string          `json:"ambiguous,omitempty"`
	ValuesPath  string            `json:"valuesPath,omitempty"`
	Diagnostics []lint.Diagnostic `json:"diagnostics"`
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
			Ambiguous: f.Ambiguous, ValuesPath: f.ValuesPath, Diagnostics: f.Diagnostics}
		if !utf8.ValidString(f.Path) {
			jf.PathURI = (&url.URL{Path: filepath.ToSlash(f.Path)}).EscapedPath()
		}
		if jf.DetectedBy == nil {
			jf.DetectedBy = []string{}
		}
		if jf.Diagnostics == nil {
			jf.Diagnostics = []lint.Diagnostic{}
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
