package jsonschema

import (
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// knownFormat reports whether gojsonschema checks the format; it treats
// every other format as valid.
func knownFormat(f string) bool {
	switch f {
	case "date", "time", "date-time", "hostname", "email", "idn-email",
		"ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
		"uri-template", "uuid", "regex", "json-pointer", "relative-json-pointer":
		return true
	}
	return false
}

// isFormat checks a string as gojsonschema's format checkers do (without
// their package-level regexps: these checks are written out).
func isFormat(f, s string) bool {
	switch f {
	case "date":
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	case "time":
		return parses(s, "15:04:05Z07:00", "15:04:05")
	case "date-time":
		return parses(s, "15:04:05", "15:04:05Z07:00", "2006-01-02", time.RFC3339, time.RFC3339Nano)
	case "hostname":
		return isHostname(s)
	case "email", "idn-email":
		_, err := mail.ParseAddress(s)
		return err == nil
	case "ipv4":
		return net.ParseIP(s) != nil && strings.Contains(s, ".")
	case "ipv6":
		return net.ParseIP(s) != nil && strings.Contains(s, ":")
	case "uri", "iri":
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && !strings.Contains(s, `\`)
	case "uri-reference", "iri-reference":
		_, err := url.Parse(s)
		return err == nil && !strings.Contains(s, `\`)
	case "uri-template":
		u, err := url.Parse(s)
		return err == nil && !strings.Contains(s, `\`) && bracesClosed(u.Path)
	case "uuid":
		return isUUID(s)
	case "regex":
		if s == "" {
			return true
		}
		_, err := regexp.Compile(s)
		return err == nil
	case "json-pointer":
		return isJSONPointer(s)
	case "relative-json-pointer":
		return isRelativeJSONPointer(s)
	}
	return true
}

func parses(s string, layouts ...string) bool {
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// isHostname: dot-separated labels of 1 to 63 letters, digits and hyphens,
// not starting or ending with a hyphen, under 256 bytes in all.
func isHostname(s string) bool {
	if len(s) >= 256 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// bracesClosed: every "{" is closed by a later "}" (gojsonschema's
// ^([^{]*({[^}]*})?)*$).
func bracesClosed(s string) bool {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return false
		}
		s = s[i+j+1:]
	}
}

// isUUID: lower-case hex digits grouped 8-4-4-4-12.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// isJSONPointer: empty, or "/"-prefixed tokens in which "~" is followed by
// 0 or 1.
func isJSONPointer(s string) bool {
	if s != "" && s[0] != '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '~' && (i+1 == len(s) || s[i+1] != '0' && s[i+1] != '1') {
			return false
		}
	}
	return true
}

// isRelativeJSONPointer: a non-negative integer without leading zeros,
// then "#" or a JSON pointer.
func isRelativeJSONPointer(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || (s[0] == '0' && i > 1) {
		return false
	}
	return s[i:] == "#" || isJSONPointer(s[i:])
}
