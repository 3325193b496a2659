// Package suggest finds the likely intended word for a misspelt one: the
// did-you-mean of unknown keys, enum values, flags, commands and rule ids.
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate nearest to s when it is near enough to be a
// likely typo: the same word in another case, or within an edit distance of
// about a quarter of its length (transpositions count once).
func Closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
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
		d := Distance(ls, strings.ToLower(c))
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
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
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
	return prev[len(rb)]
}

// ClosestUnique returns the candidate nearest to s (as Closest does) only
// when no other candidate is as near: a fix may rename only when the match
// is unique.
func ClosestUnique(s string, candidates []string) string {
	best := Closest(s, candidates)
	if best == "" {
		return ""
	}
	d := Distance(strings.ToLower(s), strings.ToLower(best))
	for _, c := range candidates {
		if c == best || c == s {
			continue
		}
		if n := utf8.RuneCountInString(c) - utf8.RuneCountInString(s); n > d || -n > d {
			continue
		}
		if Distance(strings.ToLower(s), strings.ToLower(c)) <= d {
			return ""
		}
	}
	return best
}
