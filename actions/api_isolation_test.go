package actions_test

import (
	"net/url"
	"strings"
	"testing"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/triggers"
)

// TestAPIIsolation: account B gets 404 for every id of account A, never sees
// A's rows in lists, searches or the event feed, and A's natural keys do not
// match B's writes.
func TestAPIIsolation(t *testing.T) {
	apitest.EachStore(t, apitest.Options{AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		a, b := apitest.NewClient(t, s), apitest.NewClient(t, s)
		cust := a.Customer(t, "Alpha GmbH", "email", "billing@alpha.ch", "external_id", "crm-a", "customer_number", "A-1")
		inv := a.OpenInvoice(t, cust.ID, "100")
		draft := a.Invoice(t, cust.ID, "10", "external_id", "deal-a")
		var pay billbridge.Payment
		a.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": 10, "external_id": "camt-a"}, &pay)
		var hook billbridge.Hook
		a.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/alpha", "events": []string{"*"}}, &hook)
		aRows := apitest.CountRows(t, a)

		// Every id of A is 404 for B, reads and writes alike.
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/v1/customers/" + cust.ID, nil},
			{"PATCH", "/v1/customers/" + cust.ID, map[string]any{"name": "Taken over"}},
			{"GET", "/v1/invoices/" + inv.ID, nil},
			{"GET", "/v1/invoices/" + draft.ID, nil},
			{"POST", "/v1/invoices/" + draft.ID + "/finalize", nil},
			{"POST", "/v1/invoices/" + inv.ID + "/cancel", nil},
			{"POST", "/v1/invoices/" + inv.ID + "/payments", map[string]any{"amount": 1}},
			{"GET", "/v1/invoices/" + inv.ID + "/payments", nil},
		} {
			apitest.Problem(t, b.Do(t, r.method, r.path, r.body), 404, billbridge.ENOTFOUND)
		}
		apitest.Invalid(t, b.Do(t, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF",
			"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}), "customer_id")
		// Deleting A's hook as B is the 204 of a hook that is not there, and A keeps it.
		b.Must(t, 204, "DELETE", "/v1/hooks/"+hook.ID, nil, nil)
		if l := apitest.GetList[billbridge.Hook](t, a, "/v1/hooks"); len(l.Data) != 1 || l.Data[0].ID != hook.ID {
			t.Errorf("A's hooks after B's delete: %+v", l.Data)
		}

		// B's own rows, so its lists are not empty for want of data.
		bCust := b.Customer(t, "Beta AG")
		bInv := b.OpenInvoice(t, bCust.ID, "5")

		// B's lists and searches never show A's rows.
		aIDs := []string{cust.ID, inv.ID, draft.ID, pay.ID, hook.ID}
		for _, path := range []string{
			"/v1/customers?limit=100",
			"/v1/customers?email=billing%40alpha.ch",
			"/v1/customers?external_id=crm-a",
			"/v1/customers?customer_number=A-1",
			"/v1/customers?q=alpha",
			"/v1/invoices?limit=100",
			"/v1/invoices?status=unpaid",
			"/v1/invoices?status=partially_paid",
			"/v1/invoices?status=draft",
			"/v1/invoices?customer_id=" + cust.ID,
			"/v1/invoices?external_id=deal-a",
			"/v1/invoices?number=INV-000001",
			"/v1/events?limit=100",
			"/v1/events?limit=100&order=asc&after=" + triggers.EncodeCursor(0),
			"/v1/hooks",
			"/v1/hooks?target_url=" + url.QueryEscape(hook.TargetURL),
		} {
			r := b.Must(t, 200, "GET", path, nil, nil)
			for _, id := range aIDs {
				if strings.Contains(string(r.Body), id) {
					t.Errorf("B's GET %s shows A's %s: %s", path, id, r.Body)
				}
			}
			for _, word := range []string{"alpha", "Alpha", "crm-a", "deal-a", "camt-a"} {
				if strings.Contains(string(r.Body), word) {
					t.Errorf("B's GET %s shows A's %q", path, word)
				}
			}
		}
		// A's ids are no cursors of B's lists: 400 naming starting_after,
		// without A's data.
		for _, path := range []string{
			"/v1/invoices?starting_after=" + inv.ID,
			"/v1/customers?starting_after=" + cust.ID,
			"/v1/invoices/" + bInv.ID + "/payments?starting_after=" + pay.ID,
			"/v1/hooks?starting_after=" + hook.ID,
		} {
			r := b.Do(t, "GET", path, nil)
			apitest.Problem(t, r, 400, billbridge.ECURSORINVALID)
			for _, id := range aIDs {
				if strings.Contains(string(r.Body), id) {
					t.Errorf("B's GET %s shows A's %s: %s", path, id, r.Body)
				}
			}
		}
		// B's feed holds exactly B's events.
		var feed triggers.Feed
		b.Must(t, 200, "GET", "/v1/events?limit=100", nil, &feed)
		if len(feed.Data) != 3 { // customer.created, invoice.created, invoice.finalized
			t.Errorf("B's feed has %d events, want its own 3", len(feed.Data))
		}

		// A's natural keys do not match B's writes: B gets new rows of its own.
		var up actions.UpsertResult
		b.Must(t, 201, "POST", "/v1/customers/upsert", map[string]any{"name": "Beta 2", "email": "BILLING@alpha.ch", "external_id": "crm-a", "customer_number": "A-1"}, &up)
		if !up.Created || up.ID == cust.ID {
			t.Errorf("B's upsert with A's keys: %+v", up)
		}
		var bDraft billbridge.Invoice
		b.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": bCust.ID, "external_id": "deal-a", "currency": "CHF",
			"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}, &bDraft)
		var bPay billbridge.Payment
		b.Must(t, 201, "POST", "/v1/invoices/"+bInv.ID+"/payments", map[string]any{"amount": 1, "external_id": "camt-a"}, &bPay)
		var deal actions.DealWonResult
		b.Must(t, 201, "POST", "/v1/deals/won", map[string]any{"deal_id": "deal-a-2", "customer": map[string]any{"name": "Alpha GmbH", "email": "billing@alpha.ch"},
			"currency": "CHF", "items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}, &deal)
		if deal.Customer.ID == cust.ID || bDraft.ID == draft.ID || bPay.ID == pay.ID || bInv.Number != "INV-000001" {
			t.Errorf("B's writes met A's rows: deal %+v draft %s payment %s number %s", deal.Customer, bDraft.ID, bPay.ID, bInv.Number)
		}

		// A's rows are as A left them.
		if after := apitest.CountRows(t, a); after != aRows {
			t.Errorf("A's rows changed: %+v → %+v", aRows, after)
		}
		var got billbridge.Invoice
		a.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
		if got.AmountPaid != 1000 || got.Status != "partially_paid" {
			t.Errorf("A's invoice %+v", got)
		}
		var gotCust billbridge.Customer
		a.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, &gotCust)
		if gotCust.Name != "Alpha GmbH" {
			t.Errorf("A's customer %+v", gotCust)
		}
	})
}
