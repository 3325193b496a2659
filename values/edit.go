package values

import (
	"fmt"
	"sort"
)

// An Edit replaces the bytes [Start, End) of a document's source with NewText.
// Lint fixes and migration steps are both expressed as edits, so that every
// byte outside an edit stays exactly as the user wrote it.
type Edit struct {
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"newText"`
}

// ApplyEdits returns src with edits applied. Edits may come in any order but
// must not overlap; two insertions at the same offset are applied in the
// order given.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	sorted := make([]Edit, len(edits))
	copy(sorted, edits)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	n := len(src)
	for _, e := range sorted {
		n += len(e.NewText) - (e.End - e.Start)
	}
	out := make([]byte, 0, max(n, 0))
	last := 0
	for _, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) out of range for %d bytes", e.Start, e.End, len(src))
		}
		if e.Start < last {
			return nil, fmt.Errorf("edit [%d,%d) overlaps a previous edit ending at %d", e.Start, e.End, last)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.NewText...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}
