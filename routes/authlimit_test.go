package routes_test

import (
	"context"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
)

// lookupCounter counts API key lookups, the database query a flood of bad
// keys would cost.
type lookupCounter struct {
	billbridge.Store
	n *atomic.Int64
}

func (l lookupCounter) AccountByKeyHash(ctx context.Context, hash string) (*billbridge.Account, error) {
	l.n.Add(1)
	return l.Store.AccountByKeyHash(ctx, hash)
}

var authRateHeader = regexp.MustCompile(`^"auth";r=(\d+);t=(\d+)$`)

// TestAuthFailuresLimitedPerAddress: an address gets Burst failed attempts,
// each 401 carrying the "auth" RateLimit fields; the next is 429 with
// Retry-After, and from then on that address is refused before its key is
// looked up, even a valid key; another address is unaffected.
func TestAuthFailuresLimitedPerAddress(t *testing.T) {
	limit := billbridge.RateLimit{Rate: 3, Period: time.Hour, Burst: 3}
	for _, store := range apitest.Stores {
		for _, redis := range []bool{false, true} {
			t.Run(store+map[bool]string{false: "/inmem", true: "/redis"}[redis], func(t *testing.T) {
				t.Parallel()
				var lookups atomic.Int64
				s := apitest.Start(t, apitest.Options{
					Store: store, Redis: redis, AuthFailLimit: limit,
					RateLimit:      billbridge.RateLimit{Rate: 100, Period: time.Second, Burst: 100},
					TrustedProxies: []string{"127.0.0.1", "::1"},
					WrapStore:      func(s billbridge.Store) billbridge.Store { return lookupCounter{s, &lookups} },
				})
				authFailuresLimited(t, s, &lookups)
			})
		}
	}
}

func authFailuresLimited(t *testing.T, s *apitest.Server, lookups *atomic.Int64) {
	t.Helper()
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	a, b := from("198.51.100.7"), from("203.0.113.9")
	for i, key := range []string{"bb_bad_1", "", "bb_bad_3"} {
		r := s.Do(t, "GET", "/v1/me", key, nil, a...)
		apitest.Problem(t, r, 401, billbridge.EUNAUTHORIZED)
		if got := r.Header.Get("RateLimit-Policy"); got != `"auth";q=3;w=3600` {
			t.Errorf("401 RateLimit-Policy %q", got)
		}
		m := authRateHeader.FindStringSubmatch(r.Header.Get("RateLimit"))
		if m == nil || m[1] != strconv.Itoa(2-i) {
			t.Errorf("401 #%d RateLimit %q, want r=%d", i+1, r.Header.Get("RateLimit"), 2-i)
		}
	}
	checkRefused := func(r *apitest.Response) {
		t.Helper()
		apitest.Problem(t, r, 429, billbridge.ERATELIMITED)
		if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 3600 {
			t.Errorf("429 Retry-After %q", r.Header.Get("Retry-After"))
		}
		if m := authRateHeader.FindStringSubmatch(r.Header.Get("RateLimit")); m == nil || m[1] != "0" {
			t.Errorf("429 RateLimit %q", r.Header.Get("RateLimit"))
		}
	}
	checkRefused(s.Do(t, "GET", "/v1/me", "bb_bad_4", nil, a...))
	before := lookups.Load()
	for range 20 {
		checkRefused(s.Do(t, "GET", "/v1/me", "bb_bad_5", nil, a...))
	}
	checkRefused(s.Do(t, "GET", "/v1/me", s.Key, nil, a...))
	if n := lookups.Load() - before; n != 0 {
		t.Errorf("a refused address cost %d key lookups, want 0", n)
	}
	if r := s.Do(t, "GET", "/v1/me", s.Key, nil, b...); r.Status != 200 || r.Header.Get("RateLimit-Policy") != `"default";q=100;w=1` {
		t.Errorf("another address with a valid key: %d, policy %q", r.Status, r.Header.Get("RateLimit-Policy"))
	}
	r := s.Do(t, "GET", "/v1/me", "bb_bad_6", nil, b...)
	if m := authRateHeader.FindStringSubmatch(r.Header.Get("RateLimit")); r.Status != 401 || m == nil || m[1] != "2" {
		t.Errorf("another address's first failure: %d, RateLimit %q", r.Status, r.Header.Get("RateLimit"))
	}
	// An IPv6 client is counted by its /64.
	for i := range 3 {
		s.Do(t, "GET", "/v1/me", "bb_bad_7", nil, from("2001:4860:4860::"+strconv.Itoa(i+1))...)
	}
	checkRefused(s.Do(t, "GET", "/v1/me", "bb_bad_8", nil, from("2001:4860:4860::ffff")...))
	if got := metric(t, s, "billbridge_auth_fail_limited_total"); got < 23 {
		t.Errorf("billbridge_auth_fail_limited_total = %v, want ≥ 23", got)
	}
}

// TestAuthFailuresIgnoreUntrustedForwarding: without trusted proxies a
// client cannot escape the limit by inventing X-Forwarded-For addresses.
func TestAuthFailuresIgnoreUntrustedForwarding(t *testing.T) {
	limit := billbridge.RateLimit{Rate: 2, Period: time.Hour, Burst: 2}
	apitest.EachStore(t, apitest.Options{AuthFailLimit: limit}, func(t *testing.T, s *apitest.Server) {
		for i := range 2 {
			apitest.Problem(t, s.Do(t, "GET", "/v1/me", "bb_bad", nil, "X-Forwarded-For", "192.0.2."+strconv.Itoa(i+10)), 401, billbridge.EUNAUTHORIZED)
		}
		apitest.Problem(t, s.Do(t, "GET", "/v1/me", "bb_bad", nil, "X-Forwarded-For", "192.0.2.99"), 429, billbridge.ERATELIMITED)
	})
}
