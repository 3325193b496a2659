package cue

import (
	"encoding/json"
	"fmt"

	"github.com/pxvalues/pxvalues/internal/cond"
)

// Check is one #Check of cue/rules/checks.cue: the parameters of one of the
// lint engine's generic checks. Package lint reads them; its conditions
// are compiled when the catalog decodes the rules (cond.Compile without
// flags: a rule's condition names none), so a Check is read-only and safe
// to share.
type Check struct {
	// Kind is the check kind ("" reads as "when").
	Kind      string   `json:"kind,omitempty"`
	Charts    []string `json:"charts,omitempty"`
	Majors    []string `json:"majors,omitempty"`
	Each      []string `json:"each,omitempty"`
	SkipTyped bool     `json:"skipTyped,omitempty"`
	// At is where a finding points (relative to the check's base), when
	// not the base itself.
	At      *string    `json:"at,omitempty"`
	AtValue bool       `json:"atValue,omitempty"`
	When    *cond.Cond `json:"when,omitempty"`
	Then    *cond.Cond `json:"then,omitempty"`
	Related []string   `json:"related,omitempty"`
	Paths   []string   `json:"paths,omitempty"`
	From    string     `json:"from,omitempty"`
	Keys    []string   `json:"keys,omitempty"`
	// Forbidden are the keys an agent file must not carry.
	Forbidden []ForbiddenKey `json:"forbidden,omitempty"`
	Step      string         `json:"step,omitempty"`
	// Entries are an upgrade check's entries, as JSON: package lint decodes
	// them only when a lint looks at the next major.
	Entries json.RawMessage   `json:"entries,omitempty"`
	Message string            `json:"message,omitempty"`
	Hint    string            `json:"hint,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
}

// ForbiddenKey is a key an agent file must not carry, with the Python name
// Polyaxon's message prints.
type ForbiddenKey struct {
	Key string `json:"key"`
	Py  string `json:"py"`
}

// The codec of checks and conditions (codec.go's form; a nil pointer is a
// 0 byte, a present one 1 then its fields).

func (e *encoder) optStr(p *string) {
	e.bool(p != nil)
	if p != nil {
		e.str(*p)
	}
}

func (d *decoder) optStr() *string {
	if d.byte() != 1 {
		return nil
	}
	s := d.str()
	return &s
}

// optBool writes a *bool as 0 (nil), 1 (false) or 2 (true).
func (e *encoder) optBool(p *bool) {
	switch {
	case p == nil:
		e.b = append(e.b, 0)
	case !*p:
		e.b = append(e.b, 1)
	default:
		e.b = append(e.b, 2)
	}
}

func (d *decoder) optBool() *bool {
	switch d.byte() {
	case 1:
		v := false
		return &v
	case 2:
		v := true
		return &v
	}
	return nil
}

// cond writes c; the first value it cannot write is kept in e.err.
func (e *encoder) cond(c *cond.Cond) {
	e.bool(c != nil)
	if c == nil {
		return
	}
	for _, s := range []string{c.Path, c.Matches, c.Type, c.Flag} {
		e.str(s)
	}
	for _, p := range []*bool{c.Set, c.Present, c.Truthy, c.Custom} {
		e.optBool(p)
	}
	for _, v := range []bool{c.OrDefault, c.ChartDefault, c.IsDefault} {
		e.bool(v)
	}
	put := func(what string, v any) {
		if err := e.jsonValue(v); err != nil && e.err == nil {
			e.err = fmt.Errorf("condition on %s: %s: %w", c.Path, what, err)
		}
	}
	put("equals", c.Equals)
	putSlice(e, c.In, func(v any) { put("in", v) })
	putSlice(e, c.Range, e.float)
	e.optStr(c.SameAs)
	e.optStr(c.Differs)
	putSlice(e, c.All, e.cond)
	putSlice(e, c.Any, e.cond)
	e.cond(c.Not)
}

func (d *decoder) cond() *cond.Cond {
	if d.byte() != 1 || d.err != nil {
		return nil
	}
	c := &cond.Cond{}
	for _, p := range []*string{&c.Path, &c.Matches, &c.Type, &c.Flag} {
		*p = d.str()
	}
	for _, p := range []**bool{&c.Set, &c.Present, &c.Truthy, &c.Custom} {
		*p = d.optBool()
	}
	for _, p := range []*bool{&c.OrDefault, &c.ChartDefault, &c.IsDefault} {
		*p = d.byte() == 1
	}
	c.Equals = d.value()
	c.In = getSlice(d, d.value)
	c.Range = getSlice(d, d.float)
	c.SameAs, c.Differs = d.optStr(), d.optStr()
	c.All = getSlice(d, d.cond)
	c.Any = getSlice(d, d.cond)
	c.Not = d.cond()
	return c
}

func (e *encoder) check(c *Check) {
	for _, s := range []string{c.Kind, c.From, c.Step, c.Message, c.Hint} {
		e.str(s)
	}
	for _, l := range [][]string{c.Charts, c.Majors, c.Each, c.Related, c.Paths, c.Keys} {
		e.strs(l)
	}
	for _, b := range []bool{c.SkipTyped, c.AtValue} {
		e.bool(b)
	}
	e.optStr(c.At)
	e.cond(c.When)
	e.cond(c.Then)
	putSlice(e, c.Forbidden, func(k ForbiddenKey) { e.str(k.Key); e.str(k.Py) })
	e.raw(c.Entries)
	e.strMap(c.Args)
}

func (d *decoder) check() *Check {
	c := &Check{}
	for _, p := range []*string{&c.Kind, &c.From, &c.Step, &c.Message, &c.Hint} {
		*p = d.str()
	}
	for _, p := range []*[]string{&c.Charts, &c.Majors, &c.Each, &c.Related, &c.Paths, &c.Keys} {
		*p = d.strs()
	}
	c.SkipTyped, c.AtValue = d.byte() == 1, d.byte() == 1
	c.At = d.optStr()
	c.When, c.Then = d.cond(), d.cond()
	c.Forbidden = getSlice(d, func() ForbiddenKey { return ForbiddenKey{Key: d.str(), Py: d.str()} })
	c.Entries = d.raw()
	c.Args = d.strMap()
	return c
}
