package inmem

import (
	"testing"

	"billbridge/internal/conformance"
)

// BenchmarkCache measures the in-process cache and limiter.
// Run with: go test -run '^$' -bench . ./inmem/
func BenchmarkCache(b *testing.B) {
	conformance.Benchmarks(b, func(tb testing.TB) conformance.Cache {
		s := New()
		tb.Cleanup(func() { _ = s.Close() })
		return s
	})
}
