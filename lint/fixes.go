package lint

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/values"
)

// sourceSpan returns the byte range of a scalar or key written at pos with
// the decoded text raw: plain, or in single or double quotes without
// escapes (then the range is inside the quotes). ok is false when the
// source does not hold raw there (a flow style, an escape, an alias).
func (r *run) sourceSpan(pos values.Pos, raw string) (start, end int, quoted, ok bool) {
	src := r.doc.Source(pos.File)
	start = pos.Offset
	if pos.Line <= 0 || start < 0 || start >= len(src) {
		return 0, 0, false, false
	}
	if q := src[start]; q == '"' || q == '\'' {
		start++
		end = start + len(raw)
		if end < len(src) && string(src[start:end]) == raw && src[end] == q && !strings.ContainsAny(raw, "\\'\"") {
			return start, end, true, true
		}
		return 0, 0, false, false
	}
	end = start + len(raw)
	if end <= len(src) && string(src[start:end]) == raw {
		return start, end, false, true
	}
	return 0, 0, false, false
}

// plainSafe matches text that every YAML reader, Helm's included, reads as
// the same string when written plain.
var plainSafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_./-]*$`) })

// yaml11Words are plain words Helm (YAML 1.1) reads as booleans or null.
var yaml11Words = map[string]bool{
	"y": true, "yes": true, "n": true, "no": true, "true": true, "false": true,
	"on": true, "off": true, "null": true, "~": true,
}

// plainText returns s as it must be written plain, or quoted when a plain
// s would read as something else.
func plainText(s string) string {
	if plainSafe().MatchString(s) && !yaml11Words[strings.ToLower(s)] {
		return s
	}
	return strconv.Quote(s)
}

// renameKeyFix is the fix of an unknown key with a unique did-you-mean:
// rename it, unless its map already has that key (the rename would make a
// duplicate) or the key comes from a merge or an alias.
func (r *run) renameKeyFix(e *values.Node, to string) *Fix {
	if e.Merged || e.Alias || e.Parent == nil || e.Parent.Get(to) != nil || e.RawKey != e.Key {
		return nil
	}
	start, end, quoted, ok := r.sourceSpan(e.KeyPos, e.RawKey)
	if !ok {
		return nil
	}
	text := to
	if !quoted {
		text = plainText(to)
	}
	return &Fix{Message: "rename `" + e.Key + "` to `" + to + "`", Edits: []values.Edit{{Start: start, End: end, NewText: text}}}
}

// enumFix is the fix of a string outside its enum with a unique
// did-you-mean: write the allowed value instead.
func (r *run) enumFix(n *values.Node, to string) *Fix {
	s, isStr := n.Value.(string)
	if !isStr || n.Alias || n.Merged {
		return nil
	}
	start, end, quoted, ok := r.sourceSpan(n.Pos, n.Raw)
	if !ok || n.Raw != s {
		return nil
	}
	text := to
	if !quoted {
		text = plainText(to)
	} else if strings.ContainsAny(to, "\\'\"") {
		return nil
	}
	return &Fix{Message: "write `" + to + "`", Edits: []values.Edit{{Start: start, End: end, NewText: text}}}
}
