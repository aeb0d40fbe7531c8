package inmem

import (
	"context"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/conformance"
	"billbridge/internal/testenv"
)

func TestIdempotencyCacheConformance(t *testing.T) {
	conformance.IdempotencyCache(t, func(t *testing.T) billbridge.IdempotencyCache {
		return open(t)
	})
}

func TestRateLimiterConformance(t *testing.T) {
	conformance.RateLimiter(t, func(t *testing.T) billbridge.RateLimiter {
		return open(t)
	})
}

// open returns a Store on the real clock, closed when the test ends.
func open(t *testing.T) *Store {
	s := New()
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// openFake returns a Store on a fake clock that never sweeps by itself.
func openFake(t *testing.T) (*Store, *testenv.Clock) {
	c := testenv.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := New()
	s.Clock = c.Now
	s.SweepEvery = time.Hour
	t.Cleanup(func() { _ = s.Close() })
	return s, c
}

func TestClaimExpiresExactly(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	if _, claimed, err := s.Begin(ctx, "a", "k", "fp", 10*time.Second); err != nil || !claimed {
		t.Fatalf("Begin = %v, %v; want a claim", claimed, err)
	}
	c.Add(10*time.Second - time.Millisecond)
	rec, claimed, err := s.Begin(ctx, "a", "k", "fp2", 10*time.Second)
	if err != nil || claimed || rec.Status != 0 || rec.Fingerprint != "fp" {
		t.Fatalf("just before expiry: %+v, %v, %v; want the claim held", rec, claimed, err)
	}
	if want := c.Now().Add(time.Millisecond); !rec.ExpiresAt.Equal(want) {
		t.Fatalf("ExpiresAt = %v, want %v", rec.ExpiresAt, want)
	}
	c.Add(time.Millisecond)
	if _, claimed, err := s.Begin(ctx, "a", "k", "fp2", 10*time.Second); err != nil || !claimed {
		t.Fatalf("at expiry: %v, %v; want a new claim", claimed, err)
	}
}

func TestRecordExpiresExactly(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	created := c.Now()
	if err := s.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: "a", Key: "k", Fingerprint: "fp", Status: 201}, time.Hour); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Hour - time.Millisecond)
	rec, claimed, err := s.Begin(ctx, "a", "k", "fp", time.Minute)
	if err != nil || claimed || rec.Status != 201 || !rec.CreatedAt.Equal(created) || !rec.ExpiresAt.Equal(created.Add(time.Hour)) {
		t.Fatalf("before expiry: %+v, %v, %v; want the record", rec, claimed, err)
	}
	c.Add(time.Millisecond)
	if _, claimed, err := s.Begin(ctx, "a", "k", "fp", time.Minute); err != nil || !claimed {
		t.Fatalf("at expiry: %v, %v; want a new claim", claimed, err)
	}
}

func TestExpiredRecordIsReplaced(t *testing.T) {
	// Complete after the first response expired stores the new one.
	ctx := context.Background()
	s, c := openFake(t)
	for i, body := range []string{"one", "two"} {
		if err := s.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: "a", Key: "k", Status: 200, Body: []byte(body)}, time.Minute); err != nil {
			t.Fatal(err)
		}
		rec, _, err := s.Begin(ctx, "a", "k", "fp", time.Minute)
		if err != nil || string(rec.Body) != body {
			t.Fatalf("round %d: %+v, %v; want body %q", i, rec, err, body)
		}
		c.Add(time.Minute)
	}
}

func TestReturnedRecordIsACopy(t *testing.T) {
	ctx := context.Background()
	s, _ := openFake(t)
	if err := s.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: "a", Key: "k", Status: 200, Body: []byte("abc")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := s.Begin(ctx, "a", "k", "fp", time.Minute)
	rec.Body[0] = 'X'
	rec.Status = 500
	rec, _, _ = s.Begin(ctx, "a", "k", "fp", time.Minute)
	if rec.Status != 200 || string(rec.Body) != "abc" {
		t.Fatalf("stored record changed through a returned one: %+v", rec)
	}
}

func TestGCRAExact(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	limit := billbridge.RateLimit{Rate: 10, Period: time.Second, Burst: 5} // one per 100ms
	allow := func() billbridge.RateResult {
		t.Helper()
		r, err := s.Allow(ctx, "k", limit)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for i := range 5 {
		want := billbridge.RateResult{Allowed: true, Remaining: 4 - i, ResetAfter: time.Duration(i+1) * 100 * time.Millisecond}
		if r := allow(); r != want {
			t.Fatalf("request %d = %+v, want %+v", i+1, r, want)
		}
	}
	if r, want := allow(), (billbridge.RateResult{RetryAfter: 100 * time.Millisecond, ResetAfter: 500 * time.Millisecond}); r != want {
		t.Fatalf("6th = %+v, want %+v", r, want)
	}
	c.Add(30 * time.Millisecond)
	if r, want := allow(), (billbridge.RateResult{RetryAfter: 70 * time.Millisecond, ResetAfter: 470 * time.Millisecond}); r != want {
		t.Fatalf("after 30ms = %+v, want %+v", r, want)
	}
	c.Add(70 * time.Millisecond)
	if r, want := allow(), (billbridge.RateResult{Allowed: true, Remaining: 0, ResetAfter: 500 * time.Millisecond}); r != want {
		t.Fatalf("after 100ms = %+v, want %+v", r, want)
	}
	c.Add(250 * time.Millisecond) // 2.5 intervals: two whole requests back
	if r, want := allow(), (billbridge.RateResult{Allowed: true, Remaining: 1, ResetAfter: 350 * time.Millisecond}); r != want {
		t.Fatalf("after 250ms more = %+v, want %+v", r, want)
	}
	c.Add(time.Hour)
	if r, want := allow(), (billbridge.RateResult{Allowed: true, Remaining: 4, ResetAfter: 100 * time.Millisecond}); r != want {
		t.Fatalf("after an hour = %+v, want %+v", r, want)
	}
}

func TestSweep(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	if _, _, err := s.Begin(ctx, "a", "claim", "fp", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: "a", Key: "done", Status: 200}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Allow(ctx, "k", billbridge.RateLimit{Rate: 1, Period: time.Minute, Burst: 1}); err != nil {
		t.Fatal(err)
	}
	sizes := func() (int, int) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sweep(s.Clock.Now())
		return len(s.idem), len(s.tats)
	}
	if i, r := sizes(); i != 2 || r != 1 {
		t.Fatalf("before expiry: %d records, %d rate keys; want 2, 1", i, r)
	}
	c.Add(time.Minute)
	if i, r := sizes(); i != 1 || r != 0 {
		t.Fatalf("after a minute: %d records, %d rate keys; want 1, 0", i, r)
	}
	c.Add(time.Hour)
	if i, r := sizes(); i != 0 || r != 0 {
		t.Fatalf("after an hour: %d records, %d rate keys; want 0, 0", i, r)
	}
}

func TestSweepRunsAndStops(t *testing.T) {
	ctx := context.Background()
	s, c := openFake(t)
	s.SweepEvery = time.Millisecond
	if _, _, err := s.Begin(ctx, "a", "k", "fp", time.Minute); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		n := len(s.idem)
		s.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the periodic sweep did not remove an expired claim within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil { // returns only once the sweep has ended
		t.Fatal(err)
	}
	select {
	case <-s.done:
	default:
		t.Fatal("sweep still running after Close")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestCanceledContext(t *testing.T) {
	s, _ := openFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Begin(ctx, "a", "k", "fp", time.Minute); err == nil {
		t.Error("Begin with a canceled context: want an error")
	}
	if _, err := s.Allow(ctx, "k", billbridge.RateLimit{Rate: 1, Period: time.Second, Burst: 1}); err == nil {
		t.Error("Allow with a canceled context: want an error")
	}
}
