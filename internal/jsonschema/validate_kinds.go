package jsonschema

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"unicode/utf8"
)

// validateNumber checks multipleOf, the bounds and format (gojsonschema
// fails a number on any format it knows: its checkers take strings only).
func validateNumber(n *node, x number, r *result, p *path) {
	if n.multipleOf == nil && n.minimum == nil && n.maximum == nil && n.exclMin == nil && n.exclMax == nil && n.format == "" {
		r.score++
		return
	}
	xr := x.rat()
	// above reports whether x > b (orEqual: x >= b); a NaN is beyond
	// every bound, an infinity beyond those on its side.
	above := func(b *big.Rat, orEqual bool) bool {
		if xr == nil {
			return math.IsNaN(x.float) || x.float > 0
		}
		c := xr.Cmp(b)
		return c > 0 || (orEqual && c == 0)
	}
	below := func(b *big.Rat, orEqual bool) bool {
		if xr == nil {
			return math.IsNaN(x.float) || x.float < 0
		}
		c := xr.Cmp(b)
		return c < 0 || (orEqual && c == 0)
	}
	if n.multipleOf != nil && (xr == nil || !new(big.Rat).Quo(xr, n.multipleOf).IsInt()) {
		r.add(p, KindMultipleOf, "", msgMultipleOf(formatBound(n.multipleOf)))
	}
	if n.maximum != nil && above(n.maximum, false) {
		r.add(p, KindMaximum, "", msgMaximum(formatBound(n.maximum)))
	}
	if n.exclMax != nil && above(n.exclMax, true) {
		r.add(p, KindExclusiveMaximum, "", msgExclMaximum(formatBound(n.exclMax)))
	}
	if n.minimum != nil && below(n.minimum, false) {
		r.add(p, KindMinimum, "", msgMinimum(formatBound(n.minimum)))
	}
	if n.exclMin != nil && below(n.exclMin, true) {
		r.add(p, KindExclusiveMinimum, "", msgExclMinimum(formatBound(n.exclMin)))
	}
	if n.format != "" && knownFormat(n.format) {
		r.add(p, KindFormat, "", msgFormat(n.format))
	}
	r.score++
}

// validateString checks minLength and maxLength (in runes), pattern and
// format.
func validateString(n *node, s string, r *result, p *path) {
	if n.minLength != nil || n.maxLength != nil {
		runes := utf8.RuneCountInString(s)
		if n.minLength != nil && runes < *n.minLength {
			r.add(p, KindMinLength, "", msgMinLength(*n.minLength))
		}
		if n.maxLength != nil && runes > *n.maxLength {
			r.add(p, KindMaxLength, "", msgMaxLength(*n.maxLength))
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		r.add(p, KindPattern, "", msgPattern(n.pattern.String()))
	}
	if n.format != "" && !isFormat(n.format, s) {
		r.add(p, KindFormat, "", msgFormat(n.format))
	}
	r.score++
}

// validateArray checks items, additionalItems, minItems, maxItems,
// uniqueItems and contains.
func validateArray(n *node, arr []any, r *result, p *path) {
	if n.itemsSingle {
		for i, e := range arr {
			r.merge(sub(n.items[0], e, p.child(strconv.Itoa(i))))
		}
	} else if len(n.items) > 0 {
		for i := 0; i < len(n.items) && i < len(arr); i++ {
			r.merge(sub(n.items[i], arr[i], p.child(strconv.Itoa(i))))
		}
		if len(n.items) < len(arr) {
			switch {
			case n.addItemsSet && !n.addItemsBool:
				r.add(p, KindNoAdditionalItems, "", msgNoAdditionalItems())
			case n.addItems != nil:
				for i := len(n.items); i < len(arr); i++ {
					r.merge(sub(n.addItems, arr[i], p.child(strconv.Itoa(i))))
				}
			}
		}
	}
	if n.minItems != nil && len(arr) < *n.minItems {
		r.add(p, KindMinItems, "", msgMinItems(*n.minItems))
	}
	if n.maxItems != nil && len(arr) > *n.maxItems {
		r.add(p, KindMaxItems, "", msgMaxItems(*n.maxItems))
	}
	if n.uniqueItems {
		seen := make(map[string]int, len(arr))
		for j, e := range arr {
			s, ok := canonical(e)
			if !ok {
				continue
			}
			if i, dup := seen[s]; dup {
				r.add(p, KindUnique, "", msgUnique(i, j))
			}
			seen[s] = j
		}
	}
	if n.contains != nil {
		ok, best := firstValid(len(arr), func(i int) *result { return sub(n.contains, arr[i], p.child(strconv.Itoa(i))) })
		if !ok {
			r.add(p, KindContains, "", msgContains())
			if best != nil {
				r.merge(best)
			}
		}
	}
	r.score++
}

// validateObject checks minProperties, maxProperties, required,
// patternProperties, additionalProperties and propertyNames (properties
// are checked by validate, after const and enum, as gojsonschema does).
func validateObject(n *node, obj map[string]any, r *result, p *path) {
	if n.minProps != nil && len(obj) < *n.minProps {
		r.add(p, KindMinProperties, "", msgMinProperties(*n.minProps))
	}
	if n.maxProps != nil && len(obj) > *n.maxProps {
		r.add(p, KindMaxProperties, "", msgMaxProperties(*n.maxProps))
	}
	for _, req := range n.required {
		if _, ok := obj[req]; ok {
			r.score++
		} else {
			r.add(p, KindRequired, req, msgRequired(req))
		}
	}
	if len(n.patternProps) == 0 && !n.addPropsSet && n.addProps == nil && n.propertyNames == nil {
		r.score++
		return
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		matched := false
		for _, pp := range n.patternProps {
			if pp.re.MatchString(k) {
				matched = true
				r.merge(sub(pp.schema, obj[k], p.child(k)))
			}
		}
		if matched {
			r.score++
			continue
		}
		if n.propIndex[k] {
			continue
		}
		switch {
		case n.addPropsSet && !n.addPropsBool:
			r.add(p, KindAdditionalProperty, k, msgAdditionalProperty(k))
		case n.addProps != nil:
			r.merge(sub(n.addProps, obj[k], p.child(k)))
		}
	}
	if n.propertyNames != nil {
		for _, k := range keys {
			if sr := sub(n.propertyNames, k, p); !sr.valid() {
				r.add(p, KindInvalidPropertyName, k, msgPropertyName(k))
				r.merge(sr)
			}
		}
	}
	r.score++
}
