package actions_test

import (
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPICustomerReport checks the customers report on both stores: one row
// per customer and currency owing anything today, to the centime (reminder
// interest included), in both orders, paged by next_cursor, filtered by
// currency, as CSV, scoped to the account; figures worked out by hand.
func TestAPICustomerReport(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		alter := c.Customer(t, "Alter AG", "external_id", "crm-1")
		beta := c.Customer(t, "Beta GmbH", "customer_number", "K-2")
		gamma := c.Customer(t, "Gamma SA")
		c.Customer(t, "Delta AG") // owes nothing: not listed
		// Alter: A 1286.20 due 14 Nov, 286.20 paid → 1000.00, 18 days overdue; B cancelled.
		a := reportInvoice(t, c, alter.ID, "CHF", "2026-10-15", 30, [2]string{"1000.00", "8.1"}, [2]string{"200.00", "2.6"})
		c.Must(t, 201, "POST", "/v1/invoices/"+a.ID+"/payments", map[string]any{"amount": "286.20", "paid_at": "2026-11-10"}, nil)
		b := reportInvoice(t, c, alter.ID, "CHF", "2026-11-03", 30, [2]string{"500.00", "8.1"})
		c.Must(t, 200, "POST", "/v1/invoices/"+b.ID+"/cancel", nil, nil)
		// Beta: E CHF 2000.00 due 25 Dec (current); F EUR 50.00 due 11 Oct, 52 days; a paid invoice.
		reportInvoice(t, c, beta.ID, "CHF", "2026-11-25", 30, [2]string{"2000.00", "0"})
		reportInvoice(t, c, beta.ID, "EUR", "2026-10-01", 10, [2]string{"50.00", "0"})
		paid := reportInvoice(t, c, beta.ID, "CHF", "2026-11-01", 10, [2]string{"70.00", "0"})
		c.Must(t, 201, "POST", "/v1/invoices/"+paid.ID+"/payments", map[string]any{"amount": 70, "paid_at": "2026-11-05"}, nil)
		c.Must(t, 200, "PUT", "/v1/customers/"+beta.ID+"/dunning", map[string]any{"paused": true}, nil)
		// Gamma: H 300.00 due 11 Sep, 82 days; a Zahlungserinnerung today adds 300.00 × 5 % × 82/365 = 3.3699 → 3.37.
		h := reportInvoice(t, c, gamma.ID, "CHF", "2026-09-01", 10, [2]string{"300.00", "0"})
		c.Must(t, 201, "POST", "/v1/invoices/"+h.ID+"/reminders", map[string]any{"channel": "post"}, nil)

		rowAlter := billbridge.CustomerReceivables{CustomerID: alter.ID, CustomerName: "Alter AG", ExternalID: "crm-1", Currency: "CHF",
			Outstanding: 100000, OutstandingCount: 1, Overdue: 100000, OverdueCount: 1, OldestOverdueDays: 18}
		rowGamma := billbridge.CustomerReceivables{CustomerID: gamma.ID, CustomerName: "Gamma SA", Currency: "CHF",
			Outstanding: 30337, OutstandingCount: 1, Overdue: 30337, OverdueCount: 1, OldestOverdueDays: 82, MaxReminderLevel: 1}
		rowBetaEUR := billbridge.CustomerReceivables{CustomerID: beta.ID, CustomerName: "Beta GmbH", CustomerNumber: "K-2", Currency: "EUR",
			Outstanding: 5000, OutstandingCount: 1, Overdue: 5000, OverdueCount: 1, OldestOverdueDays: 52, DunningPaused: true}
		rowBetaCHF := billbridge.CustomerReceivables{CustomerID: beta.ID, CustomerName: "Beta GmbH", CustomerNumber: "K-2", Currency: "CHF",
			Outstanding: 200000, OutstandingCount: 1, DunningPaused: true}
		check := func(path string, want ...billbridge.CustomerReceivables) apitest.List[billbridge.CustomerReceivables] {
			t.Helper()
			l := apitest.GetList[billbridge.CustomerReceivables](t, c, path)
			if len(l.Data) != len(want) {
				t.Fatalf("%s: %d rows %+v, want %d", path, len(l.Data), l.Data, len(want))
			}
			for i := range want {
				l.Data[i].OldestDueDate = nil
				if l.Data[i] != want[i] {
					t.Errorf("%s row %d:\n got  %+v\n want %+v", path, i, l.Data[i], want[i])
				}
			}
			return l
		}
		check("/v1/reports/customers", rowAlter, rowGamma, rowBetaEUR, rowBetaCHF)
		check("/v1/reports/customers?sort=outstanding_desc", rowBetaCHF, rowAlter, rowGamma, rowBetaEUR)
		check("/v1/reports/customers?currency=EUR", rowBetaEUR)
		first := check("/v1/reports/customers?sort=overdue_desc&limit=2", rowAlter, rowGamma)
		if !first.HasMore || first.NextCursor == nil {
			t.Fatalf("page 1: has_more %v, next_cursor %v", first.HasMore, first.NextCursor)
		}
		second := check("/v1/reports/customers?sort=overdue_desc&limit=2&starting_after="+*first.NextCursor, rowBetaEUR, rowBetaCHF)
		if second.HasMore || second.NextCursor != nil {
			t.Fatalf("page 2: has_more %v, next_cursor %v", second.HasMore, second.NextCursor)
		}
		resp := c.Do(t, "GET", "/v1/reports/customers?limit=1", nil, "Accept", "text/csv")
		csv := strings.ReplaceAll(string(resp.Body), "\r\n", "\n")
		if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(csv, "customer_id,customer_name,external_id,customer_number,currency,outstanding,outstanding_count,overdue,overdue_count,oldest_overdue_days,max_reminder_level,dunning_paused\n") ||
			!strings.Contains(csv, "\n"+gamma.ID+",Gamma SA,,,CHF,303.37,1,303.37,1,82,1,false\n") || strings.Count(csv, "\n") != 5 {
			t.Fatalf("CSV %d %s (every row despite limit=1):\n%s", resp.Status, resp.Header.Get("Content-Type"), csv)
		}
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/customers?sort=name", nil), "sort")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/customers?currency=USD", nil), "currency")
		p := apitest.Problem(t, c.Do(t, "GET", "/v1/reports/customers?starting_after="+alter.ID, nil), 400, billbridge.ECURSORINVALID)
		if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != "starting_after" {
			t.Fatalf("cursor problem %+v", p)
		}
		if l := apitest.GetList[billbridge.CustomerReceivables](t, apitest.NewClient(t, s), "/v1/reports/customers"); len(l.Data) != 0 {
			t.Fatalf("another account sees %+v", l.Data)
		}
	})
}
