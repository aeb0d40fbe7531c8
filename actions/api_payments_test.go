package actions_test

import (
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/triggers"
)

func TestAPIPayments(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Payer AG")
		inv := c.OpenInvoice(t, cust.ID, "100.00")
		path := "/v1/invoices/" + inv.ID + "/payments"
		state := func(wantStatus string, paid, due billbridge.Money) billbridge.Invoice {
			t.Helper()
			var got billbridge.Invoice
			c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
			if got.Status != wantStatus || got.AmountPaid != paid || got.AmountDue != due {
				t.Fatalf("invoice %s paid %s due %s; want %s paid %s due %s", got.Status, got.AmountPaid, got.AmountDue, wantStatus, paid, due)
			}
			return got
		}

		var p1 billbridge.Payment
		c.Must(t, 201, "POST", path, map[string]any{"amount": "30.00", "paid_at": "2026-11-01", "method": "card", "reference": "RF18"}, &p1)
		if p1.ID == "" || p1.InvoiceID != inv.ID || p1.CustomerID != cust.ID || p1.Amount != 3000 || p1.Currency != "CHF" ||
			p1.PaidAt.String() != "2026-11-01" || p1.Method != "card" || p1.Reference != "RF18" {
			t.Fatalf("payment %+v", p1)
		}
		state("partially_paid", 3000, 7000)

		var p2, p2again billbridge.Payment
		c.Must(t, 201, "POST", path, map[string]any{"amount": 20, "external_id": "camt-1"}, &p2)
		if p2.Method != "bank_transfer" || p2.ExternalID != "camt-1" {
			t.Errorf("defaults: %+v", p2)
		}
		before := apitest.CountRows(t, c)
		c.Must(t, 200, "POST", path, map[string]any{"amount": 20, "external_id": "camt-1"}, &p2again)
		if p2again.ID != p2.ID || p2again.Amount != 2000 {
			t.Errorf("repeat of camt-1: %+v, want payment %s", p2again, p2.ID)
		}
		if after := apitest.CountRows(t, c); after != before {
			t.Errorf("repeat wrote: %+v → %+v", before, after)
		}
		state("partially_paid", 5000, 5000)

		// More than the amount due is 422 and changes nothing.
		apitest.Invalid(t, c.Do(t, "POST", path, map[string]any{"amount": "50.01"}), "amount")
		state("partially_paid", 5000, 5000)

		var p3 billbridge.Payment
		c.Must(t, 201, "POST", path, map[string]any{"amount": "50.00"}, &p3)
		paid := state("paid", 10000, 0)
		if paid.PaidAt == nil {
			t.Errorf("paid invoice without paid_at")
		}
		apitest.Problem(t, c.Do(t, "POST", path, map[string]any{"amount": "0.01"}), 409, billbridge.ECONFLICT)
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+inv.ID+"/cancel", nil), 409, billbridge.ECONFLICT)
		// The payment list has each payment once, newest first.
		l := apitest.GetList[billbridge.Payment](t, c, path)
		if len(l.Data) != 3 || l.HasMore || l.NextCursor != nil {
			t.Fatalf("payments %+v", l)
		}
		var sum billbridge.Money
		seen := map[string]bool{}
		for _, p := range l.Data {
			sum += p.Amount
			seen[p.ID] = true
		}
		if sum != 10000 || !seen[p1.ID] || !seen[p2.ID] || !seen[p3.ID] {
			t.Errorf("payments %+v: sum %s", l.Data, sum)
		}
		// Events: one payment.received per counted payment, one invoice.paid.
		var feed triggers.Feed
		c.Must(t, 200, "GET", "/v1/events?type=payment.received,invoice.paid&limit=100", nil, &feed)
		counts := map[string]int{}
		for _, e := range feed.Data {
			counts[e.Type]++
		}
		if counts["payment.received"] != 3 || counts["invoice.paid"] != 1 {
			t.Errorf("events %v, want 3 payment.received and 1 invoice.paid", counts)
		}

		// Draft and cancelled invoices take no payments; unknown invoices are 404.
		draft := c.Invoice(t, cust.ID, "10")
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+draft.ID+"/payments", map[string]any{"amount": 1}), 409, billbridge.ECONFLICT)
		c.Must(t, 200, "POST", "/v1/invoices/"+draft.ID+"/cancel", nil, nil)
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+draft.ID+"/payments", map[string]any{"amount": 1}), 409, billbridge.ECONFLICT)
		apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/inv_nope/payments", map[string]any{"amount": 1}), 404, billbridge.ENOTFOUND)
		apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/inv_nope/payments", nil), 404, billbridge.ENOTFOUND)
		if l := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+draft.ID+"/payments"); len(l.Data) != 0 {
			t.Errorf("draft has payments %+v", l.Data)
		}
		// An external_id of another invoice's payment is 409 naming it.
		other := c.OpenInvoice(t, cust.ID, "10")
		p := apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+other.ID+"/payments", map[string]any{"amount": 1, "external_id": "camt-1"}), 409, billbridge.ECONFLICT)
		if p.ExistingID != p2.ID {
			t.Errorf("existing_id %q, want %q", p.ExistingID, p2.ID)
		}
	})
}

func TestAPIDealWon(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		deal := map[string]any{
			"deal_id":  "pd-815",
			"customer": map[string]any{"name": "Deal AG", "email": "Deal@AG.ch", "external_id": "pd-org-1"},
			"currency": "CHF", "finalize": true, "due_in_days": 20,
			"items": []map[string]any{{"description": "Setup", "quantity": 1, "unit_price": "180.00", "vat_rate": 8.1}},
		}
		var first actions.DealWonResult
		c.Must(t, 201, "POST", "/v1/deals/won", deal, &first)
		if !first.Created || first.Customer.ID == "" || first.Invoice.CustomerID != first.Customer.ID || first.Invoice.ExternalID != "pd-815" ||
			first.Invoice.Status != "open" || first.Invoice.Number != "INV-000001" || first.Invoice.DueInDays != 20 || first.Invoice.Total != 19458 {
			t.Fatalf("first %+v", first)
		}
		before := apitest.CountRows(t, c)
		// A repeat, even with the email spelled otherwise, is the same pair.
		deal["customer"] = map[string]any{"name": "Deal AG", "email": " deal@ag.CH"}
		var again actions.DealWonResult
		c.Must(t, 200, "POST", "/v1/deals/won", deal, &again)
		if again.Created || again.Customer.ID != first.Customer.ID || again.Invoice.ID != first.Invoice.ID || again.Invoice.Number != "INV-000001" {
			t.Errorf("repeat %+v, want the first pair", again)
		}
		if after := apitest.CountRows(t, c); after != before {
			t.Errorf("repeat wrote: %+v → %+v", before, after)
		}
		// A second deal of the same customer (matched by email) is a new draft for that customer.
		deal["deal_id"], deal["finalize"] = "pd-816", false
		var second actions.DealWonResult
		c.Must(t, 201, "POST", "/v1/deals/won", deal, &second)
		if second.Customer.ID != first.Customer.ID || second.Invoice.ID == first.Invoice.ID || second.Invoice.Status != "draft" {
			t.Errorf("second deal %+v", second)
		}
		if n := apitest.CountRows(t, c); n.Customers != 1 || n.Invoices != 2 {
			t.Errorf("rows %+v, want 1 customer and 2 invoices", n)
		}
		// The deal id is the invoice's reference: 140 characters fit (141 is 422, in TestAPIErrors).
		deal["deal_id"] = strings.Repeat("d", 140)
		var longest actions.DealWonResult
		c.Must(t, 201, "POST", "/v1/deals/won", deal, &longest)
		if longest.Invoice.Reference != deal["deal_id"] || longest.Invoice.ExternalID != deal["deal_id"] {
			t.Errorf("deal of 140 characters: reference %q, external_id %q", longest.Invoice.Reference, longest.Invoice.ExternalID)
		}
		// A deal whose invoice is refused leaves no customer behind.
		before = apitest.CountRows(t, c)
		apitest.Invalid(t, c.Do(t, "POST", "/v1/deals/won", map[string]any{"deal_id": "pd-900", "customer": map[string]any{"name": "New AG"}, "currency": "USD",
			"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}), "currency")
		apitest.Invalid(t, c.Do(t, "POST", "/v1/deals/won", map[string]any{"deal_id": "pd-901", "customer": map[string]any{"name": "New AG"}, "currency": "CHF",
			"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 999999999, "vat_rate": 8.1}}}), "items")
		if after := apitest.CountRows(t, c); after != before {
			t.Errorf("refused deals wrote: %+v → %+v", before, after)
		}
	})
}
