package values

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

var (
	floatRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	int12RE = regexp.MustCompile(`^[-+]?[0-9]+$`)
)

// Resolve11 reads a plain scalar the way Helm does (YAML 1.1 through
// sigs.k8s.io/yaml): yes/no/on/off are booleans, 0755 is octal, 1_000 is a
// number, and every number becomes a float64.
func Resolve11(s string) any {
	if v, ok := resolveWord(s); ok {
		return v
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false
	}
	// yaml v2 tries numbers only for text starting with a digit, a sign or
	// a dot (its resolve table).
	if c := s[0]; c == '.' {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		return s
	} else if !(c >= '0' && c <= '9') && c != '+' && c != '-' {
		return s
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return float64(i)
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return float64(u)
	}
	if floatRE.MatchString(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return f
		}
	}
	return s
}

// Resolve12 reads a plain scalar with the YAML 1.2 core schema, the way
// yaml/v3, CUE, editors and most tools other than Helm read it.
func Resolve12(s string) any {
	if v, ok := resolveWord(s); ok {
		return v
	}
	switch {
	case int12RE.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return f
		}
	case strings.HasPrefix(s, "0o"):
		if i, err := strconv.ParseUint(s[2:], 8, 64); err == nil {
			return float64(i)
		}
	case strings.HasPrefix(s, "0x"):
		if i, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return float64(i)
		}
	case floatRE.MatchString(s):
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}

// resolveWord reads the words YAML 1.1 and 1.2 both give a meaning: null,
// true, false, the infinities and NaN; ok is false for any other text.
func resolveWord(s string) (v any, ok bool) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil, true
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), true
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), true
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), true
	}
	return nil, false
}

// SameScalar reports whether two resolved scalars are equal (NaN equals NaN).
func SameScalar(a, b any) bool {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if oka && okb {
		return fa == fb || (math.IsNaN(fa) && math.IsNaN(fb))
	}
	return a == b
}
