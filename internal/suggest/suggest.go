// Package suggest finds the likely intended word for a misspelt one: the
// did-you-mean of unknown keys, enum values, flags, commands and rule ids.
package suggest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Closest returns the candidate nearest to s when it is near enough to be a
// likely typo: the same word in another case, or within an edit distance of
// about a quarter of its length (transpositions count once).
func Closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := max(1, len(s)/4)
	if len(s) <= 3 {
		limit = 1
	}
	n := utf8.RuneCountInString(s)
	for _, c := range candidates {
		if c == s {
			continue
		}
		// The distance is at least the difference in length: skip what
		// cannot be near enough (a file of 100,000 unknown keys stays fast).
		if d := utf8.RuneCountInString(c) - n; d > limit || -d > limit {
			continue
		}
		d := distance(s, c, true)
		if d == 0 {
			return c
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// Distance is the optimal string alignment distance between a and b.
func Distance(a, b string) int { return distance(a, b, false) }

// maxRunes is the longest word Distance measures; longer words are only
// equal or far apart.
const maxRunes = 64

// distance is the optimal string alignment distance between a and b, with
// letter case folded when fold is set. It allocates nothing: a file with
// tens of thousands of unknown keys asks for millions of distances.
func distance(a, b string, fold bool) int {
	var ra, rb [maxRunes]rune
	na, okA := runesOf(&ra, a, fold)
	nb, okB := runesOf(&rb, b, fold)
	if !okA || !okB {
		if a == b || fold && strings.EqualFold(a, b) {
			return 0
		}
		return 1 << 20
	}
	var rows [3][maxRunes + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= nb; j++ {
		prev[j] = j
	}
	for i := 1; i <= na; i++ {
		cur[0] = i
		for j := 1; j <= nb; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[nb]
}

// runesOf decodes s into buf (lower-cased when fold is set) and says how
// many runes it holds; false when s is longer than buf.
func runesOf(buf *[maxRunes]rune, s string, fold bool) (int, bool) {
	n := 0
	for _, r := range s {
		if n == maxRunes {
			return 0, false
		}
		if fold {
			r = unicode.ToLower(r)
		}
		buf[n] = r
		n++
	}
	return n, true
}

// ClosestUnique returns the candidate nearest to s (as Closest does) only
// when no other candidate is as near: a fix may rename only when the match
// is unique.
func ClosestUnique(s string, candidates []string) string {
	best := Closest(s, candidates)
	if best == "" {
		return ""
	}
	d := distance(s, best, true)
	for _, c := range candidates {
		if c == best || c == s {
			continue
		}
		if n := utf8.RuneCountInString(c) - utf8.RuneCountInString(s); n > d || -n > d {
			continue
		}
		if distance(s, c, true) <= d {
			return ""
		}
	}
	return best
}
