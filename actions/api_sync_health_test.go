package actions_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// receiver answers every delivery with status and counts them.
type receiver struct {
	*httptest.Server
	n atomic.Int64
}

func newReceiver(t *testing.T, status int) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		r.n.Add(1)
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

// TestAPISyncHealthMatchesTheScriptedRun makes a known set of requests,
// deliveries and incidents on both stores and checks that GET
// /v1/sync/health counts exactly them: requests by class, each hook's
// attempts, status, pending and dropped deliveries, the incidents of the
// week, and the overall success rate; another account sees none of it.
func TestAPISyncHealthMatchesTheScriptedRun(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // a Wednesday
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(start)
			s := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now, AllowPrivate: true, RateLimit: billbridge.RateLimit{Rate: 12, Period: time.Hour, Burst: 12}})
			c := apitest.NewClient(t, s)
			ok, bad, gone := newReceiver(t, 204), newReceiver(t, 500), newReceiver(t, 410)
			// The key's burst is 12 requests; a second key reads the health at the end.
			var second struct {
				Secret string `json:"secret"`
			}
			c.Must(t, 201, "POST", "/v1/api-keys", map[string]any{"label": "health"}, &second) // 1 request, 201
			var hooks []string
			for _, r := range []*receiver{ok, bad, gone} { // 3 requests, 201
				var h billbridge.Hook
				c.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": r.URL + "/hook", "events": []any{"customer.created"}}, &h)
				hooks = append(hooks, h.ID)
			}
			for _, name := range []string{"Eins AG", "Zwei AG", "Drei AG"} { // 3 requests, 201
				c.Customer(t, name)
			}
			c.Must(t, 422, "POST", "/v1/customers", map[string]any{"name": ""}, nil)                                       // 4xx
			c.Must(t, 404, "GET", "/v1/customers/cus_unknown", nil, nil)                                                   // 4xx
			c.Must(t, 201, "POST", "/v1/sync/incidents", map[string]any{"source": "zapier", "message": "Zap halted"}, nil) // 201
			c.Must(t, 201, "POST", "/v1/sync/incidents", map[string]any{"source": "make", "message": "Scenario stopped"}, nil)
			c.Must(t, 200, "GET", "/v1/me", nil, nil) // 12 requests, the burst
			c.Must(t, 429, "GET", "/v1/me", nil, nil)
			c.Must(t, 429, "GET", "/v1/me", nil, nil) // 14 requests: 10 below 400, 2 4xx, 2 rate limited

			apitest.DeliverUntil(t, s, clk, func() bool { return ok.n.Load() == 3 && bad.n.Load() == 3 && gone.n.Load() == 1 })
			clk.Add(2 * time.Minute)
			apitest.DeliverUntil(t, s, clk, func() bool { return bad.n.Load() == 6 })

			var h billbridge.SyncHealth
			s.Must(t, 200, "GET", "/v1/sync/health?window=7d", second.Secret, nil).Decode(t, &h)
			want := billbridge.APIHealth{Requests: 14, Errors4xx: 2, RateLimited: 2}
			if h.API.Requests != want.Requests || h.API.Errors4xx != want.Errors4xx || h.API.Errors5xx != 0 || h.API.RateLimited != want.RateLimited ||
				h.API.LastRequestAt == nil || !h.API.LastRequestAt.Equal(start) {
				t.Errorf("api %+v, want %+v and last_request_at %v", h.API, want, start)
			}
			if h.Window != "7d" || !h.Since.Equal(start.Add(-7*24*time.Hour)) {
				t.Errorf("window %q since %v", h.Window, h.Since)
			}
			byID := map[string]billbridge.HookHealth{}
			for _, hh := range h.Hooks {
				byID[hh.ID] = hh
			}
			type hookWant struct {
				status                     string
				delivered, failed, dropped int64
				pending                    int64
				consecutive                int
				rate                       float64
			}
			for i, w := range []hookWant{
				{billbridge.HookHealthy, 3, 0, 0, 0, 0, 1},
				{billbridge.HookFailing, 0, 6, 0, 3, 6, 0},
				{billbridge.HookRemoved, 0, 1, 3, 0, 1, 0}, // the 410 removes the hook and the 3 deliveries it held
			} {
				got, found := byID[hooks[i]]
				if !found {
					t.Errorf("hook %d (%s) missing from %+v", i, hooks[i], h.Hooks)
					continue
				}
				if got.Status != w.status || got.Delivered != w.delivered || got.Failed != w.failed || got.Dropped != w.dropped ||
					got.Pending != w.pending || got.ConsecutiveFailures != w.consecutive || got.SuccessRate == nil || *got.SuccessRate != w.rate {
					t.Errorf("hook %d: %+v (rate %v), want %+v", i, got, got.SuccessRate, w)
				}
				if (w.delivered > 0) != (got.LastSuccessAt != nil) || (w.failed > 0) != (got.LastFailureAt != nil) {
					t.Errorf("hook %d: last_success_at %v last_failure_at %v", i, got.LastSuccessAt, got.LastFailureAt)
				}
			}
			if len(h.IncidentsByWeek) != 2 || h.IncidentsByWeek[1].WeekStart.String() != "2026-11-30" || h.IncidentsByWeek[1].Incidents != 2 ||
				h.IncidentsByWeek[0].WeekStart.String() != "2026-11-23" || h.IncidentsByWeek[0].Incidents != 0 {
				t.Errorf("incidents_by_week %+v", h.IncidentsByWeek)
			}
			// 10 requests below 400 + 3 delivered, over 14 requests + 10 attempts + 2 incidents.
			if h.SuccessRate == nil || *h.SuccessRate != 0.5 {
				t.Errorf("success_rate %v, want 0.5", h.SuccessRate)
			}

			other := apitest.NewClient(t, s)
			var o billbridge.SyncHealth
			other.Must(t, 200, "GET", "/v1/sync/health", nil, &o)
			if o.API.Requests != 0 || len(o.Hooks) != 0 || o.SuccessRate != nil || o.IncidentsByWeek[len(o.IncidentsByWeek)-1].Incidents != 0 {
				t.Errorf("another account's health: %+v", o)
			}
			apitest.Invalid(t, other.Do(t, "GET", "/v1/sync/health?window=91d", nil), "window")
			apitest.Invalid(t, other.Do(t, "GET", "/v1/sync/health?window=7w", nil), "window")
		})
	}
}
