package sqlstore_test

import (
	"context"
	"testing"

	"billbridge"
	"billbridge/sqlstore"
)

// ledgerInvoice stores a finalized invoice of c (one line of 100.00 at
// 8.1 %: total 108.10) in currency cur, issued and due on the days given,
// with payments of the amounts on the days given (settling it when they
// add up to the total), or cancelled or left a draft by status.
func ledgerInvoice(t testing.TB, db *sqlstore.DB, c *billbridge.Customer, cur, issue, due, status string, payments ...payment) *billbridge.Invoice {
	t.Helper()
	ctx := context.Background()
	inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) {
		inv.Currency, inv.IssueDate, inv.DueDate, inv.Status = cur, date(t, issue), date(t, due), status
		if status != billbridge.StatusDraft {
			inv.Number = "INV-" + billbridge.NewID("")
		}
		if status == billbridge.StatusCancelled {
			ts := now()
			inv.CancelledAt = &ts
		}
	})
	for _, p := range payments {
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			if _, err := inv.ApplyPayment(p.amount, now()); err != nil {
				return err
			}
			if err := tx.InsertPayment(ctx, &billbridge.Payment{ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: inv.AccountID,
				InvoiceID: inv.ID, CustomerID: c.ID, Amount: p.amount, Currency: cur, PaidAt: *date(t, p.day), Method: "bank_transfer",
				CreatedAt: now()}); err != nil {
				return err
			}
			return tx.UpdateInvoice(ctx, inv)
		})
	}
	return inv
}

type payment struct {
	amount billbridge.Money
	day    string
}

// testPaymentStats checks the counts behind payment health against a small
// ledger worked out by hand, the same on both stores.
func testPaymentStats(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	ca := newCustomer(t, db, a, nil)
	cb := newCustomer(t, db, a, nil)
	open := billbridge.StatusOpen
	// CHF: paid in two parts, 20 days after issue, 10 before due.
	ledgerInvoice(t, db, ca, "CHF", "2026-09-01", "2026-10-01", open, payment{5000, "2026-09-11"}, payment{5810, "2026-09-21"})
	// CHF: paid 40 days after issue, 10 days late.
	ledgerInvoice(t, db, ca, "CHF", "2026-09-01", "2026-10-01", open, payment{10810, "2026-10-11"})
	// CHF: 10.00 paid, 98.10 overdue since 2026-10-31 (32 days on 2026-12-02).
	ledgerInvoice(t, db, ca, "CHF", "2026-10-01", "2026-10-31", open, payment{1000, "2026-11-15"})
	// CHF: due today, so not overdue.
	ledgerInvoice(t, db, ca, "CHF", "2026-11-02", "2026-12-02", open)
	// EUR: paid 4 days after issue.
	ledgerInvoice(t, db, ca, "EUR", "2026-11-01", "2026-12-01", open, payment{10810, "2026-11-05"})
	// Left out: a draft and a cancelled invoice, both long past due.
	ledgerInvoice(t, db, ca, "CHF", "2026-01-01", "2026-01-31", billbridge.StatusDraft)
	ledgerInvoice(t, db, ca, "CHF", "2026-01-01", "2026-01-31", billbridge.StatusCancelled)
	// Another customer, and another account, overdue.
	ledgerInvoice(t, db, cb, "CHF", "2026-01-01", "2026-01-31", open)
	other := newAccount(t, db)
	ledgerInvoice(t, db, newCustomer(t, db, other, nil), "CHF", "2026-01-01", "2026-01-31", open)

	today := *date(t, "2026-12-02")
	stats, err := db.PaymentStats(ctx, a.ID, []string{ca.ID}, today)
	if err != nil {
		t.Fatal(err)
	}
	want := []billbridge.PaymentStats{
		{CustomerID: ca.ID, Currency: "CHF", InvoiceCount: 4, Invoiced: 43240, Paid: 22620, OpenAmount: 20620, OpenCount: 2,
			OverdueAmount: 9810, OverdueCount: 1, OldestDueDate: date(t, "2026-10-31"), PaidCount: 2, PaidTotal: 21620,
			DaysToPayWeighted: 20*10810 + 40*10810, DaysLateWeighted: 10 * 10810, OnTimeCount: 1, LastPaymentAt: date(t, "2026-11-15")},
		{CustomerID: ca.ID, Currency: "EUR", InvoiceCount: 1, Invoiced: 10810, Paid: 10810, PaidCount: 1, PaidTotal: 10810,
			DaysToPayWeighted: 4 * 10810, OnTimeCount: 1, LastPaymentAt: date(t, "2026-11-05")},
	}
	sameJSON(t, "PaymentStats", stats, want)

	h := billbridge.HealthOf(ca.ID, stats, today)
	if h.Rating != billbridge.RatingWatch || len(h.Warnings) != 1 || h.Warnings[0] != "2 unpaid invoices (1 overdue), CHF 98.10 overdue, oldest 32 days" {
		t.Fatalf("health %s %q", h.Rating, h.Warnings)
	}
	if c := h.Currencies[0]; *c.AvgDaysToPay != 30 || *c.AvgDaysLate != 5 || *c.OnTimeRatio != 0.5 || *c.OldestOverdueDays != 32 {
		t.Fatalf("CHF %+v", c)
	}

	// Both customers at once: one entry per customer and currency.
	stats, err = db.PaymentStats(ctx, a.ID, []string{ca.ID, cb.ID, "cus_unknown"}, today)
	if err != nil || len(stats) != 3 {
		t.Fatalf("two customers: %+v, %v", stats, err)
	}
	if hb := billbridge.HealthOf(cb.ID, stats, today); hb.Rating != billbridge.RatingPoor || hb.Currencies[0].OverdueCount != 1 {
		t.Fatalf("customer b: %+v", hb)
	}
	// Another account never sees them.
	if stats, err := db.PaymentStats(ctx, other.ID, []string{ca.ID}, today); err != nil || len(stats) != 0 {
		t.Fatalf("other account: %+v, %v", stats, err)
	}

	// The recorded rating: insufficient_data before the first, then the last one.
	for _, step := range []struct{ rating, before string }{
		{billbridge.RatingWatch, billbridge.RatingInsufficientData},
		{billbridge.RatingWatch, billbridge.RatingWatch},
		{billbridge.RatingPoor, billbridge.RatingWatch},
	} {
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			got, err := tx.SwapPaymentRating(ctx, a.ID, ca.ID, step.rating)
			if err == nil && got != step.before {
				t.Errorf("swap to %s: before %s, want %s", step.rating, got, step.before)
			}
			return err
		})
	}
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		got, err := tx.SwapPaymentRating(ctx, other.ID, ca.ID, billbridge.RatingGood)
		if err == nil && got != billbridge.RatingInsufficientData {
			t.Errorf("another account's rating: %s", got)
		}
		return err
	})
}
