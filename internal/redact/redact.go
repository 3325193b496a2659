// Package redact knows the texts of a run's secrets in every form they can
// be printed in, so that a message argument holding one is replaced when the
// message is rendered (package message) and external text (Helm's errors,
// parser errors quoting input) is scrubbed before it is shown.
//
// Which keys hold secrets is decided by one predicate (cue.Secrets.IsSecret:
// cue/secrets.cue, checked to cover every key a schema of any major marks
// secret); this package collects the values found at such keys, and so
// catches a value that reaches a secret key through an anchor, an alias, a
// `<<` merge or a layer: the same text elsewhere is the same secret.
package redact

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pxvalues/pxvalues/values"
)

// Mark replaces a secret in a message.
const Mark = "<redacted>"

// minForm is the shortest form matched inside a longer text; shorter
// secrets ("1", "yes") hide an argument only when they are all of it.
const minForm = 4

// minPart is the shortest argument hidden for being part of a secret (a
// truncated or split secret).
const minPart = 10

// Set holds the secret texts of a run. The zero Set and a nil *Set hold none.
type Set struct {
	long  []string        // forms of at least minForm bytes, longest first
	short map[string]bool // shorter forms: matched whole
	seen  map[string]bool
}

// Collect returns the texts of the scalars of docs (and of their layers)
// whose path isSecret reports (a value below a secret key is secret too),
// and what their --set flags give secret keys (AddSets).
func Collect(isSecret func(segs []string) bool, docs ...*values.Document) *Set {
	s := &Set{}
	var walk func(n *values.Node, segs []string, secret bool)
	walk = func(n *values.Node, segs []string, secret bool) {
		if n == nil {
			return
		}
		if secret {
			s.AddNode(n)
		}
		for _, e := range n.Entries { // shadowed duplicates too
			es := append(segs[:len(segs):len(segs)], e.Key)
			walk(e, es, secret || isSecret(es))
		}
		for i, it := range n.Items {
			is := append(segs[:len(segs):len(segs)], strconv.Itoa(i))
			walk(it, is, secret || isSecret(is))
		}
	}
	for _, d := range docs {
		if d == nil {
			continue
		}
		walk(d.Root, nil, false)
		s.AddSets(isSecret, d.Sets)
		for _, l := range d.Layers {
			if l != d {
				walk(l.Root, nil, false)
			}
		}
	}
	return s
}

// AddNode adds the text of a scalar node as written and as Helm reads it.
// A boolean or null carries no secret worth hiding (and hiding "true" would
// blank every boolean of every message).
func (s *Set) AddNode(n *values.Node) {
	switch n.Kind {
	case values.MapKind, values.ListKind, values.NullKind, values.BoolKind:
		return
	}
	s.Add(n.Raw)
	switch v := n.Value.(type) {
	case string:
		s.Add(v)
	case float64:
		for _, f := range []byte{'e', 'E', 'f', 'g', 'G'} {
			s.Add(strconv.FormatFloat(v, f, -1, 64))
		}
		if v == float64(int64(v)) {
			s.Add(strconv.FormatInt(int64(v), 10))
		}
	}
}

// Add adds a secret text in every form it can be printed in: as is, quoted
// and escaped as Go (%q), JSON and YAML do, with its whitespace collapsed as
// Helm's errors do, and line by line.
func (s *Set) Add(v string) {
	if v == "" || s.seen[v] {
		return
	}
	if s.seen == nil {
		s.seen, s.short = map[string]bool{}, map[string]bool{}
	}
	s.seen[v] = true
	forms := []string{v, inner(strconv.Quote(v)), inner(strconv.QuoteToASCII(v)), strings.ReplaceAll(v, "'", "''")}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, inner(string(b)))
	}
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) == nil {
		forms = append(forms, inner(strings.TrimSpace(plain.String())))
	}
	if c := strings.Join(strings.Fields(v), " "); c != v {
		forms = append(forms, c, inner(strconv.Quote(c)))
	}
	if strings.ContainsAny(v, "\r\n") {
		for _, l := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if l = strings.TrimSpace(l); len(l) >= minForm {
				forms = append(forms, l)
			}
		}
	}
	for _, f := range forms {
		s.addForm(f)
		// as an error message that collapses whitespace shows it
		if c := strings.Join(strings.Fields(f), " "); c != f {
			s.addForm(c)
		}
	}
}

func (s *Set) addForm(f string) {
	if f == "" {
		return
	}
	if len(f) < minForm {
		s.short[f] = true
		return
	}
	i := sort.Search(len(s.long), func(i int) bool { return len(s.long[i]) < len(f) })
	for j := i; j > 0 && len(s.long[j-1]) == len(f); j-- {
		if s.long[j-1] == f {
			return
		}
	}
	s.long = append(s.long, "")
	copy(s.long[i+1:], s.long[i:])
	s.long[i] = f
}

func inner(q string) string { return q[1 : len(q)-1] }

// Empty reports whether the set holds no secret.
func (s *Set) Empty() bool { return s == nil || len(s.seen) == 0 }

// Hides reports whether a message argument must not be printed: it holds a
// secret in one of its forms, is a short secret whole, or is a part of a
// secret (a truncation) of at least minPart bytes.
func (s *Set) Hides(arg string) bool {
	if s.Empty() || arg == "" {
		return false
	}
	t := strings.Trim(arg, "\"'`")
	if s.short[arg] || s.short[t] {
		return true
	}
	for _, f := range s.long {
		if strings.Contains(arg, f) {
			return true
		}
		if len(t) >= minPart && strings.Contains(f, t) {
			return true
		}
	}
	return false
}

// Scrub replaces every form of every secret in an external text (an error
// message of Helm or of a parser); short secrets are replaced where they
// stand quoted. The text of pxvalues' own messages is never scrubbed:
// their arguments are checked with Hides when they are rendered.
func (s *Set) Scrub(text string) string {
	if s.Empty() {
		return text
	}
	for _, f := range s.long {
		if strings.Contains(text, f) {
			text = strings.ReplaceAll(text, f, Mark)
		}
	}
	for f := range s.short {
		for _, q := range []string{`"`, `'`, "`"} {
			text = strings.ReplaceAll(text, q+f+q, q+Mark+q)
		}
	}
	return text
}

// Leaks reports whether text still holds a secret in one of its forms.
func (s *Set) Leaks(text string) bool {
	return !s.Empty() && slices.ContainsFunc(s.long, func(f string) bool { return strings.Contains(text, f) })
}

// AddSets adds what --set flags give a secret key: the value Helm reads and,
// as a value may hold an unescaped comma Helm splits on (`password=a,b`),
// everything after the secret key's `=` to the end of the flag, whole and
// in its comma- and equals-separated pieces.
func (s *Set) AddSets(isSecret func(segs []string) bool, sets []values.Set) {
	for _, set := range sets {
		expr := set.Expr
		for start := 0; start < len(expr); {
			end := clauseEnd(expr, start)
			clause := expr[start:end]
			if k, _, ok := strings.Cut(clause, "="); ok && isSecret(keySegments(k)) {
				rest := expr[start+len(k)+1:]
				s.Add(rest)
				for _, p := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == '=' }) {
					s.Add(p)
				}
				if set.Kind == values.SetLiteral {
					break
				}
			}
			start = end + 1
		}
	}
}

// clauseEnd returns the offset of the unescaped comma that ends the clause
// starting at start, or len(expr).
func clauseEnd(expr string, start int) int {
	for i := start; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			i++
		case ',':
			return i
		}
	}
	return len(expr)
}

// keySegments splits a --set key (`a.b[0].c`) into path segments.
func keySegments(k string) []string {
	return strings.FieldsFunc(k, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
}
