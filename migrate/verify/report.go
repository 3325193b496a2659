package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/internal/message"
)

// ChartDefault is Difference.File when no values file sets the key that
// controls the setting: the new chart's default holds.
const ChartDefault = "chart default"

// Report is the outcome of one verification.
type Report struct {
	Old ChartInfo `json:"old"`
	New ChartInfo `json:"new"`
	// Equivalent is true when there is no difference (intended ones aside).
	Equivalent bool `json:"equivalent"`
	// Notes say what limits the comparison (sub-charts not rendered, say).
	Notes []string `json:"notes,omitempty"`
	// Differences are the failures; Intended the known, intended ones;
	// Handed the differences that a key the migration hands to a human
	// (a TODO) controls: they are the human's to settle, not failures.
	Differences []Difference `json:"differences"`
	Intended    []Difference `json:"intended"`
	Handed      []Difference `json:"handed"`
	// MigratedFile is the last new values file, where annotations without
	// a line go.
	MigratedFile string `json:"migratedFile,omitempty"`
}

func (r *Report) side(i int) ChartInfo {
	if i == 0 {
		return r.Old
	}
	return r.New
}

// Difference is one setting of one workload that differs. Secret values
// are compared by hash and shown as "(secret)", never as such.
type Difference struct {
	// Workload is the new object ("Deployment/api"); OldWorkload the old
	// one when it had another name.
	Workload    string `json:"workload"`
	OldWorkload string `json:"oldWorkload,omitempty"`
	// Setting names the setting ("nodeSelector", "env.POLYAXON_TIME_ZONE",
	// "nodePort[http]"); "(object)" when the whole object differs.
	Setting string `json:"setting"`
	Old     string `json:"old"`
	New     string `json:"new"`
	// Key is the values key that controls the setting in the new chart;
	// File and Line where the migrated values set it (File is
	// ChartDefault when none does, or "--set[i]").
	Key  string `json:"key,omitempty"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// MustSurvive says why the setting had to survive (a failure even
	// when a default moved).
	MustSurvive string `json:"mustSurvive,omitempty"`
	// Reason says why an intended difference is intended, or why objects
	// were merged.
	Reason string `json:"reason,omitempty"`
	// Decision is the migration's decision that explains the difference:
	// a TODO, or a key it dropped or changed on purpose.
	Decision *Decision `json:"decision,omitempty"`
	// oldSetting is the old object's setting compared ("" when the old
	// object did not have it).
	oldSetting string
}

// oldObject is the old object the difference compares.
func (d Difference) oldObject() string {
	if d.OldWorkload != "" {
		return d.OldWorkload
	}
	return d.Workload
}

// Where is the values key as a reader finds it: "file:line (key)",
// "chart default (key)", or "" when unknown.
func (d Difference) Where() string {
	switch {
	case d.Key == "" && d.File == "":
		return ""
	case d.File == ChartDefault:
		return ChartDefault + " (" + d.Key + ")"
	case d.Line > 0:
		return d.File + ":" + strconv.Itoa(d.Line) + " (" + d.Key + ")"
	}
	return d.File + " (" + d.Key + ")"
}

func (d Difference) workload() string {
	if d.OldWorkload != "" {
		return d.OldWorkload + " -> " + d.Workload
	}
	return d.Workload
}

// short cuts a long value for the text format (JSON keeps it whole).
// short shortens a rendered value for a line of text, its control
// characters escaped (a value may hold a newline or an ANSI escape).
func short(s string) string {
	if len(s) > 100 {
		s = strings.ToValidUTF8(s[:97], "") + "..."
	}
	return message.EscapeControls(s)
}

// Formats lists the output formats.
func Formats() []string { return []string{"text", "json", "github", "sarif"} }

// Write writes the report in format (text, json, github or sarif).
// verbose adds the intended differences to the text format.
func (r *Report) Write(w io.Writer, format string, verbose bool) error {
	switch format {
	case "text", "":
		return r.writeText(w, verbose)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "github":
		return r.writeGitHub(w)
	case "sarif":
		return r.writeSARIF(w)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

func chartLine(c ChartInfo) string {
	name := c.Chart
	if name == "" {
		name = c.Name
	}
	return message.EscapeControls(fmt.Sprintf("%s %s (%s)", name, c.Version, c.Path))
}

func (r *Report) writeText(w io.Writer, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "old: %s\nnew: %s\n", chartLine(r.Old), chartLine(r.New))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, d := range r.Differences {
		fmt.Fprintf(&b, "DIFF %s %s: %s -> %s", d.workload(), d.Setting, short(d.Old), short(d.New))
		if where := d.Where(); where != "" {
			fmt.Fprintf(&b, "\n     key: %s", message.EscapeControls(where))
		}
		if d.MustSurvive != "" {
			fmt.Fprintf(&b, "\n     must survive: %s", d.MustSurvive)
		}
		if d.Reason != "" {
			fmt.Fprintf(&b, "\n     note: %s", d.Reason)
		}
		b.WriteString("\n")
	}
	for _, d := range r.Handed {
		fmt.Fprintf(&b, "TODO %s %s: %s -> %s\n     handed to you by the migration at %s: %s\n",
			d.workload(), d.Setting, short(d.Old), short(d.New), message.EscapeControls(d.Decision.where()), message.EscapeControls(d.Decision.Why))
		if d.MustSurvive != "" {
			fmt.Fprintf(&b, "     must survive: %s\n", d.MustSurvive)
		}
	}
	for _, d := range r.Intended {
		// A setting that must survive, changed by a decision of the
		// migration, is shown even without -v: the change is on purpose
		// but the reader should see it.
		if verbose || (d.Decision != nil && d.MustSurvive != "") {
			fmt.Fprintf(&b, "intended %s %s: %s -> %s (%s)\n", d.workload(), d.Setting, short(d.Old), short(d.New), message.EscapeControls(d.Reason))
			if d.Decision != nil && d.MustSurvive != "" {
				fmt.Fprintf(&b, "     must survive: %s; changed on purpose by the migration at %s\n", d.MustSurvive, message.EscapeControls(d.Decision.where()))
			}
		}
	}
	verdict := "equivalent"
	switch {
	case !r.Equivalent:
		verdict = "NOT equivalent"
	case len(r.Handed) > 0:
		verdict = "equivalent but for the TODOs"
	}
	fmt.Fprintf(&b, "%s: %d difference(s), %d intended difference(s)", verdict, len(r.Differences), len(r.Intended))
	if len(r.Handed) > 0 {
		fmt.Fprintf(&b, ", %d setting(s) handed to you by the migration's TODOs", len(r.Handed))
	}
	if !verbose && len(r.Intended) > 0 {
		b.WriteString(" (-v lists them)")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (d Difference) message() string {
	m := fmt.Sprintf("%s %s: %s -> %s", d.workload(), d.Setting, short(d.Old), short(d.New))
	if d.Key != "" {
		m += " (values key " + d.Key
		if d.File == ChartDefault {
			m += ", chart default"
		}
		m += ")"
	}
	if d.MustSurvive != "" {
		m += "; must survive: " + d.MustSurvive
	}
	if d.Decision != nil && d.Decision.Todo {
		m += "; handed to you by the migration at " + d.Decision.where() + ": " + d.Decision.Why
	}
	return m
}

// annotated returns where an annotation goes: the migrated file's line,
// else the migrated file's first line.
func (r *Report) annotated(d Difference, newFile string) (string, int) {
	if d.Line > 0 && d.File != ChartDefault {
		return d.File, d.Line
	}
	if dec := d.Decision; dec != nil && dec.File == newFile && dec.Line > 0 {
		return newFile, dec.Line // the TODO comment
	}
	return newFile, 1
}

func (r *Report) writeGitHub(w io.Writer) error {
	var b strings.Builder
	esc := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	for _, d := range r.Differences {
		file, line := r.annotated(d, r.newFile())
		fmt.Fprintf(&b, "::error file=%s,line=%d,title=pxvalues verify::%s\n", file, line, esc.Replace(d.message()))
	}
	for _, d := range r.Handed {
		file, line := r.annotated(d, r.newFile())
		fmt.Fprintf(&b, "::warning file=%s,line=%d,title=pxvalues verify::%s\n", file, line, esc.Replace(d.message()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// newFile is the last migrated values file (set by the caller through
// the differences' files), for annotations without a line.
func (r *Report) newFile() string {
	for i := len(r.Differences) - 1; i >= 0; i-- {
		if d := r.Differences[i]; d.File != "" && d.File != ChartDefault && !strings.HasPrefix(d.File, "--set") {
			return d.File
		}
	}
	return r.MigratedFile
}

func (r *Report) writeSARIF(w io.Writer) error {
	type region struct {
		StartLine int `json:"startLine"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID  string `json:"ruleId"`
		Level   string `json:"level"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
		Locations []location `json:"locations"`
	}
	results := []result{}
	all := append(slices.Clip(r.Differences), r.Handed...)
	for i, d := range all {
		file, line := r.annotated(d, r.newFile())
		var res result
		res.RuleID, res.Level = "verify-difference", "error"
		if i >= len(r.Differences) {
			res.Level = "warning"
		}
		res.Message.Text = d.message()
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = file
		loc.PhysicalLocation.Region.StartLine = line
		res.Locations = []location{loc}
		results = append(results, res)
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "pxvalues", "informationUri": "https://github.com/pxvalues/pxvalues",
				"rules": []any{map[string]any{"id": "verify-difference",
					"shortDescription": map[string]string{"text": "the migrated values deploy differently from the old ones"}}},
			}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
