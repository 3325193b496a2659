package lint

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/cue"
	"github.com/pxvalues/pxvalues/cue/ruleid"
	"github.com/pxvalues/pxvalues/internal/message"
	"github.com/pxvalues/pxvalues/internal/suggest"
	"github.com/pxvalues/pxvalues/values"
)

// checkSchema walks n against t: unknown keys, types, enums, ranges and
// dropped keys. Walking the data (rather than unifying it with CUE) reports
// every unknown key even when the same map has type errors, and costs
// microseconds per file.
func (r *run) checkSchema(n *values.Node, t *cue.Type, secret bool) {
	r.walkSchema(n, t, secret, false)
}

// walkSchema is checkSchema with the state of the path: secret below a
// secret key, dropped below a key already reported as dropped.
func (r *run) walkSchema(n *values.Node, t *cue.Type, secret, dropped bool) {
	if t == nil || t.Any() || (n.Kind == values.NullKind && t.Kinds.Has(values.NullKind)) {
		return
	}
	if !t.Kinds.Has(n.Kind) {
		r.wrongType(n, t, secret)
		return
	}
	switch n.Kind {
	case values.MapKind:
		for _, e := range n.Live() {
			f := t.Field(e.Key)
			if f == nil {
				if t.Open {
					r.walkSchema(e, t.Elem, secret, dropped)
					continue
				}
				r.unknownKey(e, t)
				continue
			}
			if !dropped {
				r.checkField(e, f)
			}
			r.walkSchema(e, f.Type, secret || r.isSecret(e), dropped || f.Meta.Until != "")
		}
	case values.ListKind:
		for _, it := range n.Items {
			r.walkSchema(it, t.Elem, secret, dropped)
		}
	default:
		r.checkScalar(n, t, secret)
	}
}

// checkField reports facts about a known key itself.
func (r *run) checkField(e *values.Node, f *cue.Field) {
	if f.Meta.Until != "" {
		after := r.schema.After(f.Meta.Until)
		if after == "" {
			after = "newer releases"
		}
		r.report(ruleid.DroppedKey, e.KeyPos, e.Path(), map[string]string{"until": f.Meta.Until, "after": after})
	}
	r.checkDeadKey(e, f)
	r.checkRejected(e, f.Meta.CLI == "rejected")
}

func (r *run) checkScalar(n *values.Node, t *cue.Type, secret bool) {
	shown := r.show(n, secret)
	if n.Kind == values.NumberKind {
		f := n.Value.(float64)
		if t.Int && !n.IsInt() {
			r.report(ruleid.WrongType, n.Pos, n.Path(), map[string]string{"want": "an integer", "got": shown})
			return
		}
		// Helm reads 2.0 as the integer 2; Polyaxon's strict validator
		// reads the YAML text and refuses a float.
		if t.Int && n.Plain && strings.ContainsAny(n.Raw, ".eE") {
			r.report(ruleid.CliStrictType, n.Pos, n.Path(), map[string]string{
				"got": "written as a float (" + shown + ")", "want": "an integer literal",
				"fix": "write " + num(f),
			})
		}
		if t.Min != nil && f < *t.Min {
			r.report(ruleid.InvalidValue, n.Pos, n.Path(), map[string]string{"got": shown, "why": "the minimum is " + num(*t.Min)})
			return
		}
		if t.Max != nil && f > *t.Max {
			r.report(ruleid.InvalidValue, n.Pos, n.Path(), map[string]string{"got": shown, "why": "the maximum is " + num(*t.Max)})
			return
		}
	}
	if n.Kind == values.StringKind {
		s := n.Value.(string)
		for _, re := range t.Patterns {
			if !re.MatchString(s) {
				r.report(ruleid.InvalidValue, n.Pos, n.Path(), map[string]string{"got": shown, "why": "it must match " + re.String()})
				return
			}
		}
	}
	if len(t.Enum) > 0 {
		for _, e := range t.Enum {
			if values.SameScalar(e, n.Value) {
				return
			}
		}
		d := r.report(ruleid.EnumValue, n.Pos, n.Path(), map[string]string{"got": shown, "allowed": enumList(t.Enum)})
		if d != nil && !secret {
			if s, ok := n.Value.(string); ok {
				if best := suggest.Closest(s, enumStrings(t.Enum)); best != "" {
					d.Hint = fmt.Sprintf("did you mean `%s`?", best)
					if best == suggest.ClosestUnique(s, enumStrings(t.Enum)) {
						d.Fix = r.enumFix(n, best)
					}
				}
			}
		}
	}
}

func (r *run) wrongType(n *values.Node, t *cue.Type, secret bool) {
	// A plain number where text is expected is a YAML reading gotcha, not a
	// plain type error: Helm turns `2.10` into 2.1.
	if n.Kind == values.NumberKind && t.Kinds.Has(values.StringKind) && n.Plain {
		r.numberAsString(n, secret)
		return
	}
	d := r.report(ruleid.WrongType, n.Pos, n.Path(), map[string]string{"want": describeKinds(t), "got": describeValue(n, r.show(n, secret))})
	if d != nil && t.Kinds.Has(values.MapKind) && n.Kind != values.MapKind && len(t.Names) > 0 {
		d.Hint = "`" + n.Key + "` is a section with keys such as " + message.Sample(t.Names)
	}
}

func (r *run) numberAsString(n *values.Node, secret bool) {
	raw, helm := n.Raw, num(n.Value.(float64))
	if secret {
		raw, helm = redacted, redacted
	}
	d := r.report(ruleid.NumberAsString, n.Pos, n.Path(), map[string]string{"raw": raw, "helm": helm, "key": n.Key})
	if d == nil || secret {
		return
	}
	start := n.Pos.Offset
	end := start + len(n.Raw)
	if src := r.doc.Source(n.Pos.File); end <= len(src) && string(src[start:end]) == n.Raw {
		d.Fix = &Fix{Message: "quote the value", Edits: []values.Edit{{Start: start, End: end, NewText: strconv.Quote(n.Raw)}}}
	}
}

func (r *run) unknownKey(e *values.Node, t *cue.Type) {
	where := "the top level"
	if e.Parent != nil && e.Parent.Parent != nil {
		where = "`" + e.Parent.Path() + "`"
	}
	args := map[string]string{"key": e.Key, "where": where}
	var hints []string
	var fix *Fix
	other := r.otherMajor(e)
	if best := suggest.Closest(e.Key, t.Names); best != "" && !strings.Contains(other, "`"+best+"`") {
		hints = append(hints, fmt.Sprintf("did you mean `%s`?", best))
		if other == "" && best == suggest.ClosestUnique(e.Key, t.Names) {
			fix = r.renameKeyFix(e, best)
		}
	}
	if other != "" {
		hints = append(hints, other)
	}
	if len(hints) > 0 {
		args["hint"] = strings.Join(hints, "; ")
	}
	if d := r.report(ruleid.UnknownKey, e.KeyPos, e.Path(), args); d != nil {
		d.Fix = fix
	}
}

// otherMajor explains an unknown key that another major version knows.
func (r *run) otherMajor(e *values.Node) string {
	segs := e.Segments()
	ms := cue.Majors(r.det.Chart)
	slices.Reverse(ms) // the nearest older major first: migrate from it
	for _, m := range ms {
		if m == r.det.Major {
			continue
		}
		s, err := r.l.cat.Schema(r.det.Chart, m)
		if err != nil || lookupType(s.Root, segs) == nil {
			continue
		}
		// the file is detected as r.det.Major: migrating "to" it would
		// start there and change nothing, so the command starts from m
		if note := r.l.cat.MoveNote(r.det.Chart, m, r.det.Major, e.Path()); note != "" {
			return strings.ReplaceAll(note, "pxvalues migrate --to "+r.det.Major, r.migrateCmd(m, r.det.Major))
		}
		if m < r.det.Major {
			return fmt.Sprintf("`%s` is a %s key that %s moved or removed: run `%s`", e.Path(), m, r.det.Major, r.migrateCmd(m, r.det.Major))
		}
		return fmt.Sprintf("`%s` is a %s key: lint with `--major %s` if this file targets %s", e.Path(), m, m, m)
	}
	return ""
}

// lookupType follows segments (keys, list indices) through a schema.
func lookupType(t *cue.Type, segs []string) *cue.Type {
	for _, s := range segs {
		if t == nil {
			return nil
		}
		if _, err := strconv.Atoi(s); err == nil && t.Kinds.Has(values.ListKind) {
			t = t.Elem
			if t == nil {
				t = &cue.Type{Kinds: cue.AllKinds}
			}
			continue
		}
		if f := t.Field(s); f != nil {
			t = f.Type
			continue
		}
		if t.Open {
			t = t.Elem
			if t == nil {
				t = &cue.Type{Kinds: cue.AllKinds}
			}
			continue
		}
		return nil
	}
	return t
}

func num(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func describeKinds(t *cue.Type) string {
	var parts []string
	for _, k := range []values.Kind{values.BoolKind, values.NumberKind, values.StringKind, values.ListKind, values.MapKind} {
		if !t.Kinds.Has(k) {
			continue
		}
		switch {
		case k == values.NumberKind && t.Int:
			parts = append(parts, "an integer")
		case k == values.NumberKind:
			parts = append(parts, "a number")
		case k == values.BoolKind:
			parts = append(parts, "a boolean (true or false)")
		case k == values.StringKind:
			parts = append(parts, "a string")
		case k == values.ListKind:
			parts = append(parts, "a list")
		case k == values.MapKind:
			parts = append(parts, "a map")
		}
	}
	if len(parts) == 0 {
		return "null"
	}
	return strings.Join(parts, " or ")
}

// describeValue names n's kind and, for a scalar, its text shown.
func describeValue(n *values.Node, shown string) string {
	switch n.Kind {
	case values.NullKind:
		return shown
	case values.MapKind, values.ListKind:
		return "a " + n.Kind.String()
	case values.BoolKind:
		return "the boolean " + shown
	}
	return "the " + n.Kind.String() + " " + shown
}

func enumStrings(enum []any) []string {
	var out []string
	for _, e := range enum {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func enumList(enum []any) string {
	var parts []string
	for _, e := range enum {
		switch v := e.(type) {
		case string:
			parts = append(parts, strconv.Quote(v))
		case float64:
			parts = append(parts, num(v))
		default:
			parts = append(parts, fmt.Sprint(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
