package actions_test

import (
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

func TestAPIInvoices(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("create stores the invoice as a draft with trimmed items; get and a repeated external_id answer it", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Dupont GmbH", "payment_terms_days", 14)
			body := map[string]any{
				"customer_id": cust.ID, "external_id": "deal-1", "currency": "EUR", "reference": "Order 4711", "notes": "Thanks",
				"items": []map[string]any{{"description": " Consulting ", "quantity": "1.5", "unit_price": 120, "vat_rate": "8.1"}},
			}
			var inv billbridge.Invoice
			apitest.Step(t, "a new invoice is a draft with trimmed items, VAT per line and the customer's terms", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/invoices", body, &inv)
				if inv.ID == "" || inv.CustomerID != cust.ID || inv.Status != "draft" || inv.Currency != "EUR" || inv.Number != "" ||
					inv.ExternalID != "deal-1" || inv.DueInDays != 14 || inv.Reference != "Order 4711" || inv.Notes != "Thanks" ||
					inv.IssueDate != nil || inv.DueDate != nil || inv.FinalizedAt != nil || len(inv.Items) != 1 || inv.Items[0].Description != "Consulting" {
					t.Fatalf("created %+v", inv)
				}
				// 1.5 × 120.00 = 180.00; 8.1 % of 180.00 = 14.58.
				if inv.Items[0].Amount != 18000 || inv.Subtotal != 18000 || inv.VATTotal != 1458 || inv.Total != 19458 || inv.AmountPaid != 0 || inv.AmountDue != 19458 {
					t.Errorf("amounts %+v", inv)
				}
			})
			apitest.Step(t, "GET answers the invoice as created", func(t *testing.T) {
				var got billbridge.Invoice
				c.Must(t, 200, "GET", "/v1/invoices/"+inv.ID, nil, &got)
				if got.ID != inv.ID || got.Total != inv.Total || got.Status != "draft" {
					t.Errorf("get %+v", got)
				}
			})
			apitest.Step(t, "the same external_id again answers the same invoice with 200, whatever the rest says, and writes nothing", func(t *testing.T) {
				before := apitest.CountRows(t, c)
				body["items"] = []map[string]any{{"description": "Other", "quantity": 1, "unit_price": 1, "vat_rate": 0}}
				var again billbridge.Invoice
				c.Must(t, 200, "POST", "/v1/invoices", body, &again)
				if again.ID != inv.ID || again.Total != inv.Total {
					t.Errorf("repeat %+v, want invoice %s unchanged", again, inv.ID)
				}
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("repeat wrote: %+v → %+v", before, after)
				}
			})
			apitest.Step(t, "due_in_days from the request wins over the customer's terms", func(t *testing.T) {
				if inv := c.Invoice(t, cust.ID, "10", "due_in_days", 5); inv.DueInDays != 5 {
					t.Errorf("due_in_days %d, want 5", inv.DueInDays)
				}
			})
			// The currency is the ISO 4217 code as the spec's enum lists it: "eur" is refused, not guessed.
			apitest.Step(t, "a currency not as ISO 4217 spells it or an unknown customer is refused naming the field; unknown invoices are 404", func(t *testing.T) {
				apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "eur",
					"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}), "currency")
				apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices", map[string]any{"customer_id": "cus_nope", "currency": "CHF",
					"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}}}), "customer_id")
				apitest.Problem(t, c.Do(t, "GET", "/v1/invoices/inv_nope", nil), 404, billbridge.ENOTFOUND)
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/inv_nope/finalize", nil), 404, billbridge.ENOTFOUND)
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/inv_nope/cancel", nil), 404, billbridge.ENOTFOUND)
			})
		})

		t.Run("vat per rate half-up", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "VAT AG")
			for _, tc := range []struct {
				name  string
				items []map[string]any
				// Expected, worked out by hand.
				amounts                   []string
				breakdown                 [][3]string // rate, net, vat
				subtotal, vatTotal, total string
			}{
				{
					name: "three rates",
					items: []map[string]any{
						{"description": "A", "quantity": 1, "unit_price": 100, "vat_rate": 8.1},
						{"description": "B", "quantity": 1, "unit_price": "80.00", "vat_rate": 8.1},
						{"description": "C", "quantity": 1, "unit_price": "30.05", "vat_rate": 2.6},
						{"description": "D", "quantity": 2.5, "unit_price": 5, "vat_rate": 3.8},
					},
					amounts: []string{"100.00", "80.00", "30.05", "12.50"},
					// 8.1 % of 180.00 = 14.58; 2.6 % of 30.05 = 0.7813 → 0.78; 3.8 % of 12.50 = 0.475 → 0.48 (half up).
					breakdown: [][3]string{{"2.6", "30.05", "0.78"}, {"3.8", "12.50", "0.48"}, {"8.1", "180.00", "14.58"}},
					subtotal:  "222.55", vatTotal: "15.84", total: "238.39",
				},
				{
					name:    "a half cent rounds up",
					items:   []map[string]any{{"description": "A", "quantity": 1, "unit_price": 5, "vat_rate": 8.1}},
					amounts: []string{"5.00"},
					// 8.1 % of 5.00 = 0.405 → 0.41.
					breakdown: [][3]string{{"8.1", "5.00", "0.41"}},
					subtotal:  "5.00", vatTotal: "0.41", total: "5.41",
				},
				{
					name: "per rate, not per line",
					items: []map[string]any{
						{"description": "A", "quantity": 1, "unit_price": 5, "vat_rate": 8.1},
						{"description": "B", "quantity": 1, "unit_price": 5, "vat_rate": 8.1},
						{"description": "C", "quantity": 1, "unit_price": 5, "vat_rate": 8.1},
					},
					amounts: []string{"5.00", "5.00", "5.00"},
					// 8.1 % of 15.00 = 1.215 → 1.22 (three lines rounded alone would give 3 × 0.41 = 1.23).
					breakdown: [][3]string{{"8.1", "15.00", "1.22"}},
					subtotal:  "15.00", vatTotal: "1.22", total: "16.22",
				},
				{
					name: "line amount rounds half up",
					items: []map[string]any{
						{"description": "A", "quantity": 0.005, "unit_price": 1, "vat_rate": 0},
						{"description": "B", "quantity": 1.333, "unit_price": 3, "vat_rate": 0},
					},
					// 0.005 × 1.00 = 0.005 → 0.01; 1.333 × 3.00 = 3.999 → 4.00.
					amounts:   []string{"0.01", "4.00"},
					breakdown: [][3]string{{"0", "4.01", "0.00"}},
					subtotal:  "4.01", vatTotal: "0.00", total: "4.01",
				},
			} {
				r := c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": tc.items}, nil)
				m := apitest.Numbers(t, r.Body)
				items := m["items"].([]any)
				var amounts []string
				for _, it := range items {
					amounts = append(amounts, apitest.Text(it.(map[string]any)["amount"]))
				}
				var breakdown [][3]string
				for _, l := range m["vat_breakdown"].([]any) {
					l := l.(map[string]any)
					breakdown = append(breakdown, [3]string{apitest.Text(l["rate"]), apitest.Text(l["net"]), apitest.Text(l["vat"])})
				}
				if !slices.Equal(amounts, tc.amounts) || !slices.Equal(breakdown, tc.breakdown) ||
					apitest.Text(m["subtotal"]) != tc.subtotal || apitest.Text(m["vat_total"]) != tc.vatTotal || apitest.Text(m["total"]) != tc.total || apitest.Text(m["amount_due"]) != tc.total {
					t.Errorf("%s: amounts %v breakdown %v subtotal %v vat %v total %v due %v; want %v %v %s %s %s",
						tc.name, amounts, breakdown, m["subtotal"], m["vat_total"], m["total"], m["amount_due"], tc.amounts, tc.breakdown, tc.subtotal, tc.vatTotal, tc.total)
				}
			}
		})

		t.Run("finalize numbers gaplessly and sets the dates, once; cancel takes a draft or an unpaid open invoice, else 409", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Numbers AG")
			a, b := c.Invoice(t, cust.ID, "10"), c.Invoice(t, cust.ID, "20", "due_in_days", 10)
			var fa, fb billbridge.Invoice
			var zero billbridge.Invoice
			apitest.Step(t, "finalize numbers gaplessly and sets the issue and due dates", func(t *testing.T) {
				c.Must(t, 200, "POST", "/v1/invoices/"+a.ID+"/finalize", nil, &fa)
				c.Must(t, 200, "POST", "/v1/invoices/"+b.ID+"/finalize", nil, &fb)
				if fa.Number != "INV-000001" || fb.Number != "INV-000002" || fa.Status != "open" || fa.FinalizedAt == nil || fa.IssueDate == nil || fa.DueDate == nil {
					t.Fatalf("finalized %+v and %+v, want INV-000001 and INV-000002, open", fa, fb)
				}
				if want := fb.IssueDate.AddDays(10); *fb.DueDate != want {
					t.Errorf("due date %v, want issue date + 10 = %v", fb.DueDate, want)
				}
			})
			apitest.Step(t, "an invoice is finalized once, and never with a zero total", func(t *testing.T) {
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+a.ID+"/finalize", nil), 409, billbridge.ECONFLICT)
				zero = c.Invoice(t, cust.ID, "0")
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+zero.ID+"/finalize", nil), 409, billbridge.ECONFLICT)
			})
			apitest.Step(t, "cancel takes a draft and an open invoice without payments, once", func(t *testing.T) {
				var cz, ca billbridge.Invoice
				c.Must(t, 200, "POST", "/v1/invoices/"+zero.ID+"/cancel", nil, &cz)
				c.Must(t, 200, "POST", "/v1/invoices/"+a.ID+"/cancel", nil, &ca)
				if cz.Status != "cancelled" || ca.Status != "cancelled" || ca.CancelledAt == nil || ca.Number != "INV-000001" {
					t.Errorf("cancelled %+v %+v", cz, ca)
				}
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+a.ID+"/cancel", nil), 409, billbridge.ECONFLICT)
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+zero.ID+"/finalize", nil), 409, billbridge.ECONFLICT)
			})
			apitest.Step(t, "an invoice with payments is not cancelled, and the refusal writes nothing", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/invoices/"+b.ID+"/payments", map[string]any{"amount": "1.00"}, nil)
				before := apitest.CountRows(t, c)
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+b.ID+"/cancel", nil), 409, billbridge.ECONFLICT)
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("refused cancel wrote: %+v → %+v", before, after)
				}
			})
			apitest.Step(t, "numbers continue without a gap after cancellations", func(t *testing.T) {
				var fc billbridge.Invoice
				c.Must(t, 200, "POST", "/v1/invoices/"+c.Invoice(t, cust.ID, "5").ID+"/finalize", nil, &fc)
				if fc.Number != "INV-000003" {
					t.Errorf("third number %q, want INV-000003", fc.Number)
				}
			})
		})

		t.Run("the invoice list filters by status, customer and external_id", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			one, two := c.Customer(t, "One AG"), c.Customer(t, "Two AG")
			draft := c.Invoice(t, one.ID, "10", "external_id", "crm-draft")
			open := c.OpenInvoice(t, one.ID, "10")
			part := c.OpenInvoice(t, one.ID, "10")
			c.Must(t, 201, "POST", "/v1/invoices/"+part.ID+"/payments", map[string]any{"amount": 4}, nil)
			paid := c.OpenInvoice(t, two.ID, "10")
			c.Must(t, 201, "POST", "/v1/invoices/"+paid.ID+"/payments", map[string]any{"amount": 10}, nil)
			cancelled := c.Invoice(t, two.ID, "10")
			c.Must(t, 200, "POST", "/v1/invoices/"+cancelled.ID+"/cancel", nil, nil)

			for query, want := range map[string][]string{
				"":                                     {draft.ID, open.ID, part.ID, paid.ID, cancelled.ID},
				"?status=draft":                        {draft.ID},
				"?status=open":                         {open.ID},
				"?status=partially_paid":               {part.ID},
				"?status=paid":                         {paid.ID},
				"?status=cancelled":                    {cancelled.ID},
				"?status=overdue":                      {},
				"?status=unpaid":                       {open.ID, part.ID},
				"?customer_id=" + one.ID:               {draft.ID, open.ID, part.ID},
				"?customer_id=" + two.ID:               {paid.ID, cancelled.ID},
				"?customer_id=cus_nope":                {},
				"?external_id=crm-draft":               {draft.ID},
				"?external_id=crm-nope":                {},
				"?status=unpaid&customer_id=" + two.ID: {},
				"?status=paid&customer_id=" + two.ID:   {paid.ID},
			} {
				l := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices"+query)
				if got := ids(l.Data); !sameSet(got, want) || l.HasMore || l.NextCursor != nil {
					t.Errorf("GET /v1/invoices%s: %v (has_more %v), want %v", query, got, l.HasMore, want)
				}
			}
			apitest.Invalid(t, c.Do(t, "GET", "/v1/invoices?status=late", nil), "status")
		})
	})
}

// TestAPIInvoicesOverdue moves the clock past due dates: overdue is derived
// in the account's time zone, listed under overdue and unpaid, and still payable.
func TestAPIInvoicesOverdue(t *testing.T) {
	// 23:30 UTC on 2 March is 00:30 on 3 March in Zurich.
	start := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(start)
			s := apitest.Start(t, apitest.Options{Store: store, Clock: clk.Now})
			c := apitest.NewClient(t, s)
			cust := c.Customer(t, "Late AG")
			var soon, later billbridge.Invoice
			apitest.Step(t, "issue and due dates are days of the account's time zone", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "finalize": true, "due_in_days": 1,
					"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 50, "vat_rate": 0}}}, &soon)
				c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "finalize": true, "due_in_days": 30,
					"items": []map[string]any{{"description": "x", "quantity": 1, "unit_price": 50, "vat_rate": 0}}}, &later)
				if soon.IssueDate.String() != "2026-03-03" || soon.DueDate.String() != "2026-03-04" {
					t.Fatalf("issue %v due %v, want 2026-03-03 and 2026-03-04 (Zurich's date)", soon.IssueDate, soon.DueDate)
				}
			})
			check := func(t *testing.T, when string, want map[string][]string) {
				t.Helper()
				for status, ids0 := range want {
					l := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?status="+status)
					if got := ids(l.Data); !sameSet(got, ids0) {
						t.Errorf("%s: status=%s lists %v, want %v", when, status, got, ids0)
					}
					for _, inv := range l.Data {
						if status != "unpaid" && inv.Status != status {
							t.Errorf("%s: status=%s lists %s with status %s", when, status, inv.ID, inv.Status)
						}
					}
				}
			}
			apitest.Step(t, "on the due date itself the invoice is not overdue yet", func(t *testing.T) {
				clk.Add(24 * time.Hour)
				check(t, "on the due date", map[string][]string{"open": {soon.ID, later.ID}, "overdue": {}, "unpaid": {soon.ID, later.ID}})
			})
			apitest.Step(t, "the next day in Zurich it is overdue while UTC is still on the due date", func(t *testing.T) {
				// 23:00 UTC on 4 March is already 5 March in Zurich: overdue.
				clk.Add(23*time.Hour + 30*time.Minute)
				check(t, "a day after", map[string][]string{"open": {later.ID}, "overdue": {soon.ID}, "unpaid": {soon.ID, later.ID}})
				var got billbridge.Invoice
				c.Must(t, 200, "GET", "/v1/invoices/"+soon.ID, nil, &got)
				if got.Status != "overdue" {
					t.Errorf("GET overdue invoice: status %q", got.Status)
				}
			})
			apitest.Step(t, "partly paid and overdue stays overdue, still payable", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/invoices/"+soon.ID+"/payments", map[string]any{"amount": 20}, &struct{}{})
				check(t, "partly paid", map[string][]string{"overdue": {soon.ID}, "partially_paid": {}, "unpaid": {soon.ID, later.ID}})
			})
			apitest.Step(t, "paid leaves the overdue and unpaid lists", func(t *testing.T) {
				c.Must(t, 201, "POST", "/v1/invoices/"+soon.ID+"/payments", map[string]any{"amount": 30}, nil)
				check(t, "paid", map[string][]string{"overdue": {}, "paid": {soon.ID}, "unpaid": {later.ID}})
			})
		})
	}
}

// ids lists the ids of invoices in their order.
func ids(invs []billbridge.Invoice) []string {
	out := []string{}
	for _, inv := range invs {
		out = append(out, inv.ID)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
