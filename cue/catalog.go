// Package cue holds pxvalues' knowledge of Polyaxon (schemas per chart and
// major, detection signals, rules, secrets and migration steps) and hands
// the rest of the tool plain Go structures.
//
// The knowledge is written as CUE under cue/ (the source of truth) and
// compiled by `go generate ./cue` into cue/compiled/, which this package
// embeds and decodes: the runtime never links the CUE evaluator. The tests
// check the compiled form against a fresh compile of the CUE sources.
package cue

import (
	"fmt"
	"strings"
	"sync"
)

// Charts and majors pxvalues knows, newest major last.
var (
	charts = []string{"platform", "agent"}
	majors = map[string][]string{"platform": {"v0", "v1", "v2"}, "agent": {"v1", "v2"}}
)

// Charts returns the charts pxvalues knows.
func Charts() []string { return append([]string(nil), charts...) }

// Majors returns the majors of chart, oldest first.
func Majors(chart string) []string { return append([]string(nil), majors[chart]...) }

// ValidTarget reports whether chart and major name a known schema.
func ValidTarget(chart, major string) bool {
	for _, m := range majors[chart] {
		if m == major {
			return true
		}
	}
	return false
}

// Catalog is the knowledge of one process. Create one with New and share
// it: every method is safe for concurrent use, and each piece is loaded at
// most once, when first asked for.
type Catalog struct {
	mu      sync.Mutex
	schemas map[string]*schemaEntry
	res     regexpCache

	poolOnce sync.Once
	pool     map[string]compiledSchema
	poolErr  error

	knowOnce sync.Once
	know     *knowledge
	knowErr  error

	migOnce sync.Once
	mig     *migrationData
	migErr  error

	detOnce sync.Once
	det     *DetectRules
	detErr  error

	subOnce sync.Once
	sub     *SubchartFacts
}

// schemaEntry is one schema: its types (all detection reads) are decoded
// with every schema's when first asked for, its defaults when a lint first
// needs them.
type schemaEntry struct {
	compiledSchema // without Defaults

	fullOnce sync.Once
	full     *Schema
	fullErr  error
}

// New returns an empty catalog; nothing is loaded until asked for.
func New() *Catalog {
	return &Catalog{schemas: map[string]*schemaEntry{}}
}

// Schema is the schema of one chart and major.
type Schema struct {
	Chart, Major string
	// Root is the type of the whole values file.
	Root *Type
	// Releases lists the chart releases of this major, oldest first.
	Releases []string
	// Defaults are the newest chart's default values (Helm's Go types).
	Defaults map[string]any
}

// DefName returns the CUE definition name of a chart and major: #PlatformV2.
func DefName(chart, major string) string {
	return "#" + strings.ToUpper(chart[:1]) + chart[1:] + strings.ToUpper(major)
}

// Latest returns the newest release of the schema's major.
func (s *Schema) Latest() string {
	if len(s.Releases) == 0 {
		return ""
	}
	return s.Releases[len(s.Releases)-1]
}

// After returns the first release after r, or "".
func (s *Schema) After(r string) string {
	for i, x := range s.Releases {
		if x == r && i+1 < len(s.Releases) {
			return s.Releases[i+1]
		}
	}
	return ""
}

// Schema returns the schema of chart and major (compiled form, loaded once).
func (c *Catalog) Schema(chart, major string) (*Schema, error) {
	e, err := c.schemaTypes(chart, major)
	if err != nil {
		return nil, err
	}
	e.fullOnce.Do(func() {
		defs, err := decodeDefaults(e.defs)
		if err != nil {
			e.fullErr = fmt.Errorf("compiled schema %s %s defaults: %w", chart, major, err)
			return
		}
		full := *e.s
		full.Defaults = defs
		e.full = &full
	})
	return e.full, e.fullErr
}

// schemaTypes returns the entry of chart and major with its types decoded.
func (c *Catalog) schemaTypes(chart, major string) (*schemaEntry, error) {
	if !ValidTarget(chart, major) {
		return nil, fmt.Errorf("no schema for chart %q major %q", chart, major)
	}
	c.poolOnce.Do(func() {
		c.pool, c.poolErr = decodeSchemas(schemasBin, &c.res)
		if c.poolErr != nil {
			c.poolErr = fmt.Errorf("compiled schemas: %w", c.poolErr)
		}
	})
	if c.poolErr != nil {
		return nil, c.poolErr
	}
	key := chart + "/" + major
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.schemas[key]
	if e == nil {
		cs, ok := c.pool[key]
		if !ok {
			return nil, fmt.Errorf("compiled schema %s %s missing (go generate ./cue)", chart, major)
		}
		e = &schemaEntry{compiledSchema: cs}
		c.schemas[key] = e
	}
	return e, nil
}

// DetectRules returns the detection weights and signals (cue/detect.cue)
// with every schema they measure a file against (loaded once).
func (c *Catalog) DetectRules() (*DetectRules, error) {
	c.detOnce.Do(func() { c.det, c.detErr = c.buildDetectRules() })
	return c.det, c.detErr
}

func (c *Catalog) buildDetectRules() (*DetectRules, error) {
	k, err := c.knowledge()
	if err != nil {
		return nil, err
	}
	r := *k.detect
	r.schemas = map[string][]*Schema{}
	for _, chart := range charts {
		for _, major := range majors[chart] {
			e, err := c.schemaTypes(chart, major)
			if err != nil {
				return nil, fmt.Errorf("detection: %w", err)
			}
			r.schemas[chart] = append(r.schemas[chart], e.s)
		}
	}
	return &r, nil
}
