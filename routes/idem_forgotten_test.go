package routes_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"

	"github.com/redis/go-redis/v9"
)

// TestIdemForgottenKeyReplays: a keyed write whose key the cache claims
// runs without asking the database, so the cache forgetting a completed
// key (in-process: a 4 KiB bound; Redis: the keys deleted, as an eviction
// or a flush would) must not lose the first response, on every store and
// cache: a retry of a create replays it and creates nothing more, and a
// retry whose handler now fails before its write (the hook it redelivers
// was deleted since: 404) replays it too. Another key gets the handler's
// error.
func TestIdemForgottenKeyReplays(t *testing.T) {
	eachCache(t, apitest.Options{CacheBytes: 4 << 10, AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var hook billbridge.Hook
		c.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/h", "events": []any{"customer.created"}}, &hook)
		path := "/v1/hooks/" + hook.ID + "/redeliver?after_seq=0"
		redelivered := c.S.Must(t, 200, "POST", path, c.Key, nil, "Idempotency-Key", "redeliver-1")
		customer := map[string]any{"name": "Forgotten AG", "email": "buchhaltung@forgotten.ch"}
		created := c.S.Must(t, 201, "POST", "/v1/customers", c.Key, customer, "Idempotency-Key", "create-1")
		forget(t, c, s)
		c.Must(t, 204, "DELETE", "/v1/hooks/"+hook.ID, nil, nil)

		for _, retry := range []struct {
			first             *apitest.Response
			status            int
			method, path, key string
			body              any
		}{
			{redelivered, 200, "POST", path, "redeliver-1", nil},
			{created, 201, "POST", "/v1/customers", "create-1", customer},
		} {
			r := c.S.Must(t, retry.status, retry.method, retry.path, c.Key, retry.body, "Idempotency-Key", retry.key)
			if r.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.Body, retry.first.Body) {
				t.Fatalf("retry of %s: replayed %q, %s; want the replay of %s", retry.key, r.Header.Get("Idempotent-Replayed"), r.Body, retry.first.Body)
			}
		}
		if l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?email=buchhaltung@forgotten.ch"); len(l.Data) != 1 {
			t.Errorf("%d customers after a keyed create and its retry, want 1", len(l.Data))
		}
		apitest.Problem(t, c.Do(t, "POST", path, nil, "Idempotency-Key", "redeliver-2"), 404, billbridge.ENOTFOUND)
	})
}

// forget makes the server's idempotency cache lose every completed key:
// Redis's keys under the server's prefix are deleted; the in-process cache
// (bounded by the test to 4 KiB) is pushed past its bound by keyed
// invoices of 2 kB.
func forget(t *testing.T, c *apitest.Client, s *apitest.Server) {
	t.Helper()
	if s.RedisURL != "" {
		rdb := redis.NewClient(mustParseRedis(t, s.RedisURL))
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		keys, err := rdb.Keys(ctx, s.RedisPrefix+"idem:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Fatal("no idempotency keys under the prefix in Redis: the cache is not used")
		}
		if err := rdb.Del(ctx, keys...).Err(); err != nil {
			t.Fatal(err)
		}
		return
	}
	cust := c.Customer(t, "Filler AG")
	for i := range 4 {
		c.S.Must(t, 201, "POST", "/v1/invoices", c.Key, map[string]any{"customer_id": cust.ID, "currency": "CHF", "notes": strings.Repeat("x", 1900),
			"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}}}, "Idempotency-Key", fmt.Sprint("filler-", i))
	}
}
