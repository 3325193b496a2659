package jsonschema

import (
	"bytes"
	"encoding/json"
	"iter"
	"maps"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
)

// kind is the JSON type of an instance value.
type kind int

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// number is an instance number. Its exact value is the one of its shortest
// decimal form, as gojsonschema sees a value it has marshalled to JSON.
type number struct {
	text   string  // decimal form, "" when not finite
	float  float64 // for a number that is not finite
	finite bool
	isInt  bool
}

// rat is the exact value of a finite number (nil if its text is not one).
func (n number) rat() *big.Rat {
	if !n.finite {
		return nil
	}
	r, ok := new(big.Rat).SetString(n.text)
	if !ok {
		return nil
	}
	return r
}

func intNumber(s string) number { return number{text: s, finite: true, isInt: true} }

func floatNumber(f float64, bits int) number {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return number{float: f}
	}
	return number{text: strconv.FormatFloat(f, 'g', -1, bits), finite: true, isInt: f == math.Trunc(f)}
}

// classify returns the JSON type of v and v in the form the validator
// reads: a number, a string, a bool, nil, []any or map[string]any. ok is
// false for a value that only encoding/json can read.
func classify(v any) (kind, any, bool) {
	switch x := v.(type) {
	case nil:
		return kindNull, nil, true
	case bool:
		return kindBool, x, true
	case string:
		return kindString, x, true
	case map[string]any:
		return kindObject, x, true
	case []any:
		return kindArray, x, true
	case float64:
		return kindNumber, floatNumber(x, 64), true
	case float32:
		return kindNumber, floatNumber(float64(x), 32), true
	case int, int8, int16, int32, int64:
		return kindNumber, intNumber(strconv.FormatInt(reflect.ValueOf(x).Int(), 10)), true
	case uint, uint8, uint16, uint32, uint64:
		return kindNumber, intNumber(strconv.FormatUint(reflect.ValueOf(x).Uint(), 10)), true
	case json.Number:
		r, ok := new(big.Rat).SetString(string(x))
		return kindNumber, number{text: string(x), finite: ok, isInt: ok && r.IsInt()}, true
	case number:
		return kindNumber, x, true
	}
	return kindNull, nil, false
}

// viaJSON reads a value of another Go type as gojsonschema does: through
// its JSON encoding. A value encoding/json cannot encode reads as null.
func viaJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	if d.Decode(&out) != nil {
		return nil
	}
	return out
}

// canonical is the JSON text gojsonschema compares for enum, const and
// uniqueItems: the value marshalled with every number made a float64 (so
// 1 and 1.0 are equal) and map keys sorted. ok is false for a value JSON
// cannot hold (NaN, an infinity, a number beyond float64).
func canonical(v any) (string, bool) {
	p, ok := plain(v)
	if !ok {
		return "", false
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// plain converts v to map[string]any, []any, float64, string, bool or nil.
func plain(v any) (any, bool) {
	k, x, ok := classify(v)
	if !ok {
		return plain(viaJSON(v))
	}
	switch k {
	case kindNumber:
		n := x.(number)
		if !n.finite {
			return nil, false
		}
		f, err := strconv.ParseFloat(n.text, 64)
		if err != nil {
			return nil, false
		}
		return f, true
	case kindArray:
		in := x.([]any)
		out := make([]any, len(in))
		return out, plainEach(slices.All(in), func(i int, p any) { out[i] = p })
	case kindObject:
		in := x.(map[string]any)
		out := make(map[string]any, len(in))
		return out, plainEach(maps.All(in), func(key string, p any) { out[key] = p })
	}
	return x, true
}

// plainEach converts each element of an array or object with plain and
// hands it to set under its index or key; false when one cannot be (what
// was set is then to be dropped).
func plainEach[K any](elems iter.Seq2[K, any], set func(K, any)) bool {
	for k, e := range elems {
		p, ok := plain(e)
		if !ok {
			return false
		}
		set(k, p)
	}
	return true
}
