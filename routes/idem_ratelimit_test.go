package routes_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// paced sends n GET /v1/me as key, the i-th started at i×gap after the
// first whatever the earlier ones take, and returns the answers and the
// time from the first start to the last answer.
func paced(t *testing.T, s *apitest.Server, key string, n int, gap time.Duration) ([]*apitest.Response, time.Duration) {
	t.Helper()
	start := time.Now()
	out := testenv.FanOut(t, n, func(i int) (*apitest.Response, error) {
		time.Sleep(time.Until(start.Add(time.Duration(i) * gap)))
		return send(s, "GET", "/v1/me", key, nil)
	})
	// The limiter decided every request between start and now: the span the
	// refill is bounded by, however slowly a busy machine served them.
	return out, time.Since(start)
}

// checkRateHeaders checks the IETF draft fields every /v1 answer carries
// under limit, and for a 429 its Retry-After and problem; it returns the
// Retry-After in seconds (0 when allowed).
func checkRateHeaders(t *testing.T, r *apitest.Response, limit billbridge.RateLimit) int {
	t.Helper()
	window := int(math.Ceil(float64(limit.Period) * float64(limit.Burst) / float64(limit.Rate) / float64(time.Second)))
	if got, want := r.Header.Get("RateLimit-Policy"), `"default";q=`+strconv.Itoa(limit.Burst)+`;w=`+strconv.Itoa(window); got != want {
		t.Errorf("RateLimit-Policy %q, want %q", got, want)
	}
	m := rateLimitHeader.FindStringSubmatch(r.Header.Get("RateLimit"))
	if m == nil {
		t.Fatalf("%d: RateLimit %q, want \"default\";r=N;t=N", r.Status, r.Header.Get("RateLimit"))
	}
	if rem, _ := strconv.Atoi(m[1]); rem > limit.Burst || (r.Status == 429 && rem != 0) {
		t.Errorf("%d: RateLimit remaining %d", r.Status, rem)
	}
	if r.Status != 429 {
		if r.Header.Get("Retry-After") != "" {
			t.Errorf("%d with Retry-After %q", r.Status, r.Header.Get("Retry-After"))
		}
		return 0
	}
	apitest.Problem(t, r, 429, billbridge.ERATELIMITED)
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("429 Retry-After %q, want whole seconds ≥ 1", r.Header.Get("Retry-After"))
	}
	return secs
}

// TestIdemRateLimit: at 10/s with a burst of 10, 100 requests spread over
// one second from one key get the burst plus what refills meanwhile, the
// rest 429 with a Retry-After that is long enough; another key is unaffected.
func TestIdemRateLimit(t *testing.T) {
	limit := billbridge.RateLimit{Rate: 10, Period: time.Second, Burst: 10}
	for _, redis := range []bool{false, true} {
		name := map[bool]string{false: "inmem", true: "redis"}[redis]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: "postgres", Redis: redis, RateLimit: limit})
			_, other := s.NewAccount("Other AG")

			rs, took := paced(t, s, s.Key, 100, 10*time.Millisecond)
			ok, limited, maxRetry := 0, 0, 0
			for _, r := range rs {
				switch r.Status {
				case 200:
					ok++
				case 429:
					limited++
				default:
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				maxRetry = max(maxRetry, checkRateHeaders(t, r, limit))
			}
			// The burst, plus one request per 100 ms of the time the sending took.
			most := limit.Burst + int(took/(100*time.Millisecond)) + 1
			t.Logf("%s: %d allowed, %d refused in %v (at most %d allowed); largest Retry-After %d s", name, ok, limited, took.Round(time.Millisecond), most, maxRetry)
			if ok < limit.Burst || ok > most || ok+limited != 100 {
				t.Errorf("%d allowed, %d refused, want %d–%d allowed", ok, limited, limit.Burst, most)
			}
			if took <= 1100*time.Millisecond && ok > 20 {
				t.Errorf("%d allowed within about a second, want at most 20", ok)
			}

			// Another key has its own budget, untouched.
			for i := range 5 {
				r := s.Do(t, "GET", "/v1/me", other, nil)
				if r.Status != 200 {
					t.Fatalf("second key, request %d: %d %s", i, r.Status, r.Body)
				}
				checkRateHeaders(t, r, limit)
			}

			// A refused request retried after its Retry-After succeeds.
			wait := 0
			for i := 0; wait == 0; i++ {
				if i == 30 {
					t.Fatal("30 requests in a row allowed after the budget was spent")
				}
				wait = checkRateHeaders(t, s.Do(t, "GET", "/v1/me", s.Key, nil), limit)
			}
			time.Sleep(time.Duration(wait) * time.Second)
			if r := s.Do(t, "GET", "/v1/me", s.Key, nil); r.Status != 200 {
				t.Errorf("after waiting Retry-After %d s: %d %s", wait, r.Status, r.Body)
			}
			// Writes, errors and 404s carry the fields too.
			for _, r := range []*apitest.Response{
				s.Do(t, "POST", "/v1/customers", other, map[string]any{"name": "Limited AG"}),
				s.Do(t, "POST", "/v1/customers", other, map[string]any{}),
				s.Do(t, "GET", "/v1/customers/cus_nope", other, nil),
			} {
				checkRateHeaders(t, r, limit)
			}
		})
	}
}

// TestIdemTwoGatewaysOneBudget: two gateways on one Redis share each key's
// budget: requests alternating between them are allowed no more than the
// budget once.
func TestIdemTwoGatewaysOneBudget(t *testing.T) {
	limit := billbridge.RateLimit{Rate: 10, Period: time.Minute, Burst: 10} // one refill per 6 s
	a := apitest.Start(t, apitest.Options{Store: "postgres", Redis: true, RateLimit: limit})
	b := apitest.Start(t, apitest.Options{StoreURL: a.StoreURL, RedisURL: a.RedisURL, RedisPrefix: a.RedisPrefix, RateLimit: limit})
	start := time.Now()
	ok := map[*apitest.Server]int{}
	rs := testenv.FanOut(t, 40, func(i int) (*apitest.Response, error) {
		s := []*apitest.Server{a, b}[i%2]
		return send(s, "GET", "/v1/me", a.Key, nil)
	})
	took := time.Since(start)
	for i, r := range rs {
		if r.Status != 200 && r.Status != 429 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		checkRateHeaders(t, r, limit)
		if r.Status == 200 {
			ok[[]*apitest.Server{a, b}[i%2]]++
		}
	}
	most := limit.Burst + int(took/(6*time.Second))
	t.Logf("allowed %d by gateway a, %d by gateway b in %v", ok[a], ok[b], took.Round(time.Millisecond))
	if sum := ok[a] + ok[b]; sum < limit.Burst || sum > most {
		t.Errorf("%d allowed across both gateways, want %d–%d (one shared budget)", sum, limit.Burst, most)
	}
}
