// Package conformance holds the test suites every implementation of
// billbridge.IdempotencyCache and billbridge.RateLimiter must pass (redisstore
// and inmem run them), and StartRedis, a throwaway redis-server for tests
// that stop and restart Redis. It is imported by tests only.
package conformance

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"billbridge"
)

// IdempotencyCache runs the contract of billbridge.IdempotencyCache against
// caches made by newCache, a fresh and empty one for every subtest. The
// suite uses the real clock; expiry is awaited by polling, never assumed.
func IdempotencyCache(t *testing.T, newCache func(t *testing.T) billbridge.IdempotencyCache) {
	const (
		acct = "acct_1"
		fp1  = "fp-one"
		fp2  = "fp-two"
		lock = time.Minute
		ttl  = time.Hour
	)
	ctx := context.Background()

	t.Run("ClaimThenInFlightThenReplay", func(t *testing.T) {
		c := newCache(t)
		before := time.Now()
		mustClaim(t, c, acct, "k", fp1, lock)
		rec := mustHeld(t, c, acct, "k", fp1)
		if rec.Status != 0 || rec.Fingerprint != fp1 || rec.AccountID != acct || rec.Key != "k" {
			t.Fatalf("in-flight record = %+v, want Status 0, Fingerprint %q, AccountID %q, Key %q", rec, fp1, acct, "k")
		}
		checkWithin(t, "claim ExpiresAt", rec.ExpiresAt, before.Add(lock), time.Now().Add(lock))

		body := []byte("{\"id\":\"cus_1\"}\r\n\x00\xff\xfe not utf-8 \"é\"")
		done := &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 201, ContentType: "application/json; charset=utf-8", Body: body}
		before = time.Now()
		mustComplete(t, c, done, ttl)
		after := time.Now()
		body[0] = 'X' // the cache must have kept its own copy

		rec = mustHeld(t, c, acct, "k", fp1)
		if rec.Status != 201 || rec.ContentType != "application/json; charset=utf-8" || rec.Fingerprint != fp1 {
			t.Fatalf("replayed record = %+v", rec)
		}
		if want := []byte("{\"id\":\"cus_1\"}\r\n\x00\xff\xfe not utf-8 \"é\""); !bytes.Equal(rec.Body, want) {
			t.Fatalf("replayed body = %q, want %q", rec.Body, want)
		}
		checkWithin(t, "record ExpiresAt", rec.ExpiresAt, before.Add(ttl), after.Add(ttl))
		checkWithin(t, "record CreatedAt", rec.CreatedAt, before, after)
	})

	t.Run("OtherFingerprintSeesHolder", func(t *testing.T) {
		c := newCache(t)
		mustClaim(t, c, acct, "k", fp1, lock)
		if rec := mustHeld(t, c, acct, "k", fp2); rec.Status != 0 || rec.Fingerprint != fp1 {
			t.Fatalf("in-flight seen with another fingerprint = %+v, want Status 0 and Fingerprint %q", rec, fp1)
		}
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 200, Body: []byte("ok")}, ttl)
		if rec := mustHeld(t, c, acct, "k", fp2); rec.Status != 200 || rec.Fingerprint != fp1 {
			t.Fatalf("completed seen with another fingerprint = %+v, want Status 200 and Fingerprint %q", rec, fp1)
		}
	})

	t.Run("ReleaseDropsOnlyClaims", func(t *testing.T) {
		c := newCache(t)
		if err := c.Release(ctx, acct, "nobody"); err != nil {
			t.Fatalf("Release of an unheld key: %v", err)
		}
		mustClaim(t, c, acct, "k", fp1, lock)
		if err := c.Release(ctx, acct, "k"); err != nil {
			t.Fatal(err)
		}
		mustClaim(t, c, acct, "k", fp2, lock) // free again, for any request
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp2, Status: 500, Body: []byte("boom")}, ttl)
		if err := c.Release(ctx, acct, "k"); err != nil {
			t.Fatal(err)
		}
		if rec := mustHeld(t, c, acct, "k", fp2); rec.Status != 500 || string(rec.Body) != "boom" {
			t.Fatalf("after Release of a completed key: %+v, want the stored 500", rec)
		}
	})

	t.Run("FirstResponseWins", func(t *testing.T) {
		c := newCache(t)
		mustClaim(t, c, acct, "k", fp1, lock)
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 201, Body: []byte("first")}, ttl)
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp2, Status: 200, Body: []byte("second")}, ttl)
		if rec := mustHeld(t, c, acct, "k", fp1); rec.Status != 201 || string(rec.Body) != "first" || rec.Fingerprint != fp1 {
			t.Fatalf("record = %+v, want the first response", rec)
		}
	})

	t.Run("CompleteWithoutClaim", func(t *testing.T) {
		// The middleware may refill the cache from the database.
		c := newCache(t)
		created := time.UnixMilli(time.Now().Add(-time.Hour).UnixMilli())
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 204, CreatedAt: created}, ttl)
		rec := mustHeld(t, c, acct, "k", fp1)
		if rec.Status != 204 || len(rec.Body) != 0 || !rec.CreatedAt.Equal(created) {
			t.Fatalf("record = %+v, want Status 204, empty body, CreatedAt %v", rec, created)
		}
	})

	t.Run("LargeBody", func(t *testing.T) {
		c := newCache(t)
		body := make([]byte, 1<<20)
		for i := range body {
			body[i] = byte(i*7 + i/251)
		}
		mustClaim(t, c, acct, "k", fp1, lock)
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 200, Body: body}, ttl)
		if rec := mustHeld(t, c, acct, "k", fp1); !bytes.Equal(rec.Body, body) {
			t.Fatalf("1 MiB body came back with %d bytes, not byte-exact", len(rec.Body))
		}
	})

	t.Run("AccountScoping", func(t *testing.T) {
		c := newCache(t)
		mustClaim(t, c, "acct_a", "k", fp1, lock)
		mustClaim(t, c, "acct_b", "k", fp2, lock)
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: "acct_a", Key: "k", Fingerprint: fp1, Status: 201, Body: []byte("a")}, ttl)
		if rec := mustHeld(t, c, "acct_b", "k", fp2); rec.Status != 0 || rec.Fingerprint != fp2 || rec.AccountID != "acct_b" {
			t.Fatalf("account b sees %+v, want its own claim", rec)
		}
		if err := c.Release(ctx, "acct_b", "k"); err != nil {
			t.Fatal(err)
		}
		if rec := mustHeld(t, c, "acct_a", "k", fp1); rec.Status != 201 {
			t.Fatalf("account a after b's release = %+v, want its 201", rec)
		}
		mustClaim(t, c, "acct_b", "k", fp2, lock)
		// Joining account and key must not make two pairs collide.
		mustClaim(t, c, "x:y", "z", fp1, lock)
		mustClaim(t, c, "x", "y:z", fp1, lock)
	})

	t.Run("ClaimExpires", func(t *testing.T) {
		c := newCache(t)
		mustClaim(t, c, acct, "long", fp1, lock)
		mustHeld(t, c, acct, "long", fp1)
		mustClaim(t, c, acct, "short", fp1, 50*time.Millisecond)
		eventually(t, "the 50ms claim to lapse", func() bool {
			_, claimed, err := c.Begin(ctx, acct, "short", fp2, lock)
			if err != nil {
				t.Fatal(err)
			}
			return claimed
		})
	})

	t.Run("RecordExpires", func(t *testing.T) {
		c := newCache(t)
		mustClaim(t, c, acct, "k", fp1, lock)
		mustComplete(t, c, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 201, Body: []byte("x")}, 50*time.Millisecond)
		eventually(t, "the 50ms record to expire", func() bool {
			_, claimed, err := c.Begin(ctx, acct, "k", fp2, lock)
			if err != nil {
				t.Fatal(err)
			}
			return claimed
		})
	})

	t.Run("InvalidArguments", func(t *testing.T) {
		c := newCache(t)
		for _, d := range []time.Duration{0, -time.Second} {
			if _, claimed, err := c.Begin(ctx, acct, "k", fp1, d); err == nil || claimed {
				t.Errorf("Begin with lockTTL %v: claimed %v, err %v; want an error", d, claimed, err)
			}
			if err := c.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Status: 200}, d); err == nil {
				t.Errorf("Complete with ttl %v: want an error", d)
			}
		}
		if err := c.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k"}, ttl); err == nil {
			t.Error("Complete with Status 0: want an error")
		}
		mustClaim(t, c, acct, "k", fp1, lock) // nothing was stored
	})

	t.Run("ConcurrentBegin", func(t *testing.T) {
		c := newCache(t)
		const n = 100
		var (
			wg       sync.WaitGroup
			start    = make(chan struct{})
			mu       sync.Mutex
			claimed  int
			inFlight int
			replayed int
			bad      []string
		)
		for range n {
			wg.Go(func() {
				<-start
				rec, ok, err := c.Begin(ctx, acct, "k", fp1, lock)
				if ok && err == nil {
					// Complete at once so later callers may see the record.
					err = c.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: acct, Key: "k", Fingerprint: fp1, Status: 201, Body: []byte("won")}, ttl)
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					bad = append(bad, err.Error())
				case ok:
					claimed++
				case rec.Status == 0 && rec.Fingerprint == fp1:
					inFlight++
				case rec.Status == 201 && string(rec.Body) == "won" && rec.Fingerprint == fp1:
					replayed++
				default:
					bad = append(bad, fmt.Sprintf("unexpected record %+v", rec))
				}
			})
		}
		close(start)
		wg.Wait()
		if len(bad) > 0 {
			t.Fatalf("%d calls went wrong, first: %s", len(bad), bad[0])
		}
		if claimed != 1 || inFlight+replayed != n-1 {
			t.Fatalf("claimed %d, in flight %d, replayed %d; want exactly 1 claim among %d", claimed, inFlight, replayed, n)
		}
		t.Logf("claimed 1, saw in flight %d, saw the completed record %d", inFlight, replayed)
	})
}

func mustClaim(t *testing.T, c billbridge.IdempotencyCache, acct, key, fp string, lockTTL time.Duration) {
	t.Helper()
	rec, claimed, err := c.Begin(context.Background(), acct, key, fp, lockTTL)
	if err != nil {
		t.Fatalf("Begin(%q, %q): %v", acct, key, err)
	}
	if !claimed || rec != nil {
		t.Fatalf("Begin(%q, %q) = %+v, %v; want a claim", acct, key, rec, claimed)
	}
}

// mustHeld calls Begin on a key expected to be held and returns its holder.
func mustHeld(t *testing.T, c billbridge.IdempotencyCache, acct, key, fp string) *billbridge.IdempotencyRecord {
	t.Helper()
	rec, claimed, err := c.Begin(context.Background(), acct, key, fp, time.Minute)
	if err != nil {
		t.Fatalf("Begin(%q, %q): %v", acct, key, err)
	}
	if claimed || rec == nil {
		t.Fatalf("Begin(%q, %q) claimed a key that should be held", acct, key)
	}
	return rec
}

func mustComplete(t *testing.T, c billbridge.IdempotencyCache, rec *billbridge.IdempotencyRecord, ttl time.Duration) {
	t.Helper()
	if err := c.Complete(context.Background(), rec, ttl); err != nil {
		t.Fatalf("Complete(%q, %q): %v", rec.AccountID, rec.Key, err)
	}
}

// checkWithin fails unless lo-slack <= got <= hi+slack, where slack absorbs
// the millisecond precision of stored times.
func checkWithin(t *testing.T, what string, got, lo, hi time.Time) {
	t.Helper()
	const slack = time.Millisecond
	if got.Before(lo.Add(-slack)) || got.After(hi.Add(slack)) {
		t.Errorf("%s = %v, want between %v and %v", what, got, lo, hi)
	}
}

// eventually polls cond until it holds, failing after 10 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
