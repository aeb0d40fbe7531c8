package sqlstore_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"billbridge"
	"billbridge/triggers"
)

// BenchmarkOverdueJob is the first overdue run after a large import on
// SQLite: one customer with 20,000 invoices (19,000 paid, 1,000 open and
// past due), every run on a freshly seeded database. The job's cost is
// what every other writer of the store waits for meanwhile.
//
//	go test -run '^$' -bench OverdueJob -benchtime 1x -count 3 ./sqlstore/
func BenchmarkOverdueJob(b *testing.B) {
	const invoices, overdue = 20000, 1000
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	for range b.N {
		b.StopTimer()
		db := mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "overdue.db"))
		a := newAccount(b, db)
		c := newCustomer(b, db, a, nil)
		invs := make([]billbridge.Invoice, invoices)
		for i := range invs {
			inv := &invs[i]
			*inv = billbridge.Invoice{
				ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: c.ID, Status: billbridge.StatusPaid,
				Number: "R-" + strconv.Itoa(i+1), Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now, UpdatedAt: now,
				IssueDate: date(b, "2025-12-01"), DueDate: date(b, "2025-12-31"),
				Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
			}
			if err := inv.ComputeTotals(); err != nil {
				b.Fatal(err)
			}
			if i%(invoices/overdue) == 0 {
				inv.Status = billbridge.StatusOpen
			} else {
				inv.AmountPaid, inv.AmountDue = inv.Total, 0
			}
		}
		if err := db.SeedInvoices(ctx, invs); err != nil {
			b.Fatal(err)
		}
		job := &triggers.OverdueJob{Store: db, Clock: func() time.Time { return now }}
		b.StartTimer()
		n, err := job.RunOnce(ctx)
		if err != nil || n != overdue {
			b.Fatalf("RunOnce = %d, %v; want %d", n, err, overdue)
		}
	}
}
