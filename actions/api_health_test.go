package actions_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/triggers"
)

// ratingEvents returns the data of the account's customer.payment_rating_changed events, oldest first.
func ratingEvents(t *testing.T, c *apitest.Client) []billbridge.PaymentRatingChange {
	t.Helper()
	var feed apitest.List[billbridge.Event]
	c.Must(t, 200, "GET", "/v1/events?type=customer.payment_rating_changed&order=asc&limit=100", nil, &feed)
	out := []billbridge.PaymentRatingChange{}
	for _, e := range feed.Data {
		var ch billbridge.PaymentRatingChange
		if err := json.Unmarshal(e.Data, &ch); err != nil {
			t.Fatal(err)
		}
		out = append(out, ch)
	}
	return out
}

// TestAPIPaymentHealth follows one customer from no history to good (a
// payment), to watch (an invoice falling overdue, told by the overdue job),
// through a payment that leaves the rating as it is, on both stores, with
// days counted in Zurich while UTC is a day behind.
func TestAPIPaymentHealth(t *testing.T) {
	// 23:30 UTC on 28 November is 29 November in Zurich.
	start := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(start)
			s := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now})
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Zahlt AG", "external_id", "crm-77")
			health := func() billbridge.PaymentHealth {
				t.Helper()
				var h billbridge.PaymentHealth
				c.Must(t, 200, "GET", "/v1/customers/"+cust.ID+"/payment-health", nil, &h)
				return h
			}
			if h := health(); h.Rating != "insufficient_data" || len(h.Currencies) != 0 || len(h.Warnings) != 0 || h.AsOf.String() != "2026-11-29" {
				t.Fatalf("without invoices: %+v", h)
			}
			invoice := func(issue string, amount int) billbridge.Invoice {
				var inv billbridge.Invoice
				c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "finalize": true,
					"issue_date": issue, "due_in_days": 30,
					"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 0}}}, &inv)
				return inv
			}
			pay := func(inv billbridge.Invoice, amount int, day string) {
				c.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": amount, "paid_at": day}, nil)
			}
			// Three invoices of 100.00, each paid 20 days after issue: the third makes it good.
			for i, issue := range []string{"2026-08-01", "2026-08-02", "2026-08-03"} {
				inv := invoice(issue, 100)
				pay(inv, 100, billbridge.Date{Time: inv.IssueDate.AddDate(0, 0, 20)}.String())
				if got := ratingEvents(t, c); len(got) != i/2 {
					t.Fatalf("after %d paid invoices: %d rating events", i+1, len(got))
				}
			}
			ev := ratingEvents(t, c)
			if e := ev[0]; e.CustomerID != cust.ID || e.ExternalID != "crm-77" || e.From != "insufficient_data" || e.To != "good" || e.Warnings == nil || len(e.Warnings) != 0 {
				t.Fatalf("first rating event %+v", ev[0])
			}
			// 250.00 due on 15 October: overdue 45 days on 29 November. The
			// overdue job tells the invoice and the rating in one go.
			late := invoice("2026-09-15", 250)
			job := &triggers.OverdueJob{Store: s.DB, Clock: clk.Now}
			if n, err := job.RunOnce(context.Background()); err != nil || n != 1 {
				t.Fatalf("overdue job: %d, %v", n, err)
			}
			want := []string{"1 unpaid invoice, CHF 250.00 overdue, oldest 45 days"}
			ev = ratingEvents(t, c)
			if len(ev) != 2 || ev[1].From != "good" || ev[1].To != "watch" || !slices.Equal(ev[1].Warnings, want) {
				t.Fatalf("rating events after the overdue job: %+v", ev)
			}
			h := health()
			if h.Rating != "watch" || !slices.Equal(h.Warnings, want) {
				t.Fatalf("health %+v", h)
			}
			chf := h.Currencies[0]
			if chf.Currency != "CHF" || chf.InvoiceCount != 4 || chf.Invoiced != 55000 || chf.Paid != 30000 || chf.OpenAmount != 25000 ||
				chf.OverdueCount != 1 || *chf.OldestOverdueDays != 45 || *chf.AvgDaysToPay != 20 || *chf.AvgDaysLate != 0 ||
				*chf.OnTimeRatio != 1 || chf.LastPaymentAt.String() != "2026-08-23" || chf.MaxReminderLevel != 0 {
				t.Fatalf("CHF %+v", chf)
			}

			// include=payment_health on the customer, the list and deal won; not without it.
			var one struct {
				ID            string                    `json:"id"`
				PaymentHealth *billbridge.PaymentHealth `json:"payment_health"`
			}
			c.Must(t, 200, "GET", "/v1/customers/"+cust.ID+"?include=payment_health", nil, &one)
			if one.ID != cust.ID || one.PaymentHealth == nil || one.PaymentHealth.Rating != "watch" {
				t.Fatalf("GET with include: %+v", one)
			}
			r := c.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, nil)
			if m := apitest.Numbers(t, r.Body); m["payment_health"] != nil {
				t.Fatalf("GET without include has payment_health: %s", r.Body)
			}
			l := apitest.GetList[struct {
				ID            string                    `json:"id"`
				PaymentHealth *billbridge.PaymentHealth `json:"payment_health"`
			}](t, c, "/v1/customers?include=payment_health&external_id=crm-77")
			if len(l.Data) != 1 || l.Data[0].PaymentHealth == nil || l.Data[0].PaymentHealth.Currencies[0].OverdueAmount != 25000 {
				t.Fatalf("list with include: %+v", l)
			}
			apitest.Invalid(t, c.Do(t, "GET", "/v1/customers/"+cust.ID+"?include=reminders", nil), "include")
			apitest.Invalid(t, c.Do(t, "GET", "/v1/customers?include=everything", nil), "include")
			var won struct {
				Created       bool                      `json:"created"`
				PaymentHealth *billbridge.PaymentHealth `json:"payment_health"`
			}
			c.Must(t, 201, "POST", "/v1/deals/won?include=payment_health", map[string]any{"deal_id": "deal-9",
				"customer": map[string]any{"external_id": "crm-77", "name": "Zahlt AG"}, "currency": "CHF",
				"items": []map[string]any{{"description": "More", "quantity": 1, "unit_price": 10, "vat_rate": 0}}}, &won)
			if !won.Created || won.PaymentHealth == nil || won.PaymentHealth.Rating != "watch" || won.PaymentHealth.CustomerID != cust.ID {
				t.Fatalf("deal won with include: %+v", won)
			}

			// Paid 45 days late: nothing overdue, but 20.5 days late on
			// average ((3 × 0 × 100 + 45 × 250) / 550): still watch, no event.
			pay(late, 250, "2026-11-29")
			h = health()
			if h.Rating != "watch" || !slices.Equal(h.Warnings, []string{"CHF invoices paid on average 20.5 days late"}) {
				t.Fatalf("after the late payment: %+v", h)
			}
			if ev := ratingEvents(t, c); len(ev) != 2 {
				t.Fatalf("a payment that keeps the rating emitted an event: %+v", ev)
			}

			// Another account's customer is not found.
			other := apitest.NewClient(t, s)
			apitest.Problem(t, other.Do(t, "GET", "/v1/customers/"+cust.ID+"/payment-health", nil), 404, billbridge.ENOTFOUND)
		})
	}
}
