package actions_test

import (
	"encoding/json"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIDunningPauseEvents checks on both stores that setting and lifting
// a Mahnsperre appends one event each (invoice.dunning_paused/_resumed with
// the invoice, customer.dunning_paused/_resumed with the customer), that
// repeating the current value appends none, and that the customer's
// Mahnsperre shows on the customer with its updated_at.
func TestAPIDunningPauseEvents(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	apitest.EachStoreWithClock(t, start, apitest.Options{}, func(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Sperre AG")
		inv := c.OpenInvoice(t, cust.ID, "100")
		if cust.DunningPaused {
			t.Fatal("a new customer is paused")
		}
		type pauseEvent struct {
			typ    string
			id     string
			paused bool
		}
		events := func() []pauseEvent {
			t.Helper()
			var feed apitest.List[billbridge.Event]
			c.Must(t, 200, "GET", "/v1/events?type=invoice.dunning_paused,invoice.dunning_resumed,customer.dunning_paused,customer.dunning_resumed&order=asc&limit=100", nil, &feed)
			var out []pauseEvent
			for _, e := range feed.Data {
				var d struct {
					ID            string `json:"id"`
					DunningPaused bool   `json:"dunning_paused"`
				}
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				out = append(out, pauseEvent{e.Type, d.ID, d.DunningPaused})
			}
			return out
		}
		var want []pauseEvent
		for _, step := range []struct {
			path   string
			paused bool
			event  string // "" when nothing changes
		}{
			{"/v1/customers/" + cust.ID + "/dunning", true, billbridge.CustomerDunningPaused},
			{"/v1/customers/" + cust.ID + "/dunning", true, ""},
			{"/v1/invoices/" + inv.ID + "/dunning", true, billbridge.InvoiceDunningPaused},
			{"/v1/invoices/" + inv.ID + "/dunning", true, ""},
			{"/v1/invoices/" + inv.ID + "/dunning", false, billbridge.InvoiceDunningResumed},
			{"/v1/customers/" + cust.ID + "/dunning", false, billbridge.CustomerDunningResumed},
			{"/v1/customers/" + cust.ID + "/dunning", false, ""},
		} {
			clk.Add(time.Minute)
			c.Must(t, 200, "PUT", step.path, map[string]any{"paused": step.paused}, nil)
			if step.event != "" {
				id := inv.ID
				if step.event == billbridge.CustomerDunningPaused || step.event == billbridge.CustomerDunningResumed {
					id = cust.ID
				}
				want = append(want, pauseEvent{step.event, id, step.paused})
			}
			if got := events(); len(got) != len(want) || (len(want) > 0 && got[len(got)-1] != want[len(want)-1]) {
				t.Fatalf("after PUT %s paused=%v: events %+v, want %+v", step.path, step.paused, got, want)
			}
			if step.path[4:13] == "customers" {
				var got billbridge.Customer
				c.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, &got)
				if got.DunningPaused != step.paused {
					t.Fatalf("customer dunning_paused %v, want %v", got.DunningPaused, step.paused)
				}
				if step.event != "" && !got.UpdatedAt.Equal(clk.Now()) {
					t.Fatalf("customer updated_at %s, want %s", got.UpdatedAt, clk.Now())
				}
			}
		}
		c.Must(t, 200, "PUT", "/v1/customers/"+cust.ID+"/dunning", map[string]any{"paused": true}, nil)
		if l := apitest.GetList[billbridge.Customer](t, c, "/v1/customers"); len(l.Data) != 1 || !l.Data[0].DunningPaused {
			t.Fatalf("customer list %+v", l.Data)
		}
	})
}
