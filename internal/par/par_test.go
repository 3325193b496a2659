package par

import (
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	for _, tc := range []struct{ n, jobs int }{{0, 4}, {1, 0}, {5, 1}, {100, 3}, {3, 10}} {
		out := make([]int, tc.n)
		var running, peak atomic.Int32
		Do(tc.n, tc.jobs, func(i int) {
			r := running.Add(1)
			for {
				p := peak.Load()
				if r <= p || peak.CompareAndSwap(p, r) {
					break
				}
			}
			out[i] = i * i
			running.Add(-1)
		})
		for i, v := range out {
			if v != i*i {
				t.Errorf("n=%d jobs=%d: out[%d] = %d", tc.n, tc.jobs, i, v)
			}
		}
		if lim := int32(max(1, tc.jobs)); peak.Load() > lim {
			t.Errorf("n=%d jobs=%d: %d calls at once", tc.n, tc.jobs, peak.Load())
		}
	}
}
