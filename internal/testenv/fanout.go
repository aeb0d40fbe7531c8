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
	return Start(tb, n, fn)()
}

// Start is FanOut that does not wait: it releases fn(i) for i in [0, n) on
// n goroutines at once and returns, so the test goes on beside them (takes
// a backup under their writes, kills a server under their requests, tells
// them to stop), then calls wait for their results in order. An error
// fails the test in wait, after every call has returned. fn must not call
// t.Fatal (it runs outside the test's goroutine): it returns its error.
func Start[T any](tb testing.TB, n int, fn func(i int) (T, error)) (wait func() []T) {
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
	return func() []T {
		tb.Helper()
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				tb.Fatalf("call %d of %d: %v", i, n, err)
			}
		}
		return out
	}
}
