package routes_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestIdemCacheByteBound runs keyed creates through an in-process cache of
// 4 KiB, far less than their responses: the cache forgets them, and every
// retry still replays its first response byte for byte (from the database)
// without creating a second customer.
func TestIdemCacheByteBound(t *testing.T) {
	apitest.EachStore(t, apitest.Options{CacheBytes: 4 << 10}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		notes := strings.Repeat("n", 1500)
		first := map[string]*apitest.Response{}
		for i := range 12 {
			key := fmt.Sprint("bound-", i)
			first[key] = c.S.Must(t, 201, "POST", "/v1/customers", c.Key, map[string]any{"name": "Bound " + key, "notes": notes}, "Idempotency-Key", key)
		}
		for i := range 12 {
			key := fmt.Sprint("bound-", i)
			r := c.S.Must(t, 201, "POST", "/v1/customers", c.Key, map[string]any{"name": "Bound " + key, "notes": notes}, "Idempotency-Key", key)
			if r.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.Body, first[key].Body) {
				t.Fatalf("retry of %s: replayed %q, %s; want the replay of %s", key, r.Header.Get("Idempotent-Replayed"), r.Body, first[key].Body)
			}
		}
		if l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?limit=100"); len(l.Data) != 12 {
			t.Fatalf("%d customers after 12 keyed creates and their retries, want 12", len(l.Data))
		}
	})
}

// TestListPageByteBound lists invoices of about 2 kB under a page bound
// of 5 kB with limit=100: each page stops early with has_more and a
// next_cursor, and walking the cursors returns every invoice once, newest
// first, ending with has_more false.
func TestListPageByteBound(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		s.DB.SetPageBytes(5000)
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Large Invoices AG")
		var want []string
		for range 7 {
			var inv billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "notes": strings.Repeat("x", 1900),
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}}}, &inv)
			want = append([]string{inv.ID}, want...)
		}
		var got []string
		path := "/v1/invoices?limit=100"
		for pages := 1; ; pages++ {
			l := apitest.GetList[billbridge.Invoice](t, c, path)
			if len(l.Data) > 2 {
				t.Fatalf("page %d holds %d invoices of 2 kB under a 5 kB bound", pages, len(l.Data))
			}
			for _, inv := range l.Data {
				got = append(got, inv.ID)
			}
			if l.HasMore != (len(got) < len(want)) || (l.NextCursor != nil) != l.HasMore {
				t.Fatalf("page %d: has_more %v, next_cursor %v after %d of %d invoices", pages, l.HasMore, l.NextCursor, len(got), len(want))
			}
			if !l.HasMore {
				break
			}
			path = "/v1/invoices?limit=100&starting_after=" + *l.NextCursor
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("walked %v, want %v", got, want)
		}
	})
}
