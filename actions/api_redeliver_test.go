package actions_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIRedeliverReplaysWhatTheReceiverMissed checks on both stores that
// POST /v1/hooks/{id}/redeliver?after_seq= sends the hook's events after
// after_seq again through the delivery queue, signed with their event ids,
// only the types the hook wants, nothing twice while still pending, and
// that another account's hook, a missing or negative after_seq are refused.
func TestAPIRedeliverReplaysWhatTheReceiverMissed(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now, AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var mu sync.Mutex
		var got []string // webhook-id of every delivery received
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, r.Header.Get("webhook-id"))
			mu.Unlock()
		}))
		t.Cleanup(recv.Close)
		received := func() []string {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(got)
		}
		var hook billbridge.Hook
		c.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": recv.URL + "/h", "events": []any{"customer.created"}}, &hook)
		for _, n := range []string{"A AG", "B AG", "C AG"} {
			cus := c.Customer(t, n)
			c.Must(t, 200, "PATCH", "/v1/customers/"+cus.ID, map[string]any{"phone": "1"}, nil) // customer.updated: not wanted
		}
		apitest.DeliverUntil(t, s, clk, func() bool { return len(received()) == 3 })

		var feed apitest.List[billbridge.Event]
		c.Must(t, 200, "GET", "/v1/events?order=asc&type=customer.created", nil, &feed)
		after := feed.Data[0].Seq // the receiver lost the second and third
		path := "/v1/hooks/" + hook.ID + "/redeliver?after_seq="
		var r billbridge.Redelivery
		c.Must(t, 200, "POST", path+itoa(after), nil, &r)
		if r.Queued != 2 || r.HasMore || r.AfterSeq != after || r.LastSeq != feed.Data[2].Seq+1 || r.HookID != hook.ID {
			t.Fatalf("redelivery %+v, want 2 queued after seq %d up to %d", r, after, feed.Data[2].Seq+1)
		}
		c.Must(t, 200, "POST", path+itoa(after), nil, &r)
		if r.Queued != 0 {
			t.Fatalf("a repeat while pending queued %d more", r.Queued)
		}
		apitest.DeliverUntil(t, s, clk, func() bool { return len(received()) == 5 })
		again, missed := received()[3:], []string{feed.Data[1].ID, feed.Data[2].ID}
		slices.Sort(again)
		slices.Sort(missed)
		if !slices.Equal(again, missed) {
			t.Fatalf("redelivered %v, want the missed %v", again, missed)
		}

		other := apitest.NewClient(t, s)
		apitest.Problem(t, other.Do(t, "POST", path+"0", nil), 404, billbridge.ENOTFOUND)
		apitest.Problem(t, c.Do(t, "POST", "/v1/hooks/hook_unknown/redeliver?after_seq=0", nil), 404, billbridge.ENOTFOUND)
		apitest.Invalid(t, c.Do(t, "POST", "/v1/hooks/"+hook.ID+"/redeliver", nil), "after_seq")
		apitest.Invalid(t, c.Do(t, "POST", path+"-1", nil), "after_seq")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
