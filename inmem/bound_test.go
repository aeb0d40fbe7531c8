package inmem

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"billbridge"
)

// complete stores a 201 response of n bytes under key of account "a".
func complete(t testing.TB, s *Store, key string, n int) {
	t.Helper()
	rec := &billbridge.IdempotencyRecord{AccountID: "a", Key: key, Fingerprint: "fp-" + key, Status: 201, Body: bytes.Repeat([]byte("x"), n)}
	if err := s.Complete(context.Background(), rec, 72*time.Hour); err != nil {
		t.Fatal(err)
	}
}

// held reports whether the cache still answers key with its response.
func held(t testing.TB, s *Store, key string) bool {
	t.Helper()
	rec, claimed, err := s.Begin(context.Background(), "a", key, "fp-"+key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if claimed {
		_ = s.Release(context.Background(), "a", key)
		return false
	}
	return rec.Status == 201
}

// TestIdempotencyBytesBounded stores 200 responses of 1 KiB in a cache of
// 20 KiB: it never holds more than its bound, forgets the least recently
// used first and keeps the newest.
func TestIdempotencyBytesBounded(t *testing.T) {
	s, _ := openFake(t)
	s.MaxBytes = 20 << 10
	for i := range 200 {
		complete(t, s, fmt.Sprint("k", i), 1<<10)
		if got := s.IdempotencyBytes(); got > s.MaxBytes {
			t.Fatalf("after %d responses the cache holds %d bytes, more than MaxBytes %d", i+1, got, s.MaxBytes)
		}
	}
	if held(t, s, "k0") || held(t, s, "k150") {
		t.Fatal("the oldest responses are still held past the byte bound")
	}
	if !held(t, s, "k199") || !held(t, s, "k190") {
		t.Fatal("the newest responses were forgotten")
	}
}

// TestIdempotencyBoundKeepsRecentlyUsed replays an old key before the cache
// fills: it is kept, and the untouched ones are forgotten instead.
func TestIdempotencyBoundKeepsRecentlyUsed(t *testing.T) {
	s, _ := openFake(t)
	s.MaxBytes = 8 * (1<<10 + entryOverhead + 16)
	for i := range 8 {
		complete(t, s, fmt.Sprint("k", i), 1<<10)
	}
	if !held(t, s, "k0") {
		t.Fatal("k0 forgotten before the cache was full")
	}
	complete(t, s, "k8", 1<<10) // forgets one: the least recently used is k1, not k0
	if !held(t, s, "k0") || held(t, s, "k1") {
		t.Fatalf("after one more response: k0 held %v, k1 held %v; want k0 kept and k1 forgotten", held(t, s, "k0"), held(t, s, "k1"))
	}
}

// TestIdempotencyOversizedResponseNotKept completes a claim with a response
// larger than the whole bound: it is not kept, the claim is gone (the next
// request claims again and finds the response in the database), and
// nothing else is evicted for it.
func TestIdempotencyOversizedResponseNotKept(t *testing.T) {
	ctx := context.Background()
	s, _ := openFake(t)
	s.MaxBytes = 16 << 10
	complete(t, s, "small", 100)
	if _, claimed, err := s.Begin(ctx, "a", "big", "fp-big", time.Minute); err != nil || !claimed {
		t.Fatalf("Begin = %v, %v", claimed, err)
	}
	complete(t, s, "big", 32<<10)
	if held(t, s, "big") {
		t.Fatal("a response larger than MaxBytes is held")
	}
	if !held(t, s, "small") {
		t.Fatal("an oversized response evicted a small one")
	}
	if got := s.IdempotencyBytes(); got > s.MaxBytes {
		t.Fatalf("cache holds %d bytes, more than MaxBytes %d", got, s.MaxBytes)
	}
}

// TestIdempotencyBytesAccounting checks the count returns to zero when
// every entry is released, expired and swept, or replaced.
func TestIdempotencyBytesAccounting(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	if _, _, err := s.Begin(ctx, "a", "claim", "fp", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, "a", "claim"); err != nil {
		t.Fatal(err)
	}
	complete(t, s, "k", 500)
	complete(t, s, "k", 900) // kept as it was: the first response wins
	if got, want := s.IdempotencyBytes(), recordSize(&billbridge.IdempotencyRecord{AccountID: "a", Key: "k", Fingerprint: "fp-k", Body: make([]byte, 500)}); got != want {
		t.Fatalf("IdempotencyBytes = %d, want %d", got, want)
	}
	c.Add(73 * time.Hour)
	s.mu.Lock()
	s.sweep(c.Now())
	s.mu.Unlock()
	if got := s.IdempotencyBytes(); got != 0 {
		t.Fatalf("after the sweep IdempotencyBytes = %d, want 0", got)
	}
}

// BenchmarkKeyedResponsesMemory stores keyed responses past the default
// bound (8 MiB) and reports the heap kept afterwards beside what the cache
// counts: 2,000 of 64 KiB (125 MiB in all), bounded and without a bound
// (the behaviour before the bound), and 30,000 of 600 bytes, the size of a
// customer's JSON (bench/soak's upserts, a new key each).
// Run with: go test -run '^$' -bench KeyedResponsesMemory -benchtime 1x ./inmem/
func BenchmarkKeyedResponsesMemory(b *testing.B) {
	for _, bc := range []struct {
		name    string
		max     int64
		n, size int
	}{{"bounded-64KiB", 0, 2000, 64 << 10}, {"unbounded-64KiB", 1 << 62, 2000, 64 << 10}, {"bounded-600B", 0, 30_000, 600}} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				s := New()
				s.MaxBytes = bc.max
				for i := range bc.n {
					complete(b, s, fmt.Sprintf("%064x", i), bc.size)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "heap-MiB")
				b.ReportMetric(float64(s.IdempotencyBytes())/(1<<20), "cache-MiB")
				_ = s.Close()
			}
		})
	}
}
