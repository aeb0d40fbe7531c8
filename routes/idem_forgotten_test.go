package routes_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestIdemForgottenKeyReplaysOverHandlerError: a keyed write whose key the
// cache claims runs without asking the database, so a retry whose first
// response the cache forgot (a 4 KiB bound here) and whose handler now
// fails before its write (the hook it redelivers was deleted since: 404)
// must still get the first response replayed, on both stores. Another key
// gets the handler's error.
func TestIdemForgottenKeyReplaysOverHandlerError(t *testing.T) {
	apitest.EachStore(t, apitest.Options{CacheBytes: 4 << 10, AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var hook billbridge.Hook
		c.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/h", "events": []any{"customer.created"}}, &hook)
		path := "/v1/hooks/" + hook.ID + "/redeliver?after_seq=0"
		first := c.S.Must(t, 200, "POST", path, c.Key, nil, "Idempotency-Key", "redeliver-1")
		cust := c.Customer(t, "Filler AG")
		for i := range 4 { // invoices of 2 kB push the first response out of the 4 KiB cache
			c.S.Must(t, 201, "POST", "/v1/invoices", c.Key, map[string]any{"customer_id": cust.ID, "currency": "CHF", "notes": strings.Repeat("x", 1900),
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}}}, "Idempotency-Key", fmt.Sprint("filler-", i))
		}
		c.Must(t, 204, "DELETE", "/v1/hooks/"+hook.ID, nil, nil)
		r := c.S.Must(t, 200, "POST", path, c.Key, nil, "Idempotency-Key", "redeliver-1")
		if r.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.Body, first.Body) {
			t.Fatalf("retry: replayed %q, %s; want the replay of %s", r.Header.Get("Idempotent-Replayed"), r.Body, first.Body)
		}
		apitest.Problem(t, c.Do(t, "POST", path, nil, "Idempotency-Key", "redeliver-2"), 404, billbridge.ENOTFOUND)
	})
}
