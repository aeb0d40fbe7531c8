package routes_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/conformance"
	"billbridge/internal/testenv"
	"billbridge/redisstore"

	"github.com/redis/go-redis/v9"
)

// TestIdemRedisOutage stops the gateway's Redis while it serves: reads and
// writes go on without a 5xx, a retried write stays exactly-once through
// the database, /readyz says degraded; once Redis is back on its port the
// cache is used again and stops failing.
func TestIdemRedisOutage(t *testing.T) {
	// go-redis logs every failed dial on its own; the gateway routes that to
	// slog at Debug (cmd/billbridge), and so does this test.
	redis.SetLogger(redisstore.DriverLogger{Logger: slog.New(slog.DiscardHandler)})
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			url, stop, restart := conformance.StartRedis(t)
			prefix := "bbtest:" + testenv.Suffix() + ":"
			limit := billbridge.RateLimit{Rate: 1000, Period: time.Second, Burst: 1000}
			s := apitest.Start(t, apitest.Options{Store: store, RedisURL: url, RedisPrefix: prefix, RateLimit: limit})
			c := &apitest.Client{S: s, ID: s.AccountID, Key: s.Key}
			rdb := redis.NewClient(mustParseRedis(t, url))
			t.Cleanup(func() { rdb.Close() })

			// keyed sends a create under key and checks it is the original
			// (replayed false) or a byte-for-byte replay of want.
			keyed := func(key string, want *apitest.Response) *apitest.Response {
				t.Helper()
				r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Outage " + key}, "Idempotency-Key", key)
				if r.Status != 201 {
					t.Fatalf("key %s: %d %s", key, r.Status, r.Body)
				}
				if want == nil && r.Header.Get("Idempotent-Replayed") != "" {
					t.Fatalf("key %s: first request marked replayed", key)
				}
				if want != nil && (r.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.Body, want.Body)) {
					t.Fatalf("key %s: retry %q %s, want replay of %s", key, r.Header.Get("Idempotent-Replayed"), r.Body, want.Body)
				}
				return r
			}
			ready := func() map[string]any { return s.Must(t, 200, "GET", "/readyz", "", nil).Map(t) }
			errorsNow := func() float64 { return metric(t, s, "billbridge_idempotency_cache_errors_total") }

			before := keyed("before", nil)
			if got := ready(); got["status"] != "ok" || got["redis"] != "ok" {
				t.Fatalf("readyz with Redis up: %v", got)
			}
			if n := cacheKeys(t, rdb, prefix); n == 0 {
				t.Fatal("no keys under the prefix in Redis after a keyed write: the cache is not used")
			}

			stop()
			if got := ready(); got["status"] != "degraded" || got["redis"] != "down" || got["database"] != "ok" {
				t.Errorf("readyz with Redis down: %v, want degraded", got)
			}
			downErrors := errorsNow()
			during := keyed("during", nil)
			for range 3 {
				keyed("during", during)
				keyed("before", before) // stored before the outage, replayed from the database
			}
			c.Must(t, 200, "GET", "/v1/customers", nil, nil)
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "No key AG"}, nil)
			if r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Outage other"}, "Idempotency-Key", "during"); r.Status != 422 {
				t.Errorf("key reused with another body during the outage: %d %s, want 422", r.Status, r.Body)
			}
			if grown := errorsNow() - downErrors; grown == 0 {
				t.Error("billbridge_idempotency_cache_errors_total did not grow while Redis was down")
			}
			if metric(t, s, "billbridge_rate_limit_fail_open_total") == 0 {
				t.Error("billbridge_rate_limit_fail_open_total is 0 after requests without Redis")
			}
			if n := apitest.CountRows(t, c).Customers; n != 3 {
				t.Errorf("%d customers, want 3 (before, during, no key; none for the retries)", n)
			}

			restart()
			testenv.WaitFor(t, 20*time.Second, "readyz to say ok after Redis restarted", func() bool {
				r, err := send(s, "GET", "/readyz", "", nil)
				return err == nil && bytes.Contains(r.Body, []byte(`"status":"ok"`))
			})
			// The first request after the restart may still meet a stale
			// connection; from then on the cache answers without errors.
			after := keyed("after", nil)
			upErrors := errorsNow()
			for range 3 {
				keyed("after", after)
				keyed("during", during) // cached again on the first retry, then served from Redis
			}
			c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": "No key again AG"}, nil)
			if grown := errorsNow() - upErrors; grown != 0 {
				t.Errorf("billbridge_idempotency_cache_errors_total grew by %v after Redis was back", grown)
			}
			if n := cacheKeys(t, rdb, prefix); n < 2 {
				t.Errorf("%d keys under the prefix in the restarted Redis, want the records of \"after\" and \"during\"", n)
			}
			if n := apitest.CountRows(t, c).Customers; n != 5 {
				t.Errorf("%d customers, want 5", n)
			}
		})
	}
}

// mustParseRedis parses a redis:// URL into client options.
func mustParseRedis(t *testing.T, url string) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// cacheKeys counts the keys under prefix with SCAN.
func cacheKeys(t *testing.T, rdb *redis.Client, prefix string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n := 0
	iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		n++
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scan %s*: %v", prefix, err)
	}
	return n
}
