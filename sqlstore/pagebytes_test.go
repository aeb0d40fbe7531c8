package sqlstore_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// testPageBytes lists twelve invoices of about 100 kB each with limit 100
// under a 300 kB page bound: every page stops before its items' JSON passes
// the bound, HasMore and the cursor walk every invoice exactly once, and an
// invoice larger than the bound comes alone on its page.
func testPageBytes(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	const budget = 300_000
	db.SetPageBytes(budget)
	a := newAccount(t, db)
	c := newCustomer(t, db, a, nil)
	var want []string
	for i := range 12 {
		size := 100_000
		if i == 5 {
			size = 400_000 // larger than the bound on its own
		}
		inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) { inv.Notes = strings.Repeat("n", size) })
		want = append(want, inv.ID)
	}
	checkPagination(t, want, 100, func(p billbridge.PageParams) ([]string, bool, error) {
		page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{PageParams: p})
		if err != nil {
			return nil, false, err
		}
		b, err := json.Marshal(page.Data)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Data) > 1 && len(b) > budget {
			t.Fatalf("a page of %d invoices is %d bytes of JSON, more than the bound %d", len(page.Data), len(b), budget)
		}
		if len(page.Data) > 3 {
			t.Fatalf("a page holds %d invoices of 100 kB under a 300 kB bound", len(page.Data))
		}
		return ids(page.Data, func(inv billbridge.Invoice) string { return inv.ID }), page.HasMore, nil
	})

	// The bound applies inside transactions too, and lifting it gives the
	// whole limit.
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		page, err := tx.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100}})
		if err == nil && (len(page.Data) > 3 || !page.HasMore) {
			t.Errorf("in a transaction: %d invoices, HasMore %v; want at most 3 and more", len(page.Data), page.HasMore)
		}
		return err
	})
	db.SetPageBytes(0)
	page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100}})
	if err != nil || len(page.Data) != 12 || page.HasMore {
		t.Fatalf("unbounded: %d invoices, HasMore %v, %v; want all 12", len(page.Data), page.HasMore, err)
	}
}

// BenchmarkListLargeInvoices reads one limit=100 page of invoices of about
// 200 kB each (20 MB in all) with the default page bound (1 MiB) and
// without one (the behaviour before the bound), reporting the bytes
// allocated per page and the items it holds.
//
//	go test -run '^$' -bench ListLargeInvoices -benchtime 20x ./sqlstore/
func BenchmarkListLargeInvoices(b *testing.B) {
	ctx := context.Background()
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			var db *sqlstore.DB
			if store == "sqlite" {
				db = mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
			} else {
				db = mustOpen(b, testenv.PostgresURL(b))
			}
			a := newAccount(b, db)
			c := newCustomer(b, db, a, nil)
			invs := make([]billbridge.Invoice, 100)
			for i := range invs {
				invs[i] = billbridge.Invoice{
					ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: c.ID, Status: billbridge.StatusDraft,
					Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(), Notes: strings.Repeat("n", 200_000),
					Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
				}
				if err := invs[i].ComputeTotals(); err != nil {
					b.Fatal(err)
				}
			}
			if err := db.SeedInvoices(ctx, invs); err != nil {
				b.Fatal(err)
			}
			for _, bc := range []struct {
				name  string
				bound int
			}{{"bounded-1MiB", billbridge.DefaultPageBytes}, {"unbounded", 0}} {
				b.Run(bc.name, func(b *testing.B) {
					db.SetPageBytes(bc.bound)
					b.ReportAllocs()
					var items int
					for b.Loop() {
						page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100}})
						if err != nil {
							b.Fatal(err)
						}
						items = len(page.Data)
					}
					b.ReportMetric(float64(items), "items/page")
				})
			}
		})
	}
}
