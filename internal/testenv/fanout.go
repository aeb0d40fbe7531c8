package testenv

import (
	"sync"
	"testing"
)

// FanOut runs fn(i) for i in [0, n) on n goroutines released at once, the
// way parallel clients hit a server, and returns the results in order. An
// error fails the test (after every call has returned).
func FanOut[T any](tb testing.TB, n int, fn func(i int) (T, error)) []T {
	tb.Helper()
	out := make([]T, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i], errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			tb.Fatalf("call %d of %d: %v", i, n, err)
		}
	}
	return out
}
