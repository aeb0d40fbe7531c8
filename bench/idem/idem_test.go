// Package idem measures what the idempotency and rate-limit middleware
// cost per request, in process, on the in-process cache and on Redis:
//
//	go test -run '^$' -bench . -benchtime 2000x ./bench/idem/
//
// Each pair differs only in the middleware at work, so the difference of
// their ns/op is its cost. The load run against the live binary is run.sh.
package idem

import (
	"fmt"
	"os"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/contract"
)

// caches are the idempotency caches and rate limiters compared.
var caches = []struct {
	name  string
	redis bool
}{{"inmem", false}, {"redis", true}}

// TestMain installs the OpenAPI contract check, as every API test package
// does: the exchanges these benchmarks make must match the published
// description too.
func TestMain(m *testing.M) {
	contract.Install()
	os.Exit(m.Run())
}

// checked are the benchmarks whose first exchange was checked.
var checked = map[string]bool{}

// must fails the benchmark unless the answer has status want. The first
// exchange of each benchmark goes through the contract check; the timed
// ones after it do not, so ns/op is the middleware's cost and not the
// spec validation's (which would swamp it).
func must(b *testing.B, s *apitest.Server, want int, method, path string, body any, headers ...string) {
	b.Helper()
	if checked[b.Name()] {
		check := apitest.Check
		apitest.Check = nil
		defer func() { apitest.Check = check }()
	}
	checked[b.Name()] = true
	r := s.Do(b, method, path, s.Key, body, headers...)
	if r.Status != want {
		b.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
	}
}

// BenchmarkWrite creates a customer per op on PostgreSQL, without and with
// a fresh Idempotency-Key (a cache claim, the record saved in the write's
// transaction, the cache completed).
func BenchmarkWrite(b *testing.B) {
	for _, c := range caches {
		s := apitest.Start(b, apitest.Options{Store: "postgres", Redis: c.redis})
		for _, keyed := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/key=%v", c.name, keyed), func(b *testing.B) {
				i, run := 0, time.Now().UnixNano()
				for b.Loop() {
					i++
					body := map[string]any{"name": fmt.Sprintf("Bench %d AG", i)}
					if keyed {
						must(b, s, 201, "POST", "/v1/customers", body, "Idempotency-Key", fmt.Sprintf("w-%d-%d", run, i))
					} else {
						must(b, s, 201, "POST", "/v1/customers", body)
					}
				}
			})
		}
	}
}

// BenchmarkReplay repeats one keyed create: every op is a replay from the cache.
func BenchmarkReplay(b *testing.B) {
	for _, c := range caches {
		b.Run(c.name, func(b *testing.B) {
			s := apitest.Start(b, apitest.Options{Store: "postgres", Redis: c.redis})
			body := map[string]any{"name": "Replayed AG"}
			must(b, s, 201, "POST", "/v1/customers", body, "Idempotency-Key", "replay")
			for b.Loop() {
				must(b, s, 201, "POST", "/v1/customers", body, "Idempotency-Key", "replay")
			}
		})
	}
}

// BenchmarkGet reads /v1/me without and with a rate limit that never refuses.
func BenchmarkGet(b *testing.B) {
	for _, c := range caches {
		for _, limited := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/ratelimit=%v", c.name, limited), func(b *testing.B) {
				o := apitest.Options{Store: "postgres", Redis: c.redis}
				if limited {
					o.RateLimit = billbridge.RateLimit{Rate: 1 << 30, Period: time.Second, Burst: 1 << 30}
				}
				s := apitest.Start(b, o)
				for b.Loop() {
					must(b, s, 200, "GET", "/v1/me", nil)
				}
			})
		}
	}
}
