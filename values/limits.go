package values

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxLimits are the largest limits accepted (Limits.Check): past them a
// run could not stay within memory anyway, and MaxBytes+1 would overflow.
func MaxLimits() Limits {
	return Limits{MaxBytes: 1 << 30, MaxDepth: 10_000, MaxNodes: 10_000_000}
}

// Check returns an error naming the flag of a limit outside 1..MaxLimits.
func (l Limits) Check() error {
	m := MaxLimits()
	switch {
	case l.MaxBytes < 1 || l.MaxBytes > m.MaxBytes:
		return fmt.Errorf("--max-bytes %d: want 1 to %d", l.MaxBytes, m.MaxBytes)
	case l.MaxDepth < 1 || l.MaxDepth > m.MaxDepth:
		return fmt.Errorf("--max-depth %d: want 1 to %d", l.MaxDepth, m.MaxDepth)
	case l.MaxNodes < 1 || l.MaxNodes > m.MaxNodes:
		return fmt.Errorf("--max-nodes %d: want 1 to %d", l.MaxNodes, m.MaxNodes)
	}
	return nil
}

// orDefault returns l, or DefaultLimits for the zero Limits.
func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits()
	}
	return l
}

// readLimit is how many bytes Read takes to tell a file over the limit.
func (l Limits) readLimit() int64 {
	if l.MaxBytes >= 1<<62 {
		return 1 << 62
	}
	return l.MaxBytes + 1
}

// setBudget bounds what --set flags may build before Helm's parser runs:
// list indices pad lists with nulls (`a[65535]=1` makes 65,536 values), so
// the sum of the indices, like the values of a file, stays under MaxNodes,
// and the nesting of keys and of --set-json values under MaxDepth. The
// messages name the flag and the limit, never the flag's text (it may hold
// a secret).
type setBudget struct {
	lim   Limits
	nodes int
}

func (b *setBudget) check(s Set, name string) error {
	fail := func(format string, a ...any) error {
		return &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("invalid %s: ", s.Kind.Flag()) + fmt.Sprintf(format, a...)}
	}
	expr := s.Expr
	for expr != "" {
		// the key: up to an unescaped '='
		depth, i := 1, 0
		for ; i < len(expr) && expr[i] != '='; i++ {
			switch expr[i] {
			case '\\':
				i++
			case '.':
				depth++
			case '[':
				j := strings.IndexByte(expr[i:], ']')
				if j < 0 {
					break
				}
				depth++
				if n, err := strconv.Atoi(expr[i+1 : i+j]); err == nil && n >= 0 {
					if n >= b.lim.MaxNodes-b.nodes {
						return fail("list index %d: the flags would set more than %d values (--max-nodes)", n, b.lim.MaxNodes)
					}
					b.nodes += n + 1
				}
				i += j
			}
		}
		if depth > b.lim.MaxDepth {
			return fail("keys nested deeper than %d levels (--max-depth)", b.lim.MaxDepth)
		}
		if i >= len(expr) {
			return nil // a key without value: Helm's parser reports it
		}
		rest := expr[i+1:]
		switch s.Kind {
		case SetLiteral:
			return nil // the rest is the value
		case SetJSON:
			d, n, err := jsonNesting(rest)
			if err != nil {
				return nil // Helm's parser reports it
			}
			if depth+d > b.lim.MaxDepth {
				return fail("value nested deeper than %d levels (--max-depth)", b.lim.MaxDepth)
			}
			rest = strings.TrimLeft(rest[n:], " \t")
		default:
			rest = skipSetValue(rest)
		}
		if !strings.HasPrefix(rest, ",") {
			return nil
		}
		expr = rest[1:]
		b.nodes++
		if b.nodes > b.lim.MaxNodes {
			return fail("more than %d values (--max-nodes)", b.lim.MaxNodes)
		}
	}
	return nil
}

// skipSetValue returns what follows the value at the start of s: a `{a,b}`
// list or a text up to an unescaped comma.
func skipSetValue(s string) string {
	if strings.HasPrefix(s, "{") {
		if j := strings.IndexByte(s, '}'); j >= 0 {
			return s[j+1:]
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ',':
			return s[i:]
		}
	}
	return ""
}

// jsonNesting returns the nesting depth of the JSON value at the start of s
// and its length in bytes, reading it token by token (linear, no tree).
func jsonNesting(s string) (depth, n int, err error) {
	dec := json.NewDecoder(strings.NewReader(s))
	cur := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				cur++
				depth = max(depth, cur)
			} else {
				cur--
			}
		}
		if cur == 0 {
			break
		}
	}
	return depth, int(dec.InputOffset()), nil
}

// checkLimits reports a merged tree deeper than MaxDepth or with more than
// MaxNodes values.
func checkLimits(root *Node, lim Limits, name string) error {
	nodes := 0
	var walk func(n *Node, depth int) error
	walk = func(n *Node, depth int) error {
		if depth > lim.MaxDepth {
			return &Error{Pos: n.Pos, Msg: fmt.Sprintf("values nested deeper than %d levels (--max-depth)", lim.MaxDepth)}
		}
		nodes++
		if nodes > lim.MaxNodes {
			return &Error{Pos: n.Pos, Msg: fmt.Sprintf("more than %d values in the merged layers (--max-nodes)", lim.MaxNodes)}
		}
		for _, e := range n.Entries {
			if err := walk(e, depth+1); err != nil {
				return err
			}
		}
		for _, it := range n.Items {
			if err := walk(it, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		if e, ok := err.(*Error); ok && e.Pos.File == "" {
			e.Pos.File = name
		}
		return err
	}
	return nil
}
