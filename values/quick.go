package values

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// quickParse reads text, the lines of a cut, into the node the YAML parser
// would make of it (comments aside), when text is only what quickParse
// reads exactly as that parser does: block maps of plain keys, whose
// values are maps, plain scalars of a few safe characters on one line,
// quoted strings without escapes or quotes inside, `{}` or `[]`, with
// comments and blank lines; printable ASCII and LF line breaks. ok is false
// for anything else, which the YAML parser then reads: most cuts of a
// migration are such lines, and the parser's set-up costs more than
// their text.
func quickParse(text []byte) (top *yaml.Node, ok bool) {
	for _, c := range text {
		if c >= 0x7f || c < ' ' && c != '\n' {
			return nil, false
		}
	}
	type level struct {
		indent int
		m      *yaml.Node
	}
	var stack []level
	var open *yaml.Node // the key last read, when its value is on the lines below
	openAt := 0         // the column after that key's colon
	for line := 1; len(text) > 0; line++ {
		n, rest, after := nextLine(text)
		text = after
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		k := keyLen(rest)
		if k == 0 || k > 256 || k == len(rest) || rest[k] != ':' {
			return nil, false
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: string(rest[:k]), Line: line, Column: n + 1}
		key.Tag = key.ShortTag()
		switch {
		case len(stack) == 0:
			stack = append(stack, level{n, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: n + 1}})
		case open != nil && n > stack[len(stack)-1].indent:
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: n + 1}
			top := stack[len(stack)-1].m
			top.Content = append(top.Content, m)
			stack = append(stack, level{n, m})
			open = nil
		default:
			if open != nil {
				closeEmpty(stack[len(stack)-1].m, open.Line, openAt)
				open = nil
			}
			for len(stack) > 0 && stack[len(stack)-1].indent > n {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 || stack[len(stack)-1].indent != n {
				return nil, false
			}
		}
		m := stack[len(stack)-1].m
		m.Content = append(m.Content, key)
		v, ok := quickValue(rest[k+1:], line, n+k+2)
		if !ok {
			return nil, false
		}
		if v == nil {
			open, openAt = key, n+k+2
			continue
		}
		m.Content = append(m.Content, v)
		if next := firstContent(text); next > n {
			return nil, false // a value continued on the next lines
		}
	}
	if len(stack) == 0 {
		return nil, false
	}
	if open != nil {
		closeEmpty(stack[len(stack)-1].m, open.Line, openAt)
	}
	return stack[0].m, true
}

// closeEmpty gives m's last key the null value the parser reads for a key
// with nothing after its colon: at the column after the colon.
func closeEmpty(m *yaml.Node, line, col int) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: line, Column: col})
}

// keyLen is the length of the plain key rest starts with: a letter, a
// digit or `_`, then those, `.`, `-` and `/` (quickParse takes keys of
// up to 256 of them: the parser reads no key past 1024 characters).
func keyLen(rest []byte) int {
	for i, c := range rest {
		if !(alnum(c) || c == '_' || i > 0 && (c == '.' || c == '-' || c == '/')) {
			return i
		}
	}
	return len(rest)
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }

// quickValue reads what follows a key's colon, at column col (1-based):
// nil (and ok) when the value is on the lines below (or null), else the
// scalar or empty collection; ok is false for what quickParse leaves to
// the parser.
func quickValue(s []byte, line, col int) (*yaml.Node, bool) {
	if len(s) > 0 && s[0] != ' ' {
		return nil, false // `key:value` is a scalar, not an entry
	}
	t := bytes.TrimLeft(s, " ")
	col += len(s) - len(t)
	if len(t) == 0 || t[0] == '#' {
		return nil, true
	}
	v := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	end := 0 // the length of the value's token
	switch q := t[0]; {
	case q == '"' || q == '\'':
		i := bytes.IndexByte(t[1:], q)
		if i < 0 || bytes.IndexByte(t[1:i+1], '\\') >= 0 {
			return nil, false
		}
		v.Tag, v.Value, end = "!!str", string(t[1:i+1]), i+2
		v.Style = yaml.DoubleQuotedStyle
		if q == '\'' {
			v.Style = yaml.SingleQuotedStyle
		}
	case bytes.HasPrefix(t, []byte("{}")):
		v.Kind, v.Tag, v.Style, end = yaml.MappingNode, "!!map", yaml.FlowStyle, 2
	case bytes.HasPrefix(t, []byte("[]")):
		v.Kind, v.Tag, v.Style, end = yaml.SequenceNode, "!!seq", yaml.FlowStyle, 2
	default:
		end = plainLen(t)
		if end == 0 {
			return nil, false
		}
		v.Value = string(t[:end])
		v.Tag = v.ShortTag()
	}
	if rest := bytes.TrimLeft(t[end:], " "); len(rest) > 0 && (len(rest) == len(t[end:]) || rest[0] != '#') {
		return nil, false // more than a comment after the value
	}
	return v, true
}

// plainLen is the length of the plain scalar t starts with, without the
// spaces before a comment, or 0 when quickParse leaves t to the parser:
// it starts with a letter, a digit, `.`, `/`, `_`, `+` or a `-` before
// one of those, and holds only those, spaces, `=`, `@`, `,`, `(`, `)`,
// `~` and colons not before a space (nor at its end).
func plainLen(t []byte) int {
	if c := t[0]; !(alnum(c) || c == '.' || c == '/' || c == '_' || c == '+' ||
		c == '-' && len(t) > 1 && (alnum(t[1]) || t[1] == '.')) {
		return 0
	}
	end := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == ' ':
			if i+1 < len(t) && t[i+1] == '#' {
				return end
			}
		case c == ':':
			if i+1 == len(t) || t[i+1] == ' ' {
				return 0
			}
			end = i + 1
		case alnum(c) || strings.IndexByte("./_+-=@,()~", c) >= 0:
			end = i + 1
		default:
			return 0
		}
	}
	return end
}

// firstContent is the indent of the first line of text that is neither
// blank nor a comment, or -1.
func firstContent(text []byte) int {
	for len(text) > 0 {
		n, rest, after := nextLine(text)
		if len(rest) > 0 && rest[0] != '#' {
			return n
		}
		text = after
	}
	return -1
}
