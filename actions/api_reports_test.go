package actions_test

import (
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIReceivables checks the receivables report to the centime today
// and on two days in the past, reproduced from payment and reminder dates,
// on both stores; figures worked out by hand in the comments.
func TestAPIReceivables(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Alter AG")
		inv := func(cur string, amount int, issue string, dueIn int, finalize bool) billbridge.Invoice {
			var i billbridge.Invoice
			c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": cur, "finalize": finalize,
				"issue_date": issue, "due_in_days": dueIn,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 0}}}, &i)
			return i
		}
		inv("CHF", 100, "2026-11-20", 30, true)       // A: due 20 Dec, current
		b := inv("CHF", 200, "2026-10-01", 30, true)  // B: due 31 Oct
		cc := inv("CHF", 300, "2026-09-01", 10, true) // C: due 11 Sep, 50.00 paid on 15 Nov
		d := inv("CHF", 400, "2026-06-01", 30, true)  // D: due 1 Jul, paid on 30 Nov
		inv("EUR", 500, "2026-11-25", 5, true)        // E: due 30 Nov
		f := inv("CHF", 600, "2026-11-01", 30, true)  // F: cancelled
		inv("CHF", 700, "2026-11-01", 30, false)      // G: a draft
		c.Must(t, 201, "POST", "/v1/invoices/"+cc.ID+"/payments", map[string]any{"amount": 50, "paid_at": "2026-11-15"}, nil)
		c.Must(t, 201, "POST", "/v1/invoices/"+d.ID+"/payments", map[string]any{"amount": 400, "paid_at": "2026-11-30"}, nil)
		c.Must(t, 200, "POST", "/v1/invoices/"+f.ID+"/cancel", nil, nil)
		// A reminder today on B: 200.00 × 5 % × 32/365 = 0.8767 → 0.88.
		var r billbridge.Reminder
		c.Must(t, 201, "POST", "/v1/invoices/"+b.ID+"/reminders", map[string]any{"channel": "email"}, &r)
		if r.Interest != 88 {
			t.Fatalf("reminder interest %s", r.Interest)
		}
		bucket := func(a, n int) billbridge.Bucket { return billbridge.Bucket{Amount: billbridge.Money(a), Count: n} }
		for _, tc := range []struct {
			asOf string
			want []billbridge.ReceivablesLine
		}{
			// Today: A current 100.00; B 32 days past due 200.88; C 82 days 250.00; E 2 days.
			{"", []billbridge.ReceivablesLine{
				{Currency: "CHF", Outstanding: 55088, OutstandingCount: 3, Overdue: 45088, OverdueCount: 2,
					Aging: billbridge.Aging{Current: bucket(10000, 1), Days31To60: bucket(20088, 1), Days61To90: bucket(25000, 1)}},
				{Currency: "EUR", Outstanding: 50000, OutstandingCount: 1, Overdue: 50000, OverdueCount: 1,
					Aging: billbridge.Aging{Days1To30: bucket(50000, 1)}}}},
			// 29 November: F not cancelled yet (current with A), B 29 days, C 79 days, D unpaid 151 days, E not due yet; no reminder yet.
			{"2026-11-29", []billbridge.ReceivablesLine{
				{Currency: "CHF", Outstanding: 155000, OutstandingCount: 5, Overdue: 85000, OverdueCount: 3,
					Aging: billbridge.Aging{Current: bucket(70000, 2), Days1To30: bucket(20000, 1), Days61To90: bucket(25000, 1), Over90: bucket(40000, 1)}},
				{Currency: "EUR", Outstanding: 50000, OutstandingCount: 1, Aging: billbridge.Aging{Current: bucket(50000, 1)}}}},
			// 10 November: A and E not issued, F open, C's payment not made (60 days: 31_60), D 132 days.
			{"2026-11-10", []billbridge.ReceivablesLine{
				{Currency: "CHF", Outstanding: 150000, OutstandingCount: 4, Overdue: 90000, OverdueCount: 3,
					Aging: billbridge.Aging{Current: bucket(60000, 1), Days1To30: bucket(20000, 1), Days31To60: bucket(30000, 1), Over90: bucket(40000, 1)}}}},
			{"2026-05-31", []billbridge.ReceivablesLine{}},
		} {
			var rep billbridge.Receivables
			path := "/v1/reports/receivables"
			if tc.asOf != "" {
				path += "?as_of=" + tc.asOf
			}
			c.Must(t, 200, "GET", path, nil, &rep)
			if len(rep.Currencies) != len(tc.want) {
				t.Fatalf("as of %q: %+v", tc.asOf, rep)
			}
			for i := range tc.want {
				if rep.Currencies[i] != tc.want[i] {
					t.Errorf("as of %q:\n got  %+v\n want %+v", tc.asOf, rep.Currencies[i], tc.want[i])
				}
			}
		}
		resp := c.Do(t, "GET", "/v1/reports/receivables", nil, "Accept", "text/csv")
		if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(string(resp.Body), "2026-12-02,CHF,31_60,200.88,1") || !strings.HasPrefix(string(resp.Body), "as_of,currency,bucket,amount,count") {
			t.Fatalf("CSV %d %s:\n%s", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
		}
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/receivables?as_of=2026-12-03", nil), "as_of")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/receivables?as_of=soon", nil), "as_of")
		var other billbridge.Receivables
		apitest.NewClient(t, s).Must(t, 200, "GET", "/v1/reports/receivables", nil, &other)
		if len(other.Currencies) != 0 {
			t.Fatalf("another account sees %+v", other)
		}
	})
}
