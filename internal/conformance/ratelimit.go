package conformance

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
)

// RateLimiter runs the contract of billbridge.RateLimiter (GCRA: Burst
// requests at once, refilled at Rate per Period) against limiters made by
// newLimiter, a fresh one for every subtest. It uses the real clock; where
// refills could happen during a subtest, the bounds allow for them.
func RateLimiter(t *testing.T, newLimiter func(t *testing.T) billbridge.RateLimiter) {
	ctx := context.Background()

	t.Run("RemainingCountsDown", func(t *testing.T) {
		l := newLimiter(t)
		limit := billbridge.RateLimit{Rate: 10, Period: time.Hour, Burst: 10} // one refill per 6 minutes
		for want := 9; want >= 0; want-- {
			r := mustAllow(t, l, "k", limit)
			if !r.Allowed || r.Remaining != want || r.RetryAfter != 0 {
				t.Fatalf("request %d: %+v, want allowed with Remaining %d and no RetryAfter", 10-want, r, want)
			}
			// After n requests the full burst is back n intervals later.
			if n := time.Duration(10 - want); r.ResetAfter <= (n-1)*6*time.Minute || r.ResetAfter > n*6*time.Minute {
				t.Fatalf("request %d: ResetAfter %v, want about %v", 10-want, r.ResetAfter, n*6*time.Minute)
			}
		}
		r := mustAllow(t, l, "k", limit)
		if r.Allowed || r.Remaining != 0 {
			t.Fatalf("11th request: %+v, want refused with Remaining 0", r)
		}
		if r.RetryAfter <= 5*time.Minute || r.RetryAfter > 6*time.Minute {
			t.Fatalf("11th request: RetryAfter %v, want just under 6m (one emission interval)", r.RetryAfter)
		}
		if r.ResetAfter <= 59*time.Minute || r.ResetAfter > time.Hour {
			t.Fatalf("11th request: ResetAfter %v, want just under 1h", r.ResetAfter)
		}
		if r2 := mustAllow(t, l, "other", limit); !r2.Allowed || r2.Remaining != 9 {
			t.Fatalf("another key: %+v, want allowed with Remaining 9", r2)
		}
	})

	t.Run("BurstAboveRate", func(t *testing.T) {
		l := newLimiter(t)
		limit := billbridge.RateLimit{Rate: 1, Period: time.Hour, Burst: 3}
		for want := 2; want >= 0; want-- {
			if r := mustAllow(t, l, "k", limit); !r.Allowed || r.Remaining != want {
				t.Fatalf("%+v, want allowed with Remaining %d", r, want)
			}
		}
		r := mustAllow(t, l, "k", limit)
		if r.Allowed || r.RetryAfter <= 59*time.Minute || r.RetryAfter > time.Hour {
			t.Fatalf("4th request: %+v, want refused with RetryAfter just under 1h", r)
		}
		if r.ResetAfter <= 2*time.Hour+59*time.Minute || r.ResetAfter > 3*time.Hour {
			t.Fatalf("4th request: ResetAfter %v, want just under 3h", r.ResetAfter)
		}
	})

	t.Run("ConcurrentExactBurst", func(t *testing.T) {
		l := newLimiter(t)
		limit := billbridge.RateLimit{Rate: 10, Period: time.Hour, Burst: 10}
		allowed, _ := hammer(t, l, "k", limit, 100)
		if allowed != 10 {
			t.Fatalf("100 concurrent calls at 10/h burst 10: %d allowed, want exactly 10", allowed)
		}
	})

	t.Run("ConcurrentPerSecond", func(t *testing.T) {
		l := newLimiter(t)
		limit := billbridge.RateLimit{Rate: 10, Period: time.Second, Burst: 10}
		interval := limit.Period / time.Duration(limit.Rate)
		start := time.Now()
		allowed, maxRetry := hammer(t, l, "k", limit, 100)
		elapsed := time.Since(start)
		// GCRA lets through the burst plus one request per interval elapsed.
		if most := 10 + int(elapsed/interval) + 1; allowed < 10 || allowed > most {
			t.Fatalf("100 concurrent calls at 10/s burst 10 over %v: %d allowed, want 10 to %d", elapsed, allowed, most)
		}
		if maxRetry <= 0 || maxRetry > interval {
			t.Fatalf("refused calls: largest RetryAfter %v, want in (0, %v]", maxRetry, interval)
		}
		if r := mustAllow(t, l, "unrelated", limit); !r.Allowed || r.Remaining != 9 {
			t.Fatalf("a second key: %+v, want allowed with Remaining 9", r)
		}
		t.Logf("%d of 100 allowed in %v", allowed, elapsed)
	})

	t.Run("RetryAfterIsHonest", func(t *testing.T) {
		l := newLimiter(t)
		limit := billbridge.RateLimit{Rate: 10, Period: time.Second, Burst: 1}
		mustAllow(t, l, "k", limit)
		r := mustAllow(t, l, "k", limit)
		for r.Allowed { // a slow machine may have refilled already
			r = mustAllow(t, l, "k", limit)
		}
		if r.RetryAfter <= 0 || r.RetryAfter > 100*time.Millisecond {
			t.Fatalf("refused: RetryAfter %v, want in (0, 100ms]", r.RetryAfter)
		}
		time.Sleep(r.RetryAfter + 5*time.Millisecond)
		if r := mustAllow(t, l, "k", limit); !r.Allowed {
			t.Fatalf("after waiting RetryAfter: %+v, want allowed", r)
		}
	})

	t.Run("InvalidLimit", func(t *testing.T) {
		l := newLimiter(t)
		for _, limit := range []billbridge.RateLimit{
			{Rate: 0, Period: time.Second, Burst: 1},
			{Rate: 1, Period: 0, Burst: 1},
			{Rate: 1, Period: time.Second, Burst: 0},
			{Rate: -1, Period: time.Second, Burst: 1},
		} {
			if _, err := l.Allow(ctx, "k", limit); err == nil {
				t.Errorf("Allow with %+v: want an error", limit)
			}
		}
	})
}

func mustAllow(t *testing.T, l billbridge.RateLimiter, key string, limit billbridge.RateLimit) billbridge.RateResult {
	t.Helper()
	r, err := l.Allow(context.Background(), key, limit)
	if err != nil {
		t.Fatalf("Allow(%q): %v", key, err)
	}
	return r
}

// hammer calls Allow n times at once and returns how many were allowed and
// the largest RetryAfter of those refused. Every refused result must have
// Remaining 0 and a positive RetryAfter.
func hammer(t *testing.T, l billbridge.RateLimiter, key string, limit billbridge.RateLimit, n int) (allowed int, maxRetry time.Duration) {
	t.Helper()
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		mu     sync.Mutex
		failed atomic.Value
	)
	for range n {
		wg.Go(func() {
			<-start
			r, err := l.Allow(context.Background(), key, limit)
			if err != nil {
				failed.Store(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if r.Allowed {
				allowed++
				return
			}
			if r.Remaining != 0 || r.RetryAfter <= 0 {
				t.Errorf("refused result %+v: want Remaining 0 and RetryAfter > 0", r)
			}
			maxRetry = max(maxRetry, r.RetryAfter)
		})
	}
	close(start)
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		t.Fatalf("Allow: %v", err)
	}
	return allowed, maxRetry
}
