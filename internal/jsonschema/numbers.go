package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// schemaNumber reads a number of the schema exactly. A number with a
// decimal exponent beyond ±10000 is refused (nil): exact arithmetic on it
// costs up to seconds (gojsonschema does it), and no bound needs it.
func schemaNumber(v any) *big.Rat {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	if i := strings.IndexAny(string(n), "eE"); i >= 0 {
		exp, err := strconv.Atoi(string(n)[i+1:])
		if err != nil || exp > 10000 || exp < -10000 {
			return nil
		}
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return nil
	}
	return r
}

// nonNegative reads a count keyword (minLength, maxItems, ...): an integer
// written without fraction or exponent, as gojsonschema requires, >= 0.
func nonNegative(m map[string]any, key, loc string) (*int, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil
	}
	n, ok := v.(json.Number)
	var i int64
	var err error
	if ok {
		i, err = strconv.ParseInt(string(n), 10, 64)
	}
	if !ok || err != nil || int64(int(i)) != i {
		return nil, kwErr(loc, key, "%s must be of an integer", key)
	}
	if i < 0 {
		return nil, kwErr(loc, key, "%s must be greater than or equal to 0", key)
	}
	x := int(i)
	return &x, nil
}

func (c *compiler) compileNumber(n *node, m map[string]any, loc string) error {
	if v, ok := m["multipleOf"]; ok {
		r := schemaNumber(v)
		if r == nil {
			return kwErr(loc, "multipleOf", "Invalid type. Expected: number, given: multipleOf")
		}
		if r.Sign() <= 0 {
			return kwErr(loc, "multipleOf", "multipleOf must be strictly greater than 0")
		}
		n.multipleOf = r
	}
	var err error
	if n.minimum, n.exclMin, err = c.bound(m, "minimum", "exclusiveMinimum", loc); err != nil {
		return err
	}
	n.maximum, n.exclMax, err = c.bound(m, "maximum", "exclusiveMaximum", loc)
	return err
}

// bound reads minimum and exclusiveMinimum (or the maxima): draft-04's
// boolean exclusiveMinimum makes minimum exclusive, draft-06's is a number
// of its own; a schema naming no draft may use either.
func (c *compiler) bound(m map[string]any, key, exclKey, loc string) (incl, excl *big.Rat, err error) {
	if v, ok := m[key]; ok {
		if incl = schemaNumber(v); incl == nil {
			return nil, nil, kwErr(loc, key, "%s must be of a number", key)
		}
	}
	v, ok := m[exclKey]
	if !ok {
		return incl, nil, nil
	}
	b, isBool := v.(bool)
	switch {
	case isBool && c.draft != draft6 && c.draft != draft7:
		if incl == nil {
			return nil, nil, kwErr(loc, exclKey, "%s cannot be used without %s", exclKey, key)
		}
		if b {
			return nil, incl, nil
		}
		return incl, nil, nil
	case c.draft == draft4:
		return nil, nil, kwErr(loc, exclKey, "Invalid type. Expected: boolean, given: %s", exclKey)
	}
	if _, isNum := v.(json.Number); !isNum {
		return nil, nil, kwErr(loc, exclKey, "Invalid type. Expected: number, given: %s", exclKey)
	}
	if excl = schemaNumber(v); excl == nil {
		return nil, nil, kwErr(loc, exclKey, "Invalid type. Expected: number, given: %s", exclKey)
	}
	return incl, excl, nil
}

// formatBound renders a schema number as gojsonschema's messages do: a
// big.Float of the exact value, as fmt prints it.
func formatBound(r *big.Rat) string {
	return fmt.Sprint(new(big.Float).SetRat(r))
}

// bounds reads a pair of non-negative integer keywords (minLength and
// maxLength, say); ordered: a minimum above the maximum is an error (as
// gojsonschema has it for lengths and properties, not for items).
func bounds(m map[string]any, minKw, maxKw, loc string, ordered bool) (lo, hi *int, err error) {
	if lo, err = nonNegative(m, minKw, loc); err != nil {
		return nil, nil, err
	}
	if hi, err = nonNegative(m, maxKw, loc); err != nil {
		return nil, nil, err
	}
	if ordered && lo != nil && hi != nil && *lo > *hi {
		return nil, nil, kwErr(loc, minKw, "%s cannot be greater than %s", minKw, maxKw)
	}
	return lo, hi, nil
}
