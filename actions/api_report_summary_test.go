package actions_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// reportInvoice creates a finalized invoice with one line per amount@rate.
func reportInvoice(t *testing.T, c *apitest.Client, customerID, cur, issue string, dueIn int, lines ...[2]string) billbridge.Invoice {
	t.Helper()
	var items []map[string]any
	for _, l := range lines {
		items = append(items, map[string]any{"description": "Work", "quantity": 1, "unit_price": l[0], "vat_rate": l[1]})
	}
	var inv billbridge.Invoice
	c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": customerID, "currency": cur, "finalize": true,
		"issue_date": issue, "due_in_days": dueIn, "items": items}, &inv)
	return inv
}

// TestAPISummary checks the summary report to the centime by month, by
// quarter and as CSV on both stores, figures worked out by hand in the
// comments: invoiced by issue date (a later cancellation keeps it),
// received by paid_at, cancelled by the day of the cancellation in the
// account's time zone (Europe/Zurich), drafts and other accounts left out.
func TestAPISummary(t *testing.T) {
	// 23:30 UTC on 30 November is 00:30 on 1 December in Zurich.
	start := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	apitest.EachStoreWithClock(t, start, apitest.Options{}, func(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Summe AG")
		// A: 1000.00 at 8.1 % (VAT 81.00) + 200.00 at 2.6 % (5.20) = 1286.20, issued in October.
		a := reportInvoice(t, c, cust.ID, "CHF", "2026-10-15", 30, [2]string{"1000.00", "8.1"}, [2]string{"200.00", "2.6"})
		// B: 500.00 at 8.1 % = 540.50 issued in November, cancelled now: on 1 December in Zurich (30 November in UTC).
		b := reportInvoice(t, c, cust.ID, "CHF", "2026-11-03", 30, [2]string{"500.00", "8.1"})
		// C: EUR 300.00 at 0 %, issued in November, paid on 1 December.
		cc := reportInvoice(t, c, cust.ID, "EUR", "2026-11-20", 10, [2]string{"300.00", "0"})
		// D: 100.00 at 8.1 % = 108.10, issued in September (before the range), paid on 5 October.
		d := reportInvoice(t, c, cust.ID, "CHF", "2026-09-30", 10, [2]string{"100.00", "8.1"})
		// A draft never counts.
		c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "issue_date": "2026-11-01",
			"items": []map[string]any{{"description": "Draft", "quantity": 1, "unit_price": 700, "vat_rate": 8.1}}}, nil)
		c.Must(t, 201, "POST", "/v1/invoices/"+d.ID+"/payments", map[string]any{"amount": "108.10", "paid_at": "2026-10-05"}, nil)
		c.Must(t, 201, "POST", "/v1/invoices/"+a.ID+"/payments", map[string]any{"amount": "286.20", "paid_at": "2026-11-10"}, nil)
		c.Must(t, 200, "POST", "/v1/invoices/"+b.ID+"/cancel", nil, nil)
		clk.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
		c.Must(t, 201, "POST", "/v1/invoices/"+cc.ID+"/payments", map[string]any{"amount": 300, "paid_at": "2026-12-01"}, nil)

		vat := func(rate, net, v billbridge.Money) billbridge.VATLine {
			return billbridge.VATLine{Rate: billbridge.VATRate(rate), Net: net, VAT: v}
		}
		none := []billbridge.VATLine{}
		octCHF := billbridge.SummaryLine{Currency: "CHF", InvoicedNet: 120000, VATByRate: []billbridge.VATLine{vat(260, 20000, 520), vat(810, 100000, 8100)},
			VATTotal: 8620, InvoicedGross: 128620, InvoicedCount: 1, Received: 10810, ReceivedCount: 1}
		novCHF := billbridge.SummaryLine{Currency: "CHF", InvoicedNet: 50000, VATByRate: []billbridge.VATLine{vat(810, 50000, 4050)},
			VATTotal: 4050, InvoicedGross: 54050, InvoicedCount: 1, Received: 28620, ReceivedCount: 1}
		novEUR := billbridge.SummaryLine{Currency: "EUR", InvoicedNet: 30000, VATByRate: []billbridge.VATLine{vat(0, 30000, 0)},
			InvoicedGross: 30000, InvoicedCount: 1}
		decCHF := billbridge.SummaryLine{Currency: "CHF", VATByRate: none, Cancelled: 54050, CancelledCount: 1}
		decEUR := billbridge.SummaryLine{Currency: "EUR", VATByRate: none, Received: 30000, ReceivedCount: 1}
		totCHF := billbridge.SummaryLine{Currency: "CHF", InvoicedNet: 170000, VATByRate: []billbridge.VATLine{vat(260, 20000, 520), vat(810, 150000, 12150)},
			VATTotal: 12670, InvoicedGross: 182670, InvoicedCount: 2, Received: 39430, ReceivedCount: 2, Cancelled: 54050, CancelledCount: 1}
		totYear := totCHF
		totYear.InvoicedNet, totYear.VATTotal, totYear.InvoicedGross, totYear.InvoicedCount = 180000, 13480, 193480, 3
		totYear.VATByRate = []billbridge.VATLine{vat(260, 20000, 520), vat(810, 160000, 12960)}
		totEUR := billbridge.SummaryLine{Currency: "EUR", InvoicedNet: 30000, VATByRate: []billbridge.VATLine{vat(0, 30000, 0)},
			InvoicedGross: 30000, InvoicedCount: 1, Received: 30000, ReceivedCount: 1}
		type period struct {
			key, from, to string
			lines         []billbridge.SummaryLine
		}
		for _, tc := range []struct {
			query   string
			periods []period
			totals  []billbridge.SummaryLine
		}{
			{"from=2026-10-01&to=2026-12-31&group_by=month", []period{
				{"2026-10", "2026-10-01", "2026-10-31", []billbridge.SummaryLine{octCHF}},
				{"2026-11", "2026-11-01", "2026-11-30", []billbridge.SummaryLine{novCHF, novEUR}},
				{"2026-12", "2026-12-01", "2026-12-31", []billbridge.SummaryLine{decCHF, decEUR}},
			}, []billbridge.SummaryLine{totCHF, totEUR}},
			{"from=2026-10-01&to=2026-12-31&group_by=quarter", []period{
				{"2026-Q4", "2026-10-01", "2026-12-31", []billbridge.SummaryLine{totCHF, totEUR}},
			}, []billbridge.SummaryLine{totCHF, totEUR}},
			// To 30 November: B's cancellation (1 December in Zurich) and C's payment are outside.
			{"from=2026-11-15&to=2026-11-30", []period{
				{"2026-11", "2026-11-15", "2026-11-30", []billbridge.SummaryLine{novEUR}},
			}, []billbridge.SummaryLine{novEUR}},
			// Defaults: 1 January to today, by month; D (issued 30 September) counts too.
			{"", nil, []billbridge.SummaryLine{totYear, totEUR}},
		} {
			var rep billbridge.Summary
			c.Must(t, 200, "GET", "/v1/reports/summary?"+tc.query, nil, &rep)
			if tc.periods == nil {
				if rep.From.String() != "2026-01-01" || rep.To.String() != "2026-12-02" || rep.GroupBy != "month" || len(rep.Periods) != 12 ||
					len(rep.Periods[0].Currencies) != 0 || rep.Periods[11].To.String() != "2026-12-02" {
					t.Fatalf("defaults: %+v", rep)
				}
			} else {
				if len(rep.Periods) != len(tc.periods) {
					t.Fatalf("%s: periods %+v", tc.query, rep.Periods)
				}
				for i, p := range tc.periods {
					got := rep.Periods[i]
					if got.Period != p.key || got.From.String() != p.from || got.To.String() != p.to {
						t.Errorf("%s: period %d is %s %s…%s, want %s %s…%s", tc.query, i, got.Period, got.From, got.To, p.key, p.from, p.to)
					}
					sameLines(t, tc.query+" "+p.key, got.Currencies, p.lines)
				}
			}
			sameLines(t, tc.query+" totals", rep.Totals, tc.totals)
		}
		resp := c.Do(t, "GET", "/v1/reports/summary?from=2026-10-01&to=2026-12-31", nil, "Accept", "text/csv")
		csv := strings.ReplaceAll(string(resp.Body), "\r\n", "\n")
		if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(csv, "period,from,to,currency,invoiced_net,vat_total,vat_by_rate,invoiced_gross,invoiced_count,received,received_count,cancelled,cancelled_count\n") ||
			!strings.Contains(csv, "\n2026-10,2026-10-01,2026-10-31,CHF,1200.00,86.20,2.6:200.00:5.20;8.1:1000.00:81.00,1286.20,1,108.10,1,0.00,0\n") ||
			!strings.Contains(csv, "\n2026-12,2026-12-01,2026-12-31,CHF,0.00,0.00,,0.00,0,0.00,0,540.50,1\n") || strings.Count(csv, "\n") != 6 {
			t.Fatalf("CSV %d %s:\n%s", resp.Status, resp.Header.Get("Content-Type"), csv)
		}
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/summary?from=2026-12-01&to=2026-11-30", nil), "to")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/summary?from=soon", nil), "from")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/summary?to=2026-02-30", nil), "to")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/summary?group_by=week", nil), "group_by")
		apitest.Invalid(t, c.Do(t, "GET", "/v1/reports/summary?from=2010-01-01&to=2020-01-01", nil), "from")
		c.Must(t, 200, "GET", "/v1/reports/summary?from=2010-01-01&to=2020-01-01&group_by=year", nil, nil)
		var other billbridge.Summary
		apitest.NewClient(t, s).Must(t, 200, "GET", "/v1/reports/summary?from=2026-10-01&to=2026-12-31", nil, &other)
		if len(other.Totals) != 0 || len(other.Periods) != 3 || len(other.Periods[1].Currencies) != 0 {
			t.Fatalf("another account sees %+v", other)
		}
	})
}

// sameLines compares summary lines field by field.
func sameLines(t *testing.T, what string, got, want []billbridge.SummaryLine) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got  %s\n want %s", what, g, w)
	}
}
