// Package par is pxvalues' one worker pool.
package par

import "sync"

// Do calls f(i) for every i in [0, n) on at most jobs goroutines (at least
// one; with one, in order on the caller's) and returns when every call has
// returned. f writes its result to its own index: the caller reads them in
// order afterwards.
func Do(n, jobs int, f func(i int)) {
	jobs = max(1, min(jobs, n))
	if jobs == 1 {
		// One worker: the caller's goroutine is it (no goroutine to
		// start, no other thread to wake, no second stack to grow).
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
