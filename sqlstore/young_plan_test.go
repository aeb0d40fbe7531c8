package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"billbridge"
	"billbridge/sqlstore"
)

// TestPostgresYoungAccountListPlans: an account that received 10,000
// invoices in one transaction (an import) lists its unpaid and overdue
// invoices through invoices_unpaid read backwards, without a sort, while
// the table's statistics were taken before the account existed. Without
// statistics of the account PostgreSQL estimated its unpaid invoices at a
// handful and read them by invoices_dunning, then sorted them all (106 ms a
// page instead of 2 ms).
func TestPostgresYoungAccountListPlans(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	old := newAccount(t, db)
	importInvoices(t, db, newCustomer(t, db, old, nil), 2000)
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	a := newAccount(t, db)
	importInvoices(t, db, newCustomer(t, db, a, nil), 10000)
	today := *date(t, "2026-06-15")
	for _, status := range []string{billbridge.StatusUnpaid, billbridge.StatusOverdue} {
		plan, err := db.PlannedList(ctx, a.ID, billbridge.InvoiceFilter{Status: status, Today: today, PageParams: billbridge.PageParams{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plan, "Sort") || !strings.Contains(plan, "invoices_unpaid ") {
			t.Errorf("status=%s of a young account does not read invoices_unpaid in order:\n%s", status, plan)
		}
	}
}

// importInvoices stores n invoices of customer c in one transaction, as an
// import does: a third paid, the others unpaid, half of those overdue.
func importInvoices(t *testing.T, db *sqlstore.DB, c *billbridge.Customer, n int) {
	t.Helper()
	due := []*billbridge.Date{date(t, "2026-01-31"), date(t, "2026-12-31")}
	statuses := []string{billbridge.StatusPaid, billbridge.StatusOpen, billbridge.StatusOpen}
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		for i := range n {
			inv := &billbridge.Invoice{
				ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: c.AccountID, CustomerID: c.ID,
				Status: statuses[i%len(statuses)], Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(),
				DueDate: due[i%2], Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
			}
			if err := inv.ComputeTotals(); err != nil {
				return err
			}
			if err := tx.InsertInvoice(context.Background(), inv); err != nil {
				return err
			}
		}
		return nil
	})
}
