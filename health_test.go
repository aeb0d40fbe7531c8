package billbridge_test

import (
	"encoding/json"
	"slices"
	"testing"

	"billbridge"
)

func day(t *testing.T, s string) *billbridge.Date {
	t.Helper()
	d, err := billbridge.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// TestHealthOf checks ratings, averages and warnings against figures worked
// out by hand (today is 2026-12-02 throughout).
func TestHealthOf(t *testing.T) {
	today := *day(t, "2026-12-02")
	// paid3 is a currency with three invoices of 100.00 paid 20 days after
	// issue and 10 days before their due date.
	paid3 := func(cur string) billbridge.PaymentStats {
		return billbridge.PaymentStats{CustomerID: "cus_a", Currency: cur, InvoiceCount: 3, Invoiced: 30000, Paid: 30000,
			PaidCount: 3, PaidTotal: 30000, DaysToPayWeighted: 20 * 30000, OnTimeCount: 3, LastPaymentAt: day(t, "2026-11-20")}
	}
	overdue := func(s billbridge.PaymentStats, n int, amount billbridge.Money, oldest string) billbridge.PaymentStats {
		s.InvoiceCount += n
		s.Invoiced += amount
		s.OpenCount += n
		s.OpenAmount += amount
		s.OverdueCount, s.OverdueAmount, s.OldestDueDate = n, amount, day(t, oldest)
		return s
	}
	late := func(s billbridge.PaymentStats, weighted int64) billbridge.PaymentStats {
		s.DaysLateWeighted = weighted
		s.OnTimeCount = 1
		return s
	}
	reminded := func(s billbridge.PaymentStats, level int) billbridge.PaymentStats {
		s.MaxReminderLevel = level
		return s
	}
	for _, tc := range []struct {
		name     string
		stats    []billbridge.PaymentStats
		rating   string
		warnings []string
		check    func(t *testing.T, h billbridge.PaymentHealth)
	}{
		{name: "no invoices", rating: "insufficient_data"},
		{name: "two paid on time", stats: []billbridge.PaymentStats{{CustomerID: "cus_a", Currency: "CHF", InvoiceCount: 2,
			Invoiced: 20000, Paid: 20000, PaidCount: 2, PaidTotal: 20000, DaysToPayWeighted: 20 * 20000, OnTimeCount: 2}},
			rating: "insufficient_data"},
		{name: "three paid on time", stats: []billbridge.PaymentStats{paid3("CHF")}, rating: "good",
			check: func(t *testing.T, h billbridge.PaymentHealth) {
				c := h.Currencies[0]
				if *c.AvgDaysToPay != 20 || *c.AvgDaysLate != 0 || *c.OnTimeRatio != 1 || c.OldestOverdueDays != nil || c.MaxReminderLevel != 0 {
					t.Errorf("averages %v %v %v %v", *c.AvgDaysToPay, *c.AvgDaysLate, *c.OnTimeRatio, c.OldestOverdueDays)
				}
			}},
		{name: "weighted by total: 100.00 after 10 days, 300.00 after 30 days = 25.0", stats: []billbridge.PaymentStats{{
			CustomerID: "cus_a", Currency: "CHF", InvoiceCount: 2, PaidCount: 2, PaidTotal: 40000,
			DaysToPayWeighted: 10*10000 + 30*30000, OnTimeCount: 2}}, rating: "insufficient_data",
			check: func(t *testing.T, h billbridge.PaymentHealth) {
				if got := *h.Currencies[0].AvgDaysToPay; got != 25 {
					t.Errorf("avg_days_to_pay %v, want 25", got)
				}
			}},
		{name: "half a tenth rounds up: 1.05 days is 1.1", stats: []billbridge.PaymentStats{{CustomerID: "cus_a", Currency: "CHF",
			PaidCount: 1, PaidTotal: 1000, DaysToPayWeighted: 1050, OnTimeCount: 1}}, rating: "insufficient_data",
			check: func(t *testing.T, h billbridge.PaymentHealth) {
				if got := *h.Currencies[0].AvgDaysToPay; got != 1.1 {
					t.Errorf("avg_days_to_pay %v, want 1.1", got)
				}
			}},
		{name: "on time 2 of 3 is 0.67", stats: []billbridge.PaymentStats{func() billbridge.PaymentStats {
			s := paid3("CHF")
			s.OnTimeCount = 2
			s.DaysLateWeighted = 3 * 10000 // one of three 100.00 invoices 3 days late: 1.0 on average
			return s
		}()}, rating: "good", check: func(t *testing.T, h billbridge.PaymentHealth) {
			if c := h.Currencies[0]; *c.OnTimeRatio != 0.67 || *c.AvgDaysLate != 1 {
				t.Errorf("on_time_ratio %v avg_days_late %v", *c.OnTimeRatio, *c.AvgDaysLate)
			}
		}},
		{name: "one overdue 5 days", stats: []billbridge.PaymentStats{overdue(paid3("CHF"), 1, 120000, "2026-11-27")},
			rating: "watch", warnings: []string{"1 unpaid invoice, CHF 1 200.00 overdue, oldest 5 days"},
			check: func(t *testing.T, h billbridge.PaymentHealth) {
				if c := h.Currencies[0]; *c.OldestOverdueDays != 5 || c.OverdueCount != 1 || c.OpenAmount != 120000 || c.Invoiced != 150000 {
					t.Errorf("%+v", c)
				}
			}},
		{name: "three overdue, the issue's example", stats: []billbridge.PaymentStats{overdue(paid3("CHF"), 3, 450000, "2026-10-16")},
			rating: "poor", warnings: []string{"3 unpaid invoices, CHF 4 500.00 overdue, oldest 47 days"}},
		{name: "one overdue, more unpaid not yet due", stats: []billbridge.PaymentStats{func() billbridge.PaymentStats {
			s := overdue(paid3("CHF"), 1, 5000, "2026-12-01")
			s.OpenCount, s.OpenAmount = 4, 5000+3*10000
			return s
		}()}, rating: "watch", warnings: []string{"4 unpaid invoices (1 overdue), CHF 50.00 overdue, oldest 1 day"}},
		{name: "oldest exactly 60 days past due is watch", stats: []billbridge.PaymentStats{overdue(paid3("CHF"), 1, 10000, "2026-10-03")},
			rating: "watch", warnings: []string{"1 unpaid invoice, CHF 100.00 overdue, oldest 60 days"}},
		{name: "oldest 61 days past due is poor", stats: []billbridge.PaymentStats{overdue(paid3("CHF"), 1, 10000, "2026-10-02")},
			rating: "poor", warnings: []string{"1 unpaid invoice, CHF 100.00 overdue, oldest 61 days"}},
		{name: "overdue without history is watch, not insufficient_data", stats: []billbridge.PaymentStats{overdue(billbridge.PaymentStats{
			CustomerID: "cus_a", Currency: "EUR"}, 1, 99, "2026-12-01")}, rating: "watch",
			warnings: []string{"1 unpaid invoice, EUR 0.99 overdue, oldest 1 day"}},
		{name: "a Zahlungserinnerung on an unpaid invoice is watch (it is overdue)", stats: []billbridge.PaymentStats{reminded(overdue(paid3("CHF"), 1, 10000, "2026-11-20"), 1)},
			rating: "watch", warnings: []string{"1 unpaid invoice, CHF 100.00 overdue, oldest 12 days", "CHF reminder level 1 sent on an unpaid invoice"}},
		{name: "a 1. Mahnung on an unpaid invoice is poor", stats: []billbridge.PaymentStats{reminded(overdue(paid3("CHF"), 1, 10000, "2026-11-20"), 2)},
			rating: "poor", warnings: []string{"1 unpaid invoice, CHF 100.00 overdue, oldest 12 days", "CHF reminder level 2 sent on an unpaid invoice"}},
		{name: "10.0 days late on average is good", stats: []billbridge.PaymentStats{late(paid3("CHF"), 10*30000)}, rating: "good"},
		{name: "10.1 days late on average is watch", stats: []billbridge.PaymentStats{late(paid3("CHF"), 101*3000)}, rating: "watch",
			warnings: []string{"CHF invoices paid on average 10.1 days late"}},
		{name: "late and overdue: two warnings", stats: []billbridge.PaymentStats{overdue(late(paid3("CHF"), 15*30000), 3, 1234567, "2026-06-05")},
			rating: "poor", warnings: []string{"3 unpaid invoices, CHF 12 345.67 overdue, oldest 180 days", "CHF invoices paid on average 15 days late"}},
		{name: "CHF good, EUR without history: good", stats: []billbridge.PaymentStats{
			{CustomerID: "cus_a", Currency: "EUR", InvoiceCount: 1, Invoiced: 5000, OpenCount: 1, OpenAmount: 5000}, paid3("CHF")},
			rating: "good", check: func(t *testing.T, h billbridge.PaymentHealth) {
				if len(h.Currencies) != 2 || h.Currencies[0].Currency != "CHF" || h.Currencies[1].Rating != "insufficient_data" ||
					h.Currencies[1].Invoiced != 5000 || h.Currencies[0].Invoiced != 30000 {
					t.Errorf("currencies %+v", h.Currencies)
				}
			}},
		{name: "CHF good, EUR poor: poor, amounts never added", stats: []billbridge.PaymentStats{paid3("CHF"),
			overdue(paid3("EUR"), 3, 300000, "2026-11-01")}, rating: "poor",
			warnings: []string{"3 unpaid invoices, EUR 3 000.00 overdue, oldest 31 days"},
			check: func(t *testing.T, h billbridge.PaymentHealth) {
				if h.Currencies[0].Rating != "good" || h.Currencies[0].OverdueAmount != 0 || h.Currencies[1].OverdueAmount != 300000 {
					t.Errorf("currencies %+v", h.Currencies)
				}
			}},
		{name: "another customer's stats are ignored", stats: []billbridge.PaymentStats{func() billbridge.PaymentStats {
			s := overdue(paid3("CHF"), 3, 300000, "2026-11-01")
			s.CustomerID = "cus_b"
			return s
		}(), paid3("CHF")}, rating: "good"},
		{name: "paid, nothing on time", stats: []billbridge.PaymentStats{func() billbridge.PaymentStats {
			s := paid3("CHF")
			s.OnTimeCount, s.DaysLateWeighted = 0, 5*30000
			return s
		}()}, rating: "good", check: func(t *testing.T, h billbridge.PaymentHealth) {
			if c := h.Currencies[0]; *c.OnTimeRatio != 0 || *c.AvgDaysLate != 5 {
				t.Errorf("on_time_ratio %v avg_days_late %v", *c.OnTimeRatio, *c.AvgDaysLate)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := billbridge.HealthOf("cus_a", tc.stats, today)
			if h.Rating != tc.rating {
				t.Errorf("rating %s, want %s", h.Rating, tc.rating)
			}
			if tc.warnings == nil {
				tc.warnings = []string{}
			}
			if !slices.Equal(h.Warnings, tc.warnings) {
				t.Errorf("warnings %q, want %q", h.Warnings, tc.warnings)
			}
			if h.AsOf != today || h.CustomerID != "cus_a" {
				t.Errorf("as_of %v customer %s", h.AsOf, h.CustomerID)
			}
			if b, err := json.Marshal(h); err != nil || !json.Valid(b) {
				t.Errorf("json: %v", err)
			}
			if tc.check != nil {
				tc.check(t, h)
			}
		})
	}
}

// TestDaysBetween counts calendar days, across a DST change too.
func TestDaysBetween(t *testing.T) {
	if n := billbridge.DaysBetween(*day(t, "2026-03-28"), *day(t, "2026-03-30")); n != 2 {
		t.Fatalf("across DST: %d", n)
	}
	if n := billbridge.DaysBetween(*day(t, "2026-12-02"), *day(t, "2026-12-01")); n != -1 {
		t.Fatalf("backwards: %d", n)
	}
}
