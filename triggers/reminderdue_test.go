package triggers_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/triggers"
)

// TestReminderDueJobTwoInstances runs two reminder-due jobs at once, as two
// gateway instances would, on one PostgreSQL database with a test clock in
// Zurich: the ladder announces each level of each invoice exactly once, a
// payment between two levels stops the next, and a level is announced
// again only after the level before was sent.
func TestReminderDueJobTwoInstances(t *testing.T) {
	t.Parallel()
	clk := testenv.NewClock(time.Date(2026, 10, 10, 23, 30, 0, 0, time.UTC)) // 11 October 01:30 in Zurich
	s := apitest.Start(t, apitest.Options{Store: "postgres", Clock: billbridge.Clock(clk.Now)})
	ctx := context.Background()
	key := func() string { _, k := s.NewAccount("Mahn AG"); return k }()
	var c billbridge.Customer
	s.Must(t, 201, "POST", "/v1/customers", key, map[string]any{"name": "Spät AG", "external_id": "crm-1"}).Decode(t, &c)
	invoice := func(deal string) billbridge.Invoice {
		var inv billbridge.Invoice
		s.Must(t, 201, "POST", "/v1/invoices", key, map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": true,
			"issue_date": "2026-09-01", "due_in_days": 30, "external_id": deal,
			"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 1000, "vat_rate": 0}}}).Decode(t, &inv)
		return inv
	}
	x, y := invoice("deal-x"), invoice("deal-y") // due 1 October
	invoice("deal-z")                            // paused below
	z := invoice("deal-w")
	s.Must(t, 200, "PUT", "/v1/invoices/"+z.ID+"/dunning", key, map[string]any{"paused": true})

	jobs := []*triggers.ReminderDueJob{{Store: s.DB, Clock: clk.Now}, {Store: s.DB, Clock: clk.Now}}
	runBoth := func() int { return runConcurrently(ctx, t, jobs[0], jobs[1]) }
	// announced returns the levels announced per invoice external_id.
	announced := func() map[string][]int {
		out := map[string][]int{}
		for _, e := range events(t, s, key, "?type=invoice.reminder_due&order=asc&limit=100").Data {
			var r billbridge.Reminder
			if err := json.Unmarshal(e.Data, &r); err != nil {
				t.Fatal(err)
			}
			if r.Status != "due" || r.CustomerExternalID != "crm-1" || r.SentAt != nil {
				t.Errorf("reminder_due data %s", e.Data)
			}
			out[r.InvoiceExternalID] = append(out[r.InvoiceExternalID], r.Level)
		}
		return out
	}
	// 11 October in Zurich: level 1 of the three unpaused invoices, once.
	if n := runBoth(); n != 3 {
		t.Fatalf("emitted %d on 11 October, want 3", n)
	}
	if n := runBoth(); n != 0 {
		t.Fatalf("emitted %d more", n)
	}
	if a := announced(); len(a) != 3 || len(a["deal-x"]) != 1 || a["deal-x"][0] != 1 || a["deal-w"] != nil {
		t.Fatalf("announced %v", a)
	}
	// Level 1 of x and y is sent; x is paid on 20 October.
	s.Must(t, 201, "POST", "/v1/invoices/"+x.ID+"/reminders", key, map[string]any{"channel": "email"})
	s.Must(t, 201, "POST", "/v1/invoices/"+y.ID+"/reminders", key, map[string]any{"channel": "email"})
	clk.Set(time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC))
	var got billbridge.Invoice
	s.Must(t, 200, "GET", "/v1/invoices/"+x.ID, key, nil).Decode(t, &got)
	s.Must(t, 201, "POST", "/v1/invoices/"+x.ID+"/payments", key, map[string]any{"amount": got.AmountDue})
	// 26 October: level 2 of y only (x is paid, z still waits for its level 1 to be sent).
	clk.Set(time.Date(2026, 10, 26, 10, 0, 0, 0, time.UTC))
	if n := runBoth(); n != 1 {
		t.Fatalf("emitted %d on 26 October, want 1", n)
	}
	if a := announced(); len(a["deal-y"]) != 2 || a["deal-y"][1] != 2 || len(a["deal-x"]) != 1 || len(a["deal-z"]) != 1 {
		t.Fatalf("announced %v", a)
	}
	if n := runBoth(); n != 0 {
		t.Fatalf("emitted %d more on 26 October", n)
	}
}
