// Package facts reads and writes cue/facts/: the facts pxvalues derives
// from the Polyaxon reference (chart catalogue and released chart values
// files), committed so that `go generate ./cue` and the corpus tests run in
// a plain clone. It holds facts only: key paths, types, defaults, enums,
// first and last releases, readers, validator verdicts and each release's
// default values; no comment, note or template text is copied.
//
// Layout (cue/README.md):
//
//	keys/<chart>_<major>.json   one entry per catalogue key path
//	releases/<chart>.json       every release's values document, as deltas
//
// `go run ./cue/internal/gen -refresh-facts -reference ../shared/reference`
// rewrites them. The runtime never reads them.
package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Catalogues maps each catalogue file of the reference to the keys file it
// becomes (chart_major).
var Catalogues = map[string]string{
	"keys-v0.json":  "platform_v0",
	"keys-v1.json":  "platform_v1",
	"keys-v2.json":  "platform_v2",
	"agent-v1.json": "agent_v1",
	"agent-v2.json": "agent_v2",
}

// keyFields are the catalogue entry fields kept as facts.
var keyFields = []string{"type", "default", "enum", "firstSeen", "lastSeen", "readBy", "declaredInLast", "validator"}

// KeysFromCatalogue returns the keys file of one reference catalogue file:
// each entry reduced to keyFields, the validator verdict without its
// parenthesised reason.
func KeysFromCatalogue(src []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var in map[string]map[string]json.RawMessage
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("parsing catalogue: %w", err)
	}
	out := make(map[string]map[string]json.RawMessage, len(in))
	for p, e := range in {
		k := map[string]json.RawMessage{}
		for _, f := range keyFields {
			if v, ok := e[f]; ok {
				k[f] = v
			}
		}
		if v, ok := k["validator"]; ok {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("%s: validator: %w", p, err)
			}
			s, _, _ = strings.Cut(s, "(")
			k["validator"], _ = json.Marshal(s)
		}
		out[p] = k
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encoding keys: %w", err)
	}
	return buf.Bytes(), nil
}

// KeysPath returns the keys file of chart and major under dir (cue/facts).
func KeysPath(dir, chart, major string) string {
	return filepath.Join(dir, "keys", chart+"_"+major+".json")
}

// Release is one chart release's default values document, rebuilt.
type Release struct {
	Chart, Version string
	// YAML is the values document: the release's keys and values in
	// their order, without comments.
	YAML []byte
}

// Name is the corpus name of the release: "platform/v0.6.1.yaml".
func (r Release) Name() string { return r.Chart + "/v" + r.Version + ".yaml" }

// Major is the chart major the release belongs to: the first number,
// except that 1.21 and 1.22 (tagged, never published) are v2-shaped.
func (r Release) Major() string {
	if strings.HasPrefix(r.Version, "1.21.") || strings.HasPrefix(r.Version, "1.22.") {
		return "v2"
	}
	m, _, _ := strings.Cut(r.Version, ".")
	return "v" + m
}

// Releases rebuilds every release of dir/releases/*.json (dir is
// cue/facts), platform first, each chart oldest first.
func Releases(dir string) ([]Release, error) {
	files, err := filepath.Glob(filepath.Join(dir, "releases", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no release facts under %s", filepath.Join(dir, "releases"))
	}
	sort.Slice(files, func(i, j int) bool { return files[i] > files[j] }) // platform, agent
	var out []Release
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading release facts: %w", err)
		}
		chart := strings.TrimSuffix(filepath.Base(f), ".json")
		rs, err := decodeReleases(chart, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// Dir returns the cue/facts folder of the repository holding the working
// directory (found by walking up to go.mod), for tests.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "cue", "facts"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}
