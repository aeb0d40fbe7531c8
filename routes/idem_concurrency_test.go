package routes_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// checkOneKeyBurst checks the answers to many identical requests sent at
// once under one Idempotency-Key: exactly one is the original (status
// want, not marked replayed); every other one replays it byte for byte
// with Idempotent-Replayed: true, or is 409 idempotency_key_in_use with a
// Retry-After. It returns the original.
func checkOneKeyBurst(t *testing.T, rs []*apitest.Response, want int) *apitest.Response {
	t.Helper()
	var first *apitest.Response
	for _, r := range rs {
		if r.Status == want && r.Header.Get("Idempotent-Replayed") == "" {
			if first != nil {
				t.Fatalf("two original responses under one key:\n%s\n%s", first.Body, r.Body)
			}
			first = r
		}
	}
	if first == nil {
		seen := map[string]int{}
		for _, r := range rs {
			seen[fmt.Sprintf("%d replayed=%q %.200s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)]++
		}
		t.Fatalf("no original %d response among %d; answers: %v", want, len(rs), seen)
	}
	replays, inUse := 0, 0
	for _, r := range rs {
		switch {
		case r == first:
		case r.Status == 409:
			apitest.Problem(t, r, 409, billbridge.EKEYINUSE)
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("409 in use without Retry-After")
			}
			inUse++
		case r.Status == want && r.Header.Get("Idempotent-Replayed") == "true":
			if !bytes.Equal(r.Body, first.Body) || r.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
				t.Errorf("replay differs from the first response:\n%s\n%s", r.Body, first.Body)
			}
			replays++
		default:
			t.Errorf("unexpected answer %d (replayed %q): %s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
		}
	}
	t.Logf("%d requests: 1 original, %d replays, %d in use", len(rs), replays, inUse)
	return first
}

// TestIdemParallelOneKey: 100 requests with one key and one body at once
// create one resource, on both stores and both caches.
func TestIdemParallelOneKey(t *testing.T) {
	eachCache(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		for _, tc := range []struct {
			name, path string
			body       func(c *apitest.Client) map[string]any
		}{
			{"customer", "/v1/customers", func(*apitest.Client) map[string]any {
				return map[string]any{"name": "Parallel AG", "email": "p@example.ch"}
			}},
			{"invoice", "/v1/invoices", func(c *apitest.Client) map[string]any {
				cust := c.Customer(t, "Invoice target AG")
				return map[string]any{"customer_id": cust.ID, "currency": "CHF", "finalize": true,
					"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": "100.00", "vat_rate": 8.1}}}
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := apitest.NewClient(t, s)
				body, err := json.Marshal(tc.body(c))
				if err != nil {
					t.Fatal(err)
				}
				before := apitest.CountRows(t, c)
				rs := testenv.FanOut(t, 100, func(int) (*apitest.Response, error) {
					return send(s, "POST", tc.path, c.Key, body, "Idempotency-Key", "burst-"+tc.name)
				})
				first := checkOneKeyBurst(t, rs, 201)
				after := apitest.CountRows(t, c)
				if after.Customers+after.Invoices != before.Customers+before.Invoices+1 {
					t.Errorf("rows before %+v, after %+v: want exactly one new resource", before, after)
				}
				// Once settled, the key replays the original for good.
				again := c.Do(t, "POST", tc.path, body, "Idempotency-Key", "burst-"+tc.name)
				if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
					t.Errorf("later retry: %d replayed=%q %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body)
				}
			})
		}
	})
}

// TestIdemKeyRules: reuse with another request, malformed keys, failures
// that are not stored, account scoping and the key forms accepted.
func TestIdemKeyRules(t *testing.T) {
	eachCache(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("same key other request is 422", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			first := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "First AG"}, "Idempotency-Key", "k1")
			if first.Status != 201 {
				t.Fatalf("first: %d %s", first.Status, first.Body)
			}
			for name, try := range map[string]func() *apitest.Response{
				"other body": func() *apitest.Response {
					return c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Second AG"}, "Idempotency-Key", "k1")
				},
				"other path": func() *apitest.Response {
					return c.Do(t, "POST", "/v1/customers/upsert", map[string]any{"name": "First AG"}, "Idempotency-Key", "k1")
				},
				"other method": func() *apitest.Response { return c.Do(t, "DELETE", "/v1/hooks/hook_x", nil, "Idempotency-Key", "k1") },
			} {
				r := try()
				apitest.Problem(t, r, 422, billbridge.EKEYREUSED)
				if r.Header.Get("Idempotent-Replayed") != "" {
					t.Errorf("%s: 422 marked replayed", name)
				}
			}
			if n := apitest.CountRows(t, c).Customers; n != 1 {
				t.Errorf("%d customers, want 1", n)
			}
			// The quoted form (RFC 8941 sf-string) is the same key.
			r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "First AG"}, "Idempotency-Key", `"k1"`)
			if r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.Body, first.Body) {
				t.Errorf("quoted key: %d %q %s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
			}
		})
		t.Run("malformed key is 400", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			// "" is a header sent empty (a platform field mapped to nothing):
			// refused, never a silent write without exactly-once.
			for _, key := range []string{"", strings.Repeat("a", 256), "a b", "ké", "k/1", `"unterminated`, `""`, "k,1", "k;1"} {
				r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Bad Key AG"}, "Idempotency-Key", key)
				p := apitest.Problem(t, r, 400, billbridge.EKEYMALFORMED)
				if len(p.InvalidParams) == 0 || p.InvalidParams[0].Name != "Idempotency-Key" {
					t.Errorf("key %q: invalid_params %+v, want Idempotency-Key", key, p.InvalidParams)
				}
			}
			for i, key := range []string{strings.Repeat("a", 255), "A-z_0.9:x", "1"} {
				c.Must(t, 201, "POST", "/v1/customers", map[string]any{"name": fmt.Sprintf("Unkeyed %d", i)}, nil)
				if r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": fmt.Sprintf("Keyed %d", i)}, "Idempotency-Key", key); r.Status != 201 {
					t.Errorf("key %q: %d %s", key, r.Status, r.Body)
				}
			}
			if n := apitest.CountRows(t, c).Customers; n != 6 {
				t.Errorf("%d customers, want 6 (no row for a malformed key)", n)
			}
		})
		t.Run("failures are not stored", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			// A validation failure, then the same key with a valid body.
			apitest.Invalid(t, c.Do(t, "POST", "/v1/customers", map[string]any{"email": "x@example.ch"}, "Idempotency-Key", "fix-me"), "name")
			r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Fixed AG", "email": "x@example.ch"}, "Idempotency-Key", "fix-me")
			if r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("valid body after a 422 under the same key: %d %q %s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
			}
			// A 401 is not stored either: the key is still free for the right credential.
			apitest.Problem(t, s.Do(t, "POST", "/v1/customers", "bb_wrong", map[string]any{"name": "Later AG"}, "Idempotency-Key", "after-401"), 401, billbridge.EUNAUTHORIZED)
			if r := c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Later AG"}, "Idempotency-Key", "after-401"); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("after 401: %d %s", r.Status, r.Body)
			}
			// A conflict (409 natural key taken) is an error: not stored, retried as new.
			c.Customer(t, "Owner AG", "external_id", "crm-7")
			apitest.Problem(t, c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Clash AG", "external_id": "crm-7"}, "Idempotency-Key", "clash"), 409, billbridge.ECONFLICT)
			apitest.Problem(t, c.Do(t, "POST", "/v1/customers", map[string]any{"name": "Clash AG", "external_id": "crm-7"}, "Idempotency-Key", "clash"), 409, billbridge.ECONFLICT)
			if n := apitest.CountRows(t, c).Customers; n != 3 {
				t.Errorf("%d customers, want 3", n)
			}
		})
		t.Run("keys are per account", func(t *testing.T) {
			t.Parallel()
			a, b := apitest.NewClient(t, s), apitest.NewClient(t, s)
			body := map[string]any{"name": "Shared Key AG"}
			ra := a.Do(t, "POST", "/v1/customers", body, "Idempotency-Key", "shared")
			rb := b.Do(t, "POST", "/v1/customers", body, "Idempotency-Key", "shared")
			if ra.Status != 201 || rb.Status != 201 || rb.Header.Get("Idempotent-Replayed") != "" || bytes.Equal(ra.Body, rb.Body) {
				t.Fatalf("same key on two accounts: %d %s / %d %q %s", ra.Status, ra.Body, rb.Status, rb.Header.Get("Idempotent-Replayed"), rb.Body)
			}
			if apitest.CountRows(t, a).Customers != 1 || apitest.CountRows(t, b).Customers != 1 {
				t.Errorf("want one customer in each account")
			}
		})
		t.Run("patch and delete replay", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Patch AG")
			path := "/v1/customers/" + cust.ID
			p1 := c.Do(t, "PATCH", path, map[string]any{"phone": "+41 1"}, "Idempotency-Key", "patch-1")
			c.Must(t, 200, "PATCH", path, map[string]any{"phone": "+41 2"}, nil)
			p2 := c.Do(t, "PATCH", path, map[string]any{"phone": "+41 1"}, "Idempotency-Key", "patch-1")
			if p1.Status != 200 || p2.Status != 200 || p2.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(p1.Body, p2.Body) {
				t.Errorf("patch replay: %d %s / %d %s", p1.Status, p1.Body, p2.Status, p2.Body)
			}
			var now billbridge.Customer
			c.Must(t, 200, "GET", path, nil, &now)
			if now.Phone != "+41 2" {
				t.Errorf("the replay changed the customer again: phone %q", now.Phone)
			}
			if n := apitest.CountRows(t, c).Events; n != 3 {
				t.Errorf("%d events, want 3 (created, two updates)", n)
			}
			for i := range 2 {
				r := c.Do(t, "DELETE", "/v1/hooks/hook_gone", nil, "Idempotency-Key", "del-1")
				if r.Status != 204 || len(r.Body) != 0 || (i == 1) != (r.Header.Get("Idempotent-Replayed") == "true") {
					t.Errorf("delete %d: %d replayed=%q %q", i, r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
				}
			}
		})
	})
}

// TestIdemDealsWon: a won deal repeated, with and without a key, one after
// another and 20 at once, always answers the same customer and invoice.
func TestIdemDealsWon(t *testing.T) {
	eachCache(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		deal := func(id string) []byte {
			b, _ := json.Marshal(map[string]any{
				"deal_id": id, "currency": "CHF", "finalize": true, "due_in_days": 30,
				"customer": map[string]any{"name": "Deal AG", "external_id": "crm-" + id, "email": id + "@example.ch"},
				"items":    []map[string]any{{"description": "Setup", "quantity": 1, "unit_price": "1000.00", "vat_rate": 8.1}},
			})
			return b
		}
		type result struct {
			Customer billbridge.Customer `json:"customer"`
			Invoice  billbridge.Invoice  `json:"invoice"`
			Created  bool                `json:"created"`
		}
		decode := func(t *testing.T, r *apitest.Response) result {
			t.Helper()
			var out result
			r.Decode(t, &out)
			if out.Customer.ID == "" || out.Invoice.ID == "" || out.Invoice.CustomerID != out.Customer.ID || out.Invoice.ExternalID == "" {
				t.Fatalf("deal result %s", r.Body)
			}
			return out
		}
		t.Run("sequential", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			first := c.Do(t, "POST", "/v1/deals/won", deal("d-1"))
			if first.Status != 201 {
				t.Fatalf("first: %d %s", first.Status, first.Body)
			}
			want := decode(t, first)
			if !want.Created || want.Invoice.Status != billbridge.StatusOpen || want.Invoice.Number == "" {
				t.Errorf("first deal: %+v", want)
			}
			keyed := c.Do(t, "POST", "/v1/deals/won", deal("d-1"), "Idempotency-Key", "deal-key")
			for i, r := range []*apitest.Response{
				c.Do(t, "POST", "/v1/deals/won", deal("d-1")),
				keyed,
				c.Do(t, "POST", "/v1/deals/won", deal("d-1"), "Idempotency-Key", "deal-key"),
				c.Do(t, "POST", "/v1/deals/won", deal("d-1"), "Idempotency-Key", "deal-key-2"),
			} {
				if r.Status != 200 {
					t.Fatalf("repeat %d: %d %s", i, r.Status, r.Body)
				}
				got := decode(t, r)
				if got.Created || got.Customer.ID != want.Customer.ID || got.Invoice.ID != want.Invoice.ID || got.Invoice.Number != want.Invoice.Number {
					t.Errorf("repeat %d: %+v, want customer %s invoice %s", i, got, want.Customer.ID, want.Invoice.ID)
				}
			}
			if r := c.Do(t, "POST", "/v1/deals/won", deal("d-1"), "Idempotency-Key", "deal-key"); !bytes.Equal(r.Body, keyed.Body) || r.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("keyed repeat not replayed byte for byte: %s vs %s", r.Body, keyed.Body)
			}
			if rows := apitest.CountRows(t, c); rows.Customers != 1 || rows.Invoices != 1 {
				t.Errorf("rows %+v, want one customer and one invoice", rows)
			}
		})
		for _, keyed := range []bool{false, true} {
			name := "20 parallel without key"
			if keyed {
				name = "20 parallel with one key"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for range 3 { // three deals: the race below is narrow
					c := apitest.NewClient(t, s)
					body := deal("d-par")
					rs := testenv.FanOut(t, 20, func(int) (*apitest.Response, error) {
						if keyed {
							return send(s, "POST", "/v1/deals/won", c.Key, body, "Idempotency-Key", "deal-par")
						}
						return send(s, "POST", "/v1/deals/won", c.Key, body)
					})
					if keyed {
						checkOneKeyBurst(t, rs, 201)
					}
					var want *result
					created := 0
					for i, r := range rs {
						if r.Status == 409 && keyed {
							continue
						}
						if r.Status != 200 && r.Status != 201 {
							t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
						}
						got := decode(t, r)
						if r.Status == 201 && r.Header.Get("Idempotent-Replayed") == "" {
							created++
						}
						if want == nil {
							want = &got
						}
						if got.Customer.ID != want.Customer.ID || got.Invoice.ID != want.Invoice.ID {
							t.Errorf("request %d: customer %s invoice %s, want %s %s", i, got.Customer.ID, got.Invoice.ID, want.Customer.ID, want.Invoice.ID)
						}
					}
					// A repeat that raced the first is a repeat too: 200 with
					// created false, and it changes nothing (no customer.updated).
					if created != 1 {
						t.Errorf("%d original 201 answers (created: true), want 1", created)
					}
					if rows := apitest.CountRows(t, c); rows.Customers != 1 || rows.Invoices != 1 || rows.Events != 3 {
						t.Errorf("rows %+v, want one customer, one invoice and 3 events (customer.created, invoice.created, invoice.finalized)", rows)
					}
				}
			})
		}
	})
}

// TestIdemTwoGatewaysOneKey: two gateways sharing one PostgreSQL database
// and one Redis namespace create one resource for a key sent to both at once.
func TestIdemTwoGatewaysOneKey(t *testing.T) {
	a := apitest.Start(t, apitest.Options{Store: "postgres", Redis: true})
	b := apitest.Start(t, apitest.Options{StoreURL: a.StoreURL, RedisURL: a.RedisURL, RedisPrefix: a.RedisPrefix})
	c := &apitest.Client{S: a, ID: a.AccountID, Key: a.Key}
	for round := range 5 {
		body := []byte(fmt.Sprintf(`{"name":"Both Gateways %d AG"}`, round))
		key := fmt.Sprintf("both-%d", round)
		rs := testenv.FanOut(t, 20, func(i int) (*apitest.Response, error) {
			s := a
			if i%2 == 1 {
				s = b
			}
			return send(s, "POST", "/v1/customers", a.Key, body, "Idempotency-Key", key)
		})
		checkOneKeyBurst(t, rs, 201)
	}
	if n := apitest.CountRows(t, c).Customers; n != 5 {
		t.Errorf("%d customers after 5 rounds, want 5", n)
	}
}
