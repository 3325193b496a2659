// Package par is pxvalues' one worker pool.
package par

import "sync"

// Do calls f(i) for every i in [0, n) on at most jobs goroutines (at least
// one) and returns when every call has returned. f writes its result to
// its own index: the caller reads them in order afterwards.
func Do(n, jobs int, f func(i int)) {
	jobs = max(1, min(jobs, n))
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
