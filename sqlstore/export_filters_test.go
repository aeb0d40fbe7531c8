package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testExportFilters checks what exports read: customers and invoices changed
// since a time, and the payments of a whole account (recorded since a time),
// paged newest first and never another account's rows.
func testExportFilters(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	old := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	cut := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var oldCus, newCus []string
	for i := range 5 {
		at := cut.Add(time.Duration(i) * time.Hour)
		if i < 2 {
			at = old
		}
		c := newCustomer(t, db, a, func(c *billbridge.Customer) { c.CreatedAt, c.UpdatedAt = old, at })
		if i < 2 {
			oldCus = append(oldCus, c.ID)
		} else {
			newCus = append(newCus, c.ID)
		}
	}
	otherCus := newCustomer(t, db, b, nil)
	newInvoice(t, db, otherCus, func(inv *billbridge.Invoice) { inv.Status = billbridge.StatusOpen })

	all := append(slices.Clone(oldCus), newCus...)
	for _, tc := range []struct {
		since time.Time
		want  []string
	}{{time.Time{}, all}, {cut, newCus}, {cut.Add(4 * time.Hour), newCus[2:]}, {cut.Add(5 * time.Hour), nil}} {
		checkPagination(t, tc.want, 2, func(p billbridge.PageParams) ([]string, bool, error) {
			page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{UpdatedSince: tc.since, PageParams: p})
			return ids(page.Data, func(c billbridge.Customer) string { return c.ID }), page.HasMore, err
		})
	}

	c := newCustomer(t, db, a, nil)
	var newInv, payIDs, newPay []string
	for i := range 4 {
		at := old
		if i >= 2 {
			at = cut.Add(time.Minute)
		}
		inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) { inv.Status, inv.UpdatedAt = billbridge.StatusOpen, at })
		if i >= 2 {
			newInv = append(newInv, inv.ID)
		}
		p := &billbridge.Payment{ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: a.ID, InvoiceID: inv.ID,
			CustomerID: c.ID, Amount: 100, Currency: billbridge.CHF, PaidAt: *date(t, "2025-05-01"),
			Method: "bank_transfer", CreatedAt: at}
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertPayment(ctx, p) })
		payIDs = append(payIDs, p.ID)
		if i >= 2 {
			newPay = append(newPay, p.ID)
		}
	}
	checkPagination(t, newInv, 1, func(p billbridge.PageParams) ([]string, bool, error) {
		page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{UpdatedSince: cut, Today: *date(t, "2025-06-15"), PageParams: p})
		return ids(page.Data, func(i billbridge.Invoice) string { return i.ID }), page.HasMore, err
	})
	for _, tc := range []struct {
		since time.Time
		want  []string
	}{{time.Time{}, payIDs}, {cut, newPay}} {
		for _, limit := range []int{1, 3, 4} {
			checkPagination(t, tc.want, limit, func(p billbridge.PageParams) ([]string, bool, error) {
				page, err := db.FindAccountPayments(ctx, a.ID, billbridge.PaymentFilter{RecordedSince: tc.since, PageParams: p})
				return ids(page.Data, func(p billbridge.Payment) string { return p.ID }), page.HasMore, err
			})
		}
	}
	page, err := db.FindAccountPayments(ctx, b.ID, billbridge.PaymentFilter{})
	if err != nil || len(page.Data) != 0 {
		t.Fatalf("payments of an account without any: %v, %v", page.Data, err)
	}
}
