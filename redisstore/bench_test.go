package redisstore

import (
	"testing"

	"billbridge/internal/conformance"
)

// BenchmarkCache measures the Redis cache and limiter.
// Run with: TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench . ./redisstore/
func BenchmarkCache(b *testing.B) {
	conformance.Benchmarks(b, func(tb testing.TB) conformance.Cache { return openTest(tb) })
}
