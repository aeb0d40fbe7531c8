package actions_test

import (
	"net/url"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestAPIControlCharactersAndDatesSameOnEveryStore: NUL and other control
// characters in a body field or query parameter, and dates outside
// 1900–2999, are 422 naming the field on SQLite and PostgreSQL alike (not a
// 500 from PostgreSQL), and write nothing; a path id holding them is 404.
// Notes and item descriptions keep their line breaks and tabs.
func TestAPIControlCharactersAndDatesSameOnEveryStore(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Text AG")
		open := c.OpenInvoice(t, cust.ID, "100.00")
		item := func(desc string) []any {
			return []any{map[string]any{"description": desc, "quantity": 1, "unit_price": "10.00", "vat_rate": 8.1}}
		}
		for _, tc := range []struct {
			name, method, path string
			body               any
			field              string
		}{
			{"customer name NUL", "POST", "/v1/customers", map[string]any{"name": "Nul\x00AG"}, "name"},
			{"customer name bell", "POST", "/v1/customers", map[string]any{"name": "Bell\aAG"}, "name"},
			{"customer name C1", "POST", "/v1/customers", map[string]any{"name": "Next\u0085Line"}, "name"},
			{"customer name newline inside", "POST", "/v1/customers", map[string]any{"name": "Two\nLines"}, "name"},
			{"upsert external_id NUL", "POST", "/v1/customers/upsert", map[string]any{"name": "A", "external_id": "x\x00"}, "external_id"},
			{"customer city NUL", "POST", "/v1/customers", map[string]any{"name": "A", "address": map[string]any{"city": "Z\x00rich"}}, "address.city"},
			{"patch phone NUL", "PATCH", "/v1/customers/" + cust.ID, map[string]any{"phone": "+41\x00"}, "phone"},
			{"invoice reference NUL", "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": item("Work"), "reference": "R\x00"}, "reference"},
			{"invoice notes NUL", "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": item("Work"), "notes": "a\nb\x00"}, "notes"},
			{"item description NUL", "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": item("W\x00rk")}, "items[0].description"},
			{"invoice customer_id NUL", "POST", "/v1/invoices", map[string]any{"customer_id": "cus_\x00", "currency": "CHF", "items": item("Work")}, "customer_id"},
			{"issue_date year 0", "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": item("Work"), "issue_date": "0000-01-01"}, "issue_date"},
			{"issue_date 1899", "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": item("Work"), "issue_date": "1899-12-31"}, "issue_date"},
			{"finalize issue_date year 0", "POST", "/v1/invoices/" + open.ID + "/finalize", map[string]any{"issue_date": "0000-01-01"}, "issue_date"},
			{"paid_at year 0", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "paid_at": "0000-01-01"}, "paid_at"},
			{"paid_at year 3000", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "paid_at": "3000-01-01"}, "paid_at"},
			{"payment reference NUL", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "reference": "\x00"}, "reference"},
			{"payment external_id NUL", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "external_id": "camt\x00"}, "external_id"},
			{"deal_id NUL", "POST", "/v1/deals/won", map[string]any{"deal_id": "d\x00", "customer": map[string]any{"name": "A"}, "currency": "CHF", "items": item("Work")}, "deal_id"},
			{"deal customer email NUL", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"name": "A", "email": "a\x00@b.ch"}, "currency": "CHF", "items": item("Work")}, "customer.email"},
			{"qr-bill creditor name NUL", "PUT", "/v1/settings/qr-bill", qrSettings("creditor.name", "Robert\x00AG"), "creditor.name"},
			{"hook target_url NUL", "POST", "/v1/hooks", map[string]any{"target_url": "https://hooks.example.com/\x00", "events": []string{"invoice.paid"}}, "target_url"},
			{"customers q NUL", "GET", "/v1/customers?q=" + url.QueryEscape("a\x00"), nil, "q"},
			{"customers external_id NUL", "GET", "/v1/customers?external_id=%00", nil, "external_id"},
			{"customers email invalid UTF-8", "GET", "/v1/customers?email=%FF", nil, "email"},
			{"invoices number NUL", "GET", "/v1/invoices?number=%00", nil, "number"},
			{"invoices customer_id NUL", "GET", "/v1/invoices?customer_id=cus_%00", nil, "customer_id"},
			{"invoices starting_after NUL", "GET", "/v1/invoices?starting_after=inv_%00", nil, "starting_after"},
			{"hooks target_url NUL", "GET", "/v1/hooks?target_url=%00", nil, "target_url"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := apitest.CountRows(t, c)
				apitest.Invalid(t, c.Do(t, tc.method, tc.path, tc.body), tc.field)
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("refused request wrote: %+v → %+v", before, after)
				}
			})
		}
		for _, path := range []string{
			"/v1/customers/cus_%00", "/v1/customers/%FF", "/v1/invoices/inv_%00", "/v1/invoices/inv_%00/payments",
			"/v1/invoices/inv_%01/qr-bill", "/v1/invoices/inv_%00/pdf",
		} {
			t.Run("GET "+path, func(t *testing.T) { apitest.Problem(t, c.Do(t, "GET", path, nil), 404, billbridge.ENOTFOUND) })
		}
		for _, tc := range []struct{ method, path string }{
			{"PATCH", "/v1/customers/cus_%00"}, {"POST", "/v1/invoices/inv_%00/finalize"}, {"POST", "/v1/invoices/inv_%00/cancel"},
			{"POST", "/v1/invoices/inv_%00/payments"},
		} {
			t.Run(tc.method+" "+tc.path, func(t *testing.T) {
				body := map[string]any{}
				if tc.method == "POST" && tc.path[len(tc.path)-1] == 's' {
					body = map[string]any{"amount": 1}
				}
				apitest.Problem(t, c.Do(t, tc.method, tc.path, body), 404, billbridge.ENOTFOUND)
			})
		}
		t.Run("DELETE of a hook id no hook can have is 204 like any gone hook", func(t *testing.T) {
			if r := c.Do(t, "DELETE", "/v1/hooks/hook_%00", nil); r.Status != 204 {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
		})
		t.Run("line breaks and tabs stay in notes and descriptions", func(t *testing.T) {
			var inv billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF",
				"items": item("Setup\r\n\tand training"), "notes": "Thank you.\nIBAN below.", "issue_date": "2000-01-01"}, &inv)
			if inv.Items[0].Description != "Setup\r\n\tand training" || inv.Notes != "Thank you.\nIBAN below." || inv.IssueDate.String() != "2000-01-01" {
				t.Errorf("stored %+q / %+q / %v", inv.Items[0].Description, inv.Notes, inv.IssueDate)
			}
		})
	})
}
