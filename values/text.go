package values

import (
	"fmt"
	"strconv"
	"strings"
)

// PlainText returns s as YAML text: plain when every reader (YAML 1.1 and
// 1.2) reads it back as the same string, else double-quoted.
func PlainText(s string) string {
	if plainSafe(s) {
		return s
	}
	return strconv.Quote(s)
}

// plainSafe reports whether s can be written as a plain YAML scalar that
// every reader (YAML 1.1 and 1.2) reads back as the same string.
func plainSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t") {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`~") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if v, ok := Resolve11(s).(string); !ok || v != s {
		return false
	}
	if v, ok := Resolve12(s).(string); !ok || v != s {
		return false
	}
	return true
}

// ScalarText renders a scalar (nil, bool, a number or a string) as YAML
// text that Helm and YAML 1.2 tools both read back as that value; another
// value is written as its quoted fmt text.
func ScalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return PlainText(x)
	}
	return strconv.Quote(fmt.Sprint(v))
}
