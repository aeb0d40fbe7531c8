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
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
)

// caches are the idempotency caches and rate limiters compared.
var caches = []struct {
	name  string
	redis bool
}{{"inmem", false}, {"redis", true}}

// must fails the benchmark unless the answer has status want.
func must(b *testing.B, s *apitest.Server, want int, method, path string, body any, headers ...string) {
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
