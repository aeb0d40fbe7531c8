package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"billbridge"
	"billbridge/sqlstore"
)

func testInvoices(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c := newCustomer(t, db, a, nil)
	inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) {
		inv.ExternalID, inv.Reference, inv.Notes = "deal-1", "PO 77", "Thanks"
		inv.Items = append(inv.Items, billbridge.LineItem{Description: "Travel", Quantity: 2500, UnitPrice: 1995, VATRate: 0})
		if err := inv.ComputeTotals(); err != nil {
			t.Fatal(err)
		}
	})
	got, err := db.FindInvoice(ctx, a.ID, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindInvoice of a draft", got, inv)
	got, err = db.FindInvoiceByExternalID(ctx, a.ID, "deal-1")
	if err != nil || got.ID != inv.ID {
		t.Fatalf("FindInvoiceByExternalID = %v, %v", got, err)
	}
	_, err = db.FindInvoiceByExternalID(ctx, a.ID, "deal-2")
	isNotFound(t, "FindInvoiceByExternalID of an unknown id", err)
	_, err = db.FindInvoiceByExternalID(ctx, a.ID, "")
	isNotFound(t, "FindInvoiceByExternalID of an empty id", err)
	_, err = db.FindInvoice(ctx, a.ID, "inv_nope")
	isNotFound(t, "FindInvoice of an unknown id", err)

	// Finalize, pay, mark notified: every field survives the round trip.
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		inv, err := tx.LockInvoice(ctx, a.ID, inv.ID)
		if err != nil {
			return err
		}
		n, err := tx.NextInvoiceNumber(ctx, a.ID)
		if err != nil {
			return err
		}
		if err := inv.Finalize(billbridge.InvoiceNumber(n), now(), a.Location()); err != nil {
			return err
		}
		if _, err := inv.ApplyPayment(1000, now()); err != nil {
			return err
		}
		inv.OverdueNotified = true
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return err
		}
		got, err := tx.FindInvoice(ctx, a.ID, inv.ID)
		if err != nil {
			return err
		}
		sameJSON(t, "FindInvoice after UpdateInvoice", got, inv)
		if !got.OverdueNotified || got.Number != "INV-000001" || got.Status != billbridge.StatusPartiallyPaid {
			t.Errorf("stored invoice: %+v", got)
		}
		return nil
	})
	ghost := *inv
	ghost.ID = "inv_ghost"
	isNotFound(t, "UpdateInvoice of an unknown id", db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.UpdateInvoice(ctx, &ghost) }))
	isNotFound(t, "LockInvoice of an unknown id", db.Atomic(ctx, func(tx billbridge.Tx) error {
		_, err := tx.LockInvoice(ctx, a.ID, "inv_nope")
		return err
	}))

	// external_id is unique per account.
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		dup := *inv
		dup.ID = billbridge.NewID(billbridge.PrefixInvoice)
		return tx.InsertInvoice(ctx, &dup)
	})
	isRetry(t, "InsertInvoice with a taken external_id", err)
	b := newAccount(t, db)
	newInvoice(t, db, newCustomer(t, db, b, nil), func(inv *billbridge.Invoice) { inv.ExternalID = "deal-1" })
}

func testInvoiceStatusFilters(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c1 := newCustomer(t, db, a, nil)
	c2 := newCustomer(t, db, a, nil)
	today := *date(t, "2025-06-15")
	mk := func(c *billbridge.Customer, status, due string) string {
		return newInvoice(t, db, c, func(inv *billbridge.Invoice) {
			inv.Status = status
			if due != "" {
				inv.IssueDate, inv.DueDate = date(t, "2025-05-01"), date(t, due)
			}
		}).ID
	}
	draft := mk(c1, billbridge.StatusDraft, "")
	open := mk(c1, billbridge.StatusOpen, "2025-06-15") // due today: not yet overdue
	openLate := mk(c2, billbridge.StatusOpen, "2025-06-14")
	part := mk(c2, billbridge.StatusPartiallyPaid, "2025-07-01")
	partLate := mk(c1, billbridge.StatusPartiallyPaid, "2025-01-01")
	paid := mk(c1, billbridge.StatusPaid, "2025-01-01")
	cancelled := mk(c2, billbridge.StatusCancelled, "2025-01-01")
	newInvoice(t, db, newCustomer(t, db, newAccount(t, db), nil), func(inv *billbridge.Invoice) { // other account
		inv.Status, inv.DueDate = billbridge.StatusOpen, date(t, "2025-01-01")
	})
	cases := []struct {
		f    billbridge.InvoiceFilter
		want []string
	}{
		{billbridge.InvoiceFilter{}, []string{draft, open, openLate, part, partLate, paid, cancelled}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusUnpaid}, []string{open, openLate, part, partLate}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusOverdue}, []string{openLate, partLate}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusOpen}, []string{open}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusPartiallyPaid}, []string{part}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusDraft}, []string{draft}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusPaid}, []string{paid}},
		{billbridge.InvoiceFilter{Status: billbridge.StatusCancelled}, []string{cancelled}},
		{billbridge.InvoiceFilter{CustomerID: c2.ID}, []string{openLate, part, cancelled}},
		{billbridge.InvoiceFilter{CustomerID: c2.ID, Status: billbridge.StatusOverdue}, []string{openLate}},
		{billbridge.InvoiceFilter{CustomerID: "cus_nope"}, nil},
	}
	for _, tc := range cases {
		tc.f.Today = today
		page, err := db.FindInvoices(ctx, a.ID, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(page.Data, func(inv billbridge.Invoice) string { return inv.ID })
		if page.HasMore || !sameSet(got, tc.want) {
			t.Fatalf("FindInvoices(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
	ext := newInvoice(t, db, c1, func(inv *billbridge.Invoice) { inv.ExternalID = "e-1" })
	page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{ExternalID: "e-1", Today: today})
	if err != nil || len(page.Data) != 1 || page.Data[0].ID != ext.ID {
		t.Fatalf("external_id filter: %+v, %v", page, err)
	}

	// Pagination over a filtered list.
	var unpaid []string
	for range 7 {
		unpaid = append(unpaid, mk(c1, billbridge.StatusOpen, "2025-12-31"))
	}
	unpaid = append(unpaid, open, openLate, part, partLate)
	for _, limit := range []int{2, 4, 11, 12} {
		checkPagination(t, unpaid, limit, func(p billbridge.PageParams) ([]string, bool, error) {
			page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{Status: billbridge.StatusUnpaid, Today: today, PageParams: p})
			return ids(page.Data, func(inv billbridge.Invoice) string { return inv.ID }), page.HasMore, err
		})
	}
}

func testOverdueCandidates(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	ca, cb := newCustomer(t, db, a, nil), newCustomer(t, db, b, nil)
	mk := func(c *billbridge.Customer, status, due string, notified bool) *billbridge.Invoice {
		return newInvoice(t, db, c, func(inv *billbridge.Invoice) {
			inv.Status, inv.DueDate, inv.OverdueNotified = status, date(t, due), notified
		})
	}
	late := mk(ca, billbridge.StatusOpen, "2025-03-01", false)
	lateB := mk(cb, billbridge.StatusPartiallyPaid, "2025-02-01", false)
	mk(ca, billbridge.StatusOpen, "2025-03-01", true)       // already notified
	mk(ca, billbridge.StatusPaid, "2025-03-01", false)      // paid
	mk(ca, billbridge.StatusCancelled, "2025-03-01", false) // cancelled
	mk(cb, billbridge.StatusOpen, "2025-04-01", false)      // due on the day: not before it
	day := *date(t, "2025-04-01")
	got, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if gotIDs := ids(got, func(inv billbridge.Invoice) string { return inv.ID }); !slices.Equal(gotIDs, []string{lateB.ID, late.ID}) {
		t.Fatalf("FindOverdueCandidates = %v, want %v (earliest due first)", gotIDs, []string{lateB.ID, late.ID})
	}
	if got[0].AccountID != b.ID {
		t.Fatalf("candidate lost its account: %+v", got[0])
	}
	first, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{}, 1)
	if err != nil || len(first) != 1 || first[0].ID != lateB.ID {
		t.Fatalf("limit 1: %v, %v", first, err)
	}
	// The next page starts strictly after the last key, also within one
	// due date (then by id).
	next, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{DueDate: *first[0].DueDate, ID: first[0].ID}, 1)
	if err != nil || len(next) != 1 || next[0].ID != late.ID {
		t.Fatalf("page after %s: %v, %v", first[0].ID, next, err)
	}
	if rest, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{DueDate: *late.DueDate, ID: late.ID}, 10); err != nil || len(rest) != 0 {
		t.Fatalf("page after the last: %v, %v", rest, err)
	}
	same := newInvoice(t, db, cb, func(inv *billbridge.Invoice) { // same due date as late, later id
		inv.ID, inv.Status, inv.DueDate = late.ID+"z", billbridge.StatusOpen, date(t, "2025-03-01")
	})
	if got, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{DueDate: *late.DueDate, ID: late.ID}, 10); err != nil || len(got) != 1 || got[0].ID != same.ID {
		t.Fatalf("same due date, later id: %v, %v", got, err)
	}
	same.Status = billbridge.StatusPaid
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateInvoice(ctx, same) })
	late.OverdueNotified = true
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateInvoice(ctx, late) })
	if got, err := db.FindOverdueCandidates(ctx, day, billbridge.OverdueKey{}, 10); err != nil || len(got) != 1 || got[0].ID != lateB.ID {
		t.Fatalf("after notifying one: %v, %v", got, err)
	}
}

func testPayments(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c := newCustomer(t, db, a, nil)
	inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) { inv.Status = billbridge.StatusOpen })
	other := newInvoice(t, db, c, func(inv *billbridge.Invoice) { inv.Status = billbridge.StatusOpen })
	mk := func(invoiceID, ext string) *billbridge.Payment {
		return &billbridge.Payment{ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: a.ID, InvoiceID: invoiceID,
			CustomerID: c.ID, ExternalID: ext, Amount: 1234, Currency: billbridge.CHF, PaidAt: *date(t, "2025-06-01"),
			Method: "bank_transfer", Reference: "RF18", CreatedAt: now()}
	}
	var want []string
	var first *billbridge.Payment
	for i := range 6 {
		p := mk(inv.ID, "")
		if i == 0 {
			p.ExternalID = "bank-1"
			first = p
		}
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertPayment(ctx, p) })
		want = append(want, p.ID)
	}
	p := mk(other.ID, "")
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertPayment(ctx, p) })

	got, err := db.FindPaymentByExternalID(ctx, a.ID, "bank-1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindPaymentByExternalID", got, first)
	_, err = db.FindPaymentByExternalID(ctx, a.ID, "bank-2")
	isNotFound(t, "FindPaymentByExternalID of an unknown id", err)
	_, err = db.FindPaymentByExternalID(ctx, a.ID, "")
	isNotFound(t, "FindPaymentByExternalID of an empty id", err)
	isRetry(t, "InsertPayment with a taken external_id", db.Atomic(ctx, func(tx billbridge.Tx) error {
		return tx.InsertPayment(ctx, mk(inv.ID, "bank-1"))
	}))
	for _, limit := range []int{2, 3, 6, 7} {
		checkPagination(t, want, limit, func(p billbridge.PageParams) ([]string, bool, error) {
			page, err := db.FindPayments(ctx, a.ID, inv.ID, p)
			return ids(page.Data, func(p billbridge.Payment) string { return p.ID }), page.HasMore, err
		})
	}
}
