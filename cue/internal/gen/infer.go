package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"cuelang.org/go/cue"
)

func inferType(v cue.Value) (string, error) {
	switch v.IncompleteKind() {
	case cue.StringKind:
		return "string", nil
	case cue.IntKind:
		return "int", nil
	case cue.FloatKind, cue.NumberKind:
		return "number", nil
	case cue.BoolKind:
		return "bool", nil
	case cue.ListKind:
		return "list", nil
	case cue.StructKind:
		return "map", nil
	case cue.NullKind:
		return "any", nil
	}
	return "", fmt.Errorf("cannot type a %v value", v.IncompleteKind())
}

// commonDefs maps the sorted literal set of every string disjunction of common.cue to its
// definition name.
type commonDefs map[string]string

// enumKey is the map key of an enum: its literals, sorted.
func enumKey(vals []string) string {
	s := slices.Clone(vals)
	slices.Sort(s)
	return strings.Join(s, "\x00")
}

// loadCommon compiles common.cue and indexes its string disjunctions.
func loadCommon(ctx *cue.Context, file string) (commonDefs, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the common definitions (-common): %w", err)
	}
	v := ctx.CompileBytes(b, cue.Filename(file))
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("compiling %s: %w", file, err)
	}
	if !v.LookupPath(cue.ParsePath("#Map")).Exists() {
		return nil, fmt.Errorf("%s: #Map is not defined", file)
	}
	defs := commonDefs{}
	it, err := v.Fields(cue.Definitions(true))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for it.Next() {
		if !it.Selector().IsDefinition() {
			continue
		}
		op, args := it.Value().Expr()
		if op != cue.OrOp {
			continue
		}
		var vals []string
		for _, a := range args {
			s, err := a.String()
			if err != nil {
				vals = nil
				break
			}
			vals = append(vals, s)
		}
		if vals != nil {
			defs[enumKey(vals)] = it.Selector().String()
		}
	}
	return defs, nil
}

// schemaWriter renders one chart major's definition.
