package conformance

import (
	"context"
	"strconv"
	"testing"
	"time"

	"billbridge"
)

// Cache is what the benchmarks drive: both contracts in one value, as
// redisstore.Store and inmem.Store provide them.
type Cache interface {
	billbridge.IdempotencyCache
	billbridge.RateLimiter
}

// Benchmarks measures one implementation's idempotency and rate-limit calls
// as sub-benchmarks: Begin (a first request), BeginReplay (a retry finding
// a stored 1 KiB response), Complete, Allow and AllowParallel.
func Benchmarks(b *testing.B, open func(testing.TB) Cache) {
	ctx := context.Background()
	limit := billbridge.RateLimit{Rate: 1_000_000, Period: time.Second, Burst: 1_000_000}
	b.Run("Begin", func(b *testing.B) {
		s := open(b)
		i := 0
		for b.Loop() {
			i++
			if _, _, err := s.Begin(ctx, "acct", strconv.Itoa(i), "fp", time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BeginReplay", func(b *testing.B) {
		s := open(b)
		rec := &billbridge.IdempotencyRecord{AccountID: "acct", Key: "k", Fingerprint: "fp", Status: 201, ContentType: "application/json", Body: make([]byte, 1024)}
		if err := s.Complete(ctx, rec, time.Minute); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if r, _, err := s.Begin(ctx, "acct", "k", "fp", time.Minute); err != nil || r.Status != 201 {
				b.Fatal(r, err)
			}
		}
	})
	b.Run("Complete", func(b *testing.B) {
		s := open(b)
		rec := &billbridge.IdempotencyRecord{AccountID: "acct", Fingerprint: "fp", Status: 201, ContentType: "application/json", Body: make([]byte, 1024)}
		i := 0
		for b.Loop() {
			i++
			rec.Key = strconv.Itoa(i)
			if err := s.Complete(ctx, rec, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Allow", func(b *testing.B) {
		s := open(b)
		for b.Loop() {
			if _, err := s.Allow(ctx, "api-key", limit); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AllowParallel", func(b *testing.B) {
		s := open(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Allow(ctx, "api-key", limit); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
