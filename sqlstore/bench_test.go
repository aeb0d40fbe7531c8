package sqlstore_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// seedInvoices stores n invoices for account a over 10 customers, with the
// statuses of a typical ledger: half paid, 30 % open (some overdue), 10 %
// partially paid, 5 % drafts, 5 % cancelled.
func seedInvoices(b *testing.B, db *sqlstore.DB, a *billbridge.Account, n int) {
	b.Helper()
	customers := make([]*billbridge.Customer, 10)
	for i := range customers {
		customers[i] = newCustomer(b, db, a, nil)
	}
	statuses := []string{"paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid",
		"open", "open", "open", "open", "open", "open", "partially_paid", "partially_paid", "draft", "cancelled"}
	due := []*billbridge.Date{date(b, "2025-01-31"), date(b, "2026-12-31")}
	invs := make([]billbridge.Invoice, n)
	for i := range invs {
		c := customers[i%len(customers)]
		invs[i] = billbridge.Invoice{
			ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: c.ID, Status: statuses[i%len(statuses)],
			Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(), DueDate: due[i%2],
			Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
		}
		if err := invs[i].ComputeTotals(); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.SeedInvoices(context.Background(), invs); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFindInvoicesUnpaid reads page 1 (25) of status=unpaid in an
// account of 1,000 and one of 100,000 invoices, with as many again in two
// other accounts: index (account_id, unpaid, id) keeps the cost flat.
//
//	go test -run '^$' -bench FindInvoicesUnpaid -benchtime 2000x ./sqlstore/
func BenchmarkFindInvoicesUnpaid(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) *sqlstore.DB
	}{
		{"sqlite", func(b *testing.B) *sqlstore.DB {
			return mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
		}},
		{"postgres", func(b *testing.B) *sqlstore.DB { return mustOpen(b, testenv.PostgresURL(b)) }},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			// Seeded once here; the sub-benchmarks below only read.
			db := s.open(b)
			for _, n := range []int{1000, 100000} {
				a := newAccount(b, db)
				seedInvoices(b, db, a, n)
				seedInvoices(b, db, newAccount(b, db), n/2) // noise
				seedInvoices(b, db, newAccount(b, db), n/2)
				f := billbridge.InvoiceFilter{Status: billbridge.StatusUnpaid, Today: *date(b, "2025-06-15"), PageParams: billbridge.PageParams{Limit: 25}}
				b.Run(strconv.Itoa(n), func(b *testing.B) {
					ctx := context.Background()
					for b.Loop() {
						page, err := db.FindInvoices(ctx, a.ID, f)
						if err != nil || len(page.Data) != 25 || !page.HasMore {
							b.Fatalf("page: %d items, more %v, %v", len(page.Data), page.HasMore, err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAppendEventHooks measures one write transaction appending one
// event for an account with 0, 10 and MaxHooks hooks subscribed to it. The
// deliveries are fanned out after the commit (FanOut), so the writer's cost
// does not grow with the hooks.
//
//	go test -run '^$' -bench AppendEventHooks -benchtime 300x ./sqlstore/
func BenchmarkAppendEventHooks(b *testing.B) {
	ctx := context.Background()
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			var db *sqlstore.DB
			if store == "sqlite" {
				db = mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
			} else {
				db = mustOpen(b, testenv.PostgresURL(b))
			}
			for _, hooks := range []int{0, 10, billbridge.MaxHooks} {
				a := newAccount(b, db)
				for i := range hooks {
					h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: a.ID, TargetURL: "https://hooks.example/" + strconv.Itoa(i),
						Events: []string{"*"}, Secret: billbridge.NewHookSecret(), CreatedAt: now()}
					mustAtomic(b, db, func(tx billbridge.Tx) error { return tx.InsertHook(ctx, h) })
				}
				b.Run(strconv.Itoa(hooks)+"hooks", func(b *testing.B) {
					for b.Loop() {
						appendEvents(b, db, a.ID, billbridge.InvoiceCreated)
					}
				})
			}
		})
	}
}
