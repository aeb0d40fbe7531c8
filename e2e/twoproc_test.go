package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"billbridge/internal/testenv"
)

// TestTwoGatewaysIdempotencyAndRateLimit: two processes on one PostgreSQL
// and one Redis create one resource for a key sent to both at once, and
// share one rate-limit budget per API key.
func TestTwoGatewaysIdempotencyAndRateLimit(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresURL(t)
	redisURL, prefix := testenv.RedisURL(t)
	// 10 a minute with a burst of 10: one refill per 6 s.
	env := []string{"BILLBRIDGE_DATABASE_URL=" + dsn, "BILLBRIDGE_REDIS_URL=" + redisURL, "BILLBRIDGE_REDIS_PREFIX=" + prefix, "BILLBRIDGE_RATE_LIMIT=10/m:10"}
	createAccount(t, "Migrate first", "Europe/Zurich", env...) // both gateways then start on a migrated database
	gws := []*gateway{startGateway(t, env...), startGateway(t, env...)}

	t.Run("one key sent to both", func(t *testing.T) {
		for round := range 5 {
			// A fresh account per round keeps within its burst of 10.
			id, key := createAccount(t, fmt.Sprintf("Both %d AG", round), "Europe/Zurich", env...)
			body := []byte(`{"name":"Both Gateways AG"}`)
			rs := testenv.FanOut(t, 10, func(i int) (*response, error) {
				return do(gws[i%2].URL, "POST", "/v1/customers", key, body, "Idempotency-Key", "both")
			})
			var first *response
			for _, r := range rs {
				if r.status == 201 && r.header.Get("Idempotent-Replayed") == "" {
					if first != nil {
						t.Fatalf("round %d: two original answers", round)
					}
					first = r
				}
			}
			if first == nil {
				t.Fatalf("round %d: no original answer", round)
			}
			for i, r := range rs {
				switch {
				case r == first:
				case r.status == 201 && r.header.Get("Idempotent-Replayed") == "true" && bytes.Equal(r.body, first.body):
				case r.status == 409 && r.header.Get("Retry-After") != "" && bytes.Contains(r.body, []byte(`"idempotency_key_in_use"`)):
				default:
					t.Errorf("round %d, request %d: %d %q %s", round, i, r.status, r.header.Get("Idempotent-Replayed"), r.body)
				}
			}
			if n := sqlCount(t, dsn, `SELECT count(*) FROM customers WHERE account_id = $1`, id); n != 1 {
				t.Errorf("round %d: %d customers, want 1", round, n)
			}
		}
	})

	t.Run("one budget", func(t *testing.T) {
		_, key := createAccount(t, "Budget AG", "Europe/Zurich", env...)
		start := time.Now()
		rs := testenv.FanOut(t, 40, func(i int) (*response, error) {
			return do(gws[i%2].URL, "GET", "/v1/me", key, nil)
		})
		took := time.Since(start)
		ok := []int{0, 0}
		for i, r := range rs {
			switch r.status {
			case 200:
				ok[i%2]++
			case 429:
				if r.header.Get("Retry-After") == "" {
					t.Errorf("429 without Retry-After")
				}
			default:
				t.Fatalf("%d: %s", r.status, r.body)
			}
			if r.header.Get("RateLimit-Policy") != `"default";q=10;w=60` || r.header.Get("RateLimit") == "" {
				t.Errorf("%d: RateLimit-Policy %q RateLimit %q", r.status, r.header.Get("RateLimit-Policy"), r.header.Get("RateLimit"))
			}
		}
		most := 10 + int(took/(6*time.Second))
		t.Logf("allowed %d by gateway 1 and %d by gateway 2 of 40 in %v", ok[0], ok[1], took.Round(time.Millisecond))
		if sum := ok[0] + ok[1]; sum < 10 || sum > most {
			t.Errorf("%d allowed across both gateways, want 10–%d: one budget", sum, most)
		}
	})
}

// TestTwoGatewaysDeliveryAndOverdue: two processes on one PostgreSQL
// deliver every event to a hook receiver exactly once between them, and
// emit one invoice.overdue per overdue invoice.
func TestTwoGatewaysDeliveryAndOverdue(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresURL(t)
	env := []string{"BILLBRIDGE_DATABASE_URL=" + dsn, "BILLBRIDGE_RATE_LIMIT=off", "BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true",
		"BILLBRIDGE_DELIVERY_INTERVAL=50ms", "BILLBRIDGE_OVERDUE_INTERVAL=100ms"}
	accountID, key := createAccount(t, "Two Gateways AG", "Europe/Zurich", env...)
	gws := []*gateway{startGateway(t, env...), startGateway(t, env...)}

	var mu sync.Mutex
	got := map[string]int{} // webhook-id → deliveries
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		got[r.Header.Get("webhook-id")]++
		mu.Unlock()
	}))
	t.Cleanup(recv.Close)
	delivered := func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := make(map[string]int, len(got))
		for k, v := range got {
			out[k] = v
		}
		return out
	}
	must(t, 201, gws[0].URL, "POST", "/v1/hooks", key, map[string]any{"target_url": recv.URL + "/hook", "events": []string{"*"}}, nil)

	// 60 changes through both gateways at once.
	var cust struct{ ID string }
	must(t, 201, gws[1].URL, "POST", "/v1/customers", key, map[string]any{"name": "Overdue AG"}, &cust)
	invoice := fmt.Appendf(nil, `{"customer_id":%q,"currency":"CHF","finalize":true,"due_in_days":0,"items":[{"description":"Work","quantity":1,"unit_price":10,"vat_rate":0}]}`, cust.ID)
	rs := testenv.FanOut(t, 29, func(i int) (*response, error) {
		g := gws[i%2]
		if i%3 == 0 {
			return do(g.URL, "POST", "/v1/invoices", key, invoice)
		}
		return do(g.URL, "POST", "/v1/customers", key, fmt.Appendf(nil, `{"name":"Hooked %d AG"}`, i))
	})
	invoices := 0
	for _, r := range rs {
		if r.status != 201 {
			t.Fatalf("%d: %s", r.status, r.body)
		}
		if bytes.Contains(r.body, []byte(`"inv_`)) {
			invoices++
		}
	}
	// Every invoice finalized with due_in_days 0 is due today; the binary
	// has no clock to move, so move the due dates two days back in SQL.
	sqlExec(t, dsn, `UPDATE invoices SET issue_date = issue_date - 2, due_date = due_date - 2 WHERE account_id = $1`, accountID)
	testenv.WaitFor(t, 20*time.Second, "an invoice.overdue per invoice", func() bool {
		return sqlCount(t, dsn, `SELECT count(*) FROM events WHERE account_id = $1 AND type = 'invoice.overdue'`, accountID) >= invoices
	})
	// Let both overdue jobs run at least three more times, then count again.
	runs := []float64{metricSum(t, gws[0].URL, "billbridge_job_runs_total", `job="overdue"`), metricSum(t, gws[1].URL, "billbridge_job_runs_total", `job="overdue"`)}
	testenv.WaitFor(t, 20*time.Second, "three more overdue runs on each gateway", func() bool {
		return metricSum(t, gws[0].URL, "billbridge_job_runs_total", `job="overdue"`) >= runs[0]+3 &&
			metricSum(t, gws[1].URL, "billbridge_job_runs_total", `job="overdue"`) >= runs[1]+3
	})
	if n := sqlCount(t, dsn, `SELECT count(*) FROM events WHERE account_id = $1 AND type = 'invoice.overdue'`, accountID); n != invoices {
		t.Errorf("%d invoice.overdue events for %d overdue invoices", n, invoices)
	}
	if n := sqlCount(t, dsn, `SELECT count(DISTINCT data::json->>'id') FROM events WHERE account_id = $1 AND type = 'invoice.overdue'`, accountID); n != invoices {
		t.Errorf("invoice.overdue for %d distinct invoices, want %d", n, invoices)
	}

	total := sqlCount(t, dsn, `SELECT count(*) FROM events WHERE account_id = $1`, accountID)
	testenv.WaitFor(t, 30*time.Second, "every event delivered and no delivery pending", func() bool {
		return len(delivered()) >= total && sqlCount(t, dsn, `SELECT count(*) FROM deliveries`) == 0
	})
	byID := delivered()
	var ids []string
	var events struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	must(t, 200, gws[0].URL, "GET", "/v1/events?limit=100", key, nil, &events)
	for _, e := range events.Data {
		ids = append(ids, e.ID)
		if byID[e.ID] != 1 {
			t.Errorf("event %s delivered %d times, want once", e.ID, byID[e.ID])
		}
	}
	if len(ids) != total || len(byID) != total {
		t.Errorf("%d events in the feed, %d in the database, %d delivered", len(ids), total, len(byID))
	}
	deliveredBy := []float64{
		metricSum(t, gws[0].URL, "billbridge_webhook_deliveries_total", `result="succeeded"`),
		metricSum(t, gws[1].URL, "billbridge_webhook_deliveries_total", `result="succeeded"`),
	}
	t.Logf("%d events (%d invoice.overdue) delivered once each; gateway 1 delivered %v, gateway 2 %v", total, invoices, deliveredBy[0], deliveredBy[1])
	if int(deliveredBy[0]+deliveredBy[1]) != total {
		t.Errorf("the gateways count %v + %v successful deliveries, want %d", deliveredBy[0], deliveredBy[1], total)
	}
}
