package redisstore

import (
	"context"
	"strconv"
	"testing"
	"time"

	"billbridge"
)

// Run with: TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench . ./redisstore/

// BenchmarkBegin claims a new key per iteration (the first request's path).
func BenchmarkBegin(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := s.Begin(ctx, "acct", strconv.Itoa(i), "fp", time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBeginReplay finds a completed 1 KiB response (a retry's path).
func BenchmarkBeginReplay(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	rec := &billbridge.IdempotencyRecord{AccountID: "acct", Key: "k", Fingerprint: "fp", Status: 201, ContentType: "application/json", Body: make([]byte, 1024)}
	if err := s.Complete(ctx, rec, time.Minute); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r, _, err := s.Begin(ctx, "acct", "k", "fp", time.Minute); err != nil || r.Status != 201 {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkComplete stores a 1 KiB response over a claim.
func BenchmarkComplete(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	rec := &billbridge.IdempotencyRecord{AccountID: "acct", Fingerprint: "fp", Status: 201, ContentType: "application/json", Body: make([]byte, 1024)}
	i := 0
	for b.Loop() {
		i++
		rec.Key = strconv.Itoa(i)
		if err := s.Complete(ctx, rec, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllow counts requests against one key that never runs out.
func BenchmarkAllow(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	limit := billbridge.RateLimit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000}
	for b.Loop() {
		if _, err := s.Allow(ctx, "api-key", limit); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllowParallel is BenchmarkAllow from GOMAXPROCS goroutines.
func BenchmarkAllowParallel(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	limit := billbridge.RateLimit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Allow(ctx, "api-key", limit); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
