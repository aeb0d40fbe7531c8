package billbridge_test

import (
	"errors"
	"testing"
	"time"

	"billbridge"
)

func invoice(items ...billbridge.LineItem) *billbridge.Invoice {
	return &billbridge.Invoice{Status: billbridge.StatusDraft, Currency: billbridge.CHF, Items: items, DueInDays: 30}
}

func TestComputeTotalsVATPerRateHalfUp(t *testing.T) {
	inv := invoice(
		billbridge.LineItem{Quantity: 1500, UnitPrice: 12000, VATRate: 810}, // 180.00 at 8.1 %
		billbridge.LineItem{Quantity: 1000, UnitPrice: 3005, VATRate: 260},  // 30.05 at 2.6 % = 0.7813
		billbridge.LineItem{Quantity: 333, UnitPrice: 1001, VATRate: 810},   // 0.333 × 10.01 = 3.33333 → 3.33
		billbridge.LineItem{Quantity: 1000, UnitPrice: 50, VATRate: 1000},   // 0.50 at 10 % = 0.05 exactly
		billbridge.LineItem{Quantity: 1000, UnitPrice: 25, VATRate: 1000},   // 0.25 at 10 % = 0.025 → 0.03 (half-up)
	)
	if err := inv.ComputeTotals(); err != nil {
		t.Fatal(err)
	}
	// 8.1 %: net 183.33 → 14.849.73 → 14.85; 2.6 %: 0.78; 10 %: net 0.75 → 0.075 → 0.08.
	want := map[billbridge.VATRate][2]billbridge.Money{810: {18333, 1485}, 260: {3005, 78}, 1000: {75, 8}}
	if len(inv.VATBreakdown) != 3 {
		t.Fatalf("breakdown = %+v", inv.VATBreakdown)
	}
	for _, l := range inv.VATBreakdown {
		if w := want[l.Rate]; l.Net != w[0] || l.VAT != w[1] {
			t.Errorf("rate %s: net %s vat %s, want %s %s", l.Rate, l.Net, l.VAT, w[0], w[1])
		}
	}
	if inv.Items[2].Amount != 333 {
		t.Errorf("rounded line = %s", inv.Items[2].Amount)
	}
	if inv.Subtotal != 21413 || inv.VATTotal != 1571 || inv.Total != 22984 || inv.AmountDue != 22984 {
		t.Errorf("totals %s %s %s %s", inv.Subtotal, inv.VATTotal, inv.Total, inv.AmountDue)
	}
}

func TestComputeTotalsRefusesOverflow(t *testing.T) {
	inv := invoice(billbridge.LineItem{Quantity: 1_000_000_000, UnitPrice: billbridge.MaxMoney, VATRate: 810})
	if err := inv.ComputeTotals(); billbridge.ErrorCode(err) != billbridge.EINVALID {
		t.Fatalf("err = %v", err)
	}
}

func TestInvoiceLifecycle(t *testing.T) {
	zurich, _ := time.LoadLocation("Europe/Zurich")
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC) // already the 29th in Zurich
	inv := invoice(billbridge.LineItem{Quantity: 1000, UnitPrice: 10000, VATRate: 0})
	if err := inv.ComputeTotals(); err != nil {
		t.Fatal(err)
	}
	if _, err := inv.ApplyPayment(100, now); billbridge.ErrorCode(err) != billbridge.ECONFLICT {
		t.Fatalf("paying a draft: %v", err)
	}
	if err := inv.Finalize("INV-000001", now, zurich); err != nil {
		t.Fatal(err)
	}
	if inv.IssueDate.String() != "2026-11-29" || inv.DueDate.String() != "2026-12-29" {
		t.Errorf("dates %s %s", inv.IssueDate, inv.DueDate)
	}
	if err := inv.Finalize("INV-000002", now, zurich); billbridge.ErrorCode(err) != billbridge.ECONFLICT {
		t.Errorf("second finalize: %v", err)
	}
	if inv.IsOverdue(now.AddDate(0, 0, 30), zurich) {
		t.Error("overdue on its due date")
	}
	if !inv.IsOverdue(now.AddDate(0, 0, 31), zurich) || inv.WithDerivedStatus(now.AddDate(0, 0, 31), zurich).Status != billbridge.StatusOverdue {
		t.Error("not overdue the day after its due date")
	}
	if _, err := inv.ApplyPayment(10001, now); billbridge.ErrorCode(err) != billbridge.EINVALID {
		t.Errorf("overpayment: %v", err)
	}
	if paid, err := inv.ApplyPayment(4000, now); err != nil || paid || inv.Status != billbridge.StatusPartiallyPaid {
		t.Errorf("partial: %v %v %s", paid, err, inv.Status)
	}
	if err := inv.Cancel(now); billbridge.ErrorCode(err) != billbridge.ECONFLICT {
		t.Errorf("cancel with payments: %v", err)
	}
	if paid, err := inv.ApplyPayment(6000, now); err != nil || !paid || inv.Status != billbridge.StatusPaid || inv.AmountDue != 0 {
		t.Errorf("rest: %v %v %s %s", paid, err, inv.Status, inv.AmountDue)
	}
	if inv.IsOverdue(now.AddDate(1, 0, 0), zurich) {
		t.Error("a paid invoice is never overdue")
	}
}

func TestInvoiceNumber(t *testing.T) {
	if got := billbridge.InvoiceNumber(42); got != "INV-000042" {
		t.Errorf("got %s", got)
	}
	if got := billbridge.InvoiceNumber(1234567); got != "INV-1234567" {
		t.Errorf("got %s", got)
	}
}

func TestFinalizeBackDated(t *testing.T) {
	zurich, _ := time.LoadLocation("Europe/Zurich")
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC) // already the 29th in Zurich
	date := func(s string) *billbridge.Date {
		d, err := billbridge.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	for _, tc := range []struct {
		name, issue string
		wantIssue   string
		wantDue     string
		overdue     bool
		refused     bool
	}{
		{name: "no date: today in the account's zone", wantIssue: "2026-11-29", wantDue: "2026-12-29"},
		{name: "today in the account's zone, already tomorrow in UTC", issue: "2026-11-29", wantIssue: "2026-11-29", wantDue: "2026-12-29"},
		{name: "a past date makes it due, and overdue, in the past", issue: "2026-09-01", wantIssue: "2026-09-01", wantDue: "2026-10-01", overdue: true},
		{name: "the earliest date allowed", issue: "2000-01-01", wantIssue: "2000-01-01", wantDue: "2000-01-31", overdue: true},
		{name: "tomorrow is the future", issue: "2026-11-30", refused: true},
		{name: "before 2000", issue: "1999-12-31", refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := invoice(billbridge.LineItem{Quantity: 1000, UnitPrice: 10000, VATRate: 0})
			if err := inv.ComputeTotals(); err != nil {
				t.Fatal(err)
			}
			if tc.issue != "" {
				inv.IssueDate = date(tc.issue)
			}
			err := inv.Finalize("INV-000001", now, zurich)
			if tc.refused {
				var e *billbridge.Error
				if !errors.As(err, &e) || e.Code != billbridge.EINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "issue_date" {
					t.Fatalf("err = %v, want EINVALID naming issue_date", err)
				}
				if inv.Status != billbridge.StatusDraft || inv.Number != "" {
					t.Errorf("a refused finalize changed the invoice: %+v", inv)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if inv.IssueDate.String() != tc.wantIssue || inv.DueDate.String() != tc.wantDue || inv.IsOverdue(now, zurich) != tc.overdue {
				t.Errorf("issue %s due %s overdue %v, want %s %s %v", inv.IssueDate, inv.DueDate, inv.IsOverdue(now, zurich), tc.wantIssue, tc.wantDue, tc.overdue)
			}
		})
	}
}
