package billbridge

import (
	"fmt"
	"testing"
	"time"
)

// TestSummaryPeriods checks the cutting of a range into months, quarters
// and years, the first and last period clipped, leap February included.
func TestSummaryPeriods(t *testing.T) {
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		from, to, group, want string
	}{
		{"2028-01-15", "2028-03-02", GroupMonth, "[{2028-01 2028-01-15 2028-01-31} {2028-02 2028-02-01 2028-02-29} {2028-03 2028-03-01 2028-03-02}]"},
		{"2026-12-31", "2027-01-01", GroupMonth, "[{2026-12 2026-12-31 2026-12-31} {2027-01 2027-01-01 2027-01-01}]"},
		{"2026-02-10", "2027-01-05", GroupQuarter, "[{2026-Q1 2026-02-10 2026-03-31} {2026-Q2 2026-04-01 2026-06-30} {2026-Q3 2026-07-01 2026-09-30} {2026-Q4 2026-10-01 2026-12-31} {2027-Q1 2027-01-01 2027-01-05}]"},
		{"2025-06-01", "2026-06-01", GroupYear, "[{2025 2025-06-01 2025-12-31} {2026 2026-01-01 2026-06-01}]"},
		{"2026-06-01", "2026-06-01", GroupYear, "[{2026 2026-06-01 2026-06-01}]"},
		{"2026-06-02", "2026-06-01", GroupMonth, "[]"},
	} {
		if got := fmt.Sprint(SummaryPeriods(d(tc.from), d(tc.to), tc.group)); got != tc.want {
			t.Errorf("%s…%s by %s:\n got  %s\n want %s", tc.from, tc.to, tc.group, got, tc.want)
		}
	}
}

// TestSummaryOfCancellationDay checks that a cancellation counts on its day
// in the account's time zone, and that facts outside the range are dropped.
func TestSummaryOfCancellationDay(t *testing.T) {
	zurich, _ := time.LoadLocation("Europe/Zurich")
	from, _ := ParseDate("2026-11-01")
	to, _ := ParseDate("2026-12-31")
	s := SummaryOf(from, to, GroupMonth, zurich, SummaryFacts{
		Cancelled: []CancelledInvoice{
			{Currency: CHF, At: time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), Total: 100},  // 1 December in Zurich
			{Currency: CHF, At: time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC), Total: 7},    // 30 November
			{Currency: CHF, At: time.Date(2026, 10, 31, 22, 59, 0, 0, time.UTC), Total: 1000}, // 31 October: outside
		},
		VAT: []VATDay{{Currency: EUR, Day: to, Rate: 810, Net: 1000, VAT: 81}, {Currency: EUR, Day: to, Rate: 260, Net: 10, VAT: 1}, {Currency: EUR, Day: to, Rate: 810, Net: 1, VAT: 0}},
	})
	if got := fmt.Sprint(s.Periods[0].Currencies[0].Cancelled, s.Periods[1].Currencies[0].Cancelled, s.Totals[0].Cancelled, s.Totals[0].CancelledCount); got != "0.07 1.00 1.07 2" {
		t.Errorf("cancelled by month and total: %s", got)
	}
	if got := fmt.Sprint(s.Totals[1].VATByRate); got != "[{2.6 0.10 0.01} {8.1 10.01 0.81}]" {
		t.Errorf("VAT by rate: %s", got)
	}
}

// TestCustomerReportCursor checks that a cursor reads back and that
// anything else is cursor_invalid naming starting_after.
func TestCustomerReportCursor(t *testing.T) {
	r := CustomerReceivables{CustomerID: "cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE", Currency: EUR, Overdue: 12345, Outstanding: 99999}
	for _, sort := range []string{SortOverdueDesc, SortOutstandingDesc} {
		c, err := ParseCustomerReportCursor(r.Cursor(sort))
		want := r.Overdue
		if sort == SortOutstandingDesc {
			want = r.Outstanding
		}
		if err != nil || c.Amount != want || c.CustomerID != r.CustomerID || c.Currency != EUR {
			t.Errorf("%s: %+v, %v", sort, c, err)
		}
	}
	for _, bad := range []string{"", "cus_1", "12.cus_1.USD", "-1.cus_1.CHF", "x.cus_1.CHF", "1.inv_1.CHF", "1.cus_1.CHF.x"} {
		if _, err := ParseCustomerReportCursor(bad); ErrorCode(err) != ECURSORINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
