package sqlstore_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// testReceivablesPlan checks that the receivables query reads invoices,
// payments and reminders through indexes only: no scan of a table (SQLite
// SCAN without an index, PostgreSQL Seq Scan once sequential scans are
// priced out), so settled history costs nothing. Which indexes the planner
// takes depends on the statistics: BenchmarkReceivables logs the plan at
// 100,000 invoices.
func testReceivablesPlan(t *testing.T, db *sqlstore.DB) {
	plan, err := db.ExplainAging(context.Background(), newAccount(t, db).ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(plan, "\n") {
		scan := strings.Contains(line, "Seq Scan") ||
			(strings.HasPrefix(strings.TrimSpace(line), "SCAN") && !strings.Contains(line, "INDEX") && !strings.Contains(line, "SCAN cand") && !strings.Contains(line, "SCAN open"))
		if scan {
			t.Fatalf("the receivables query scans a table:\n%s", plan)
		}
	}
}

// seedLedger stores n invoices for account a: 200 open (issued in October
// and November 2026, due 30 days later), the rest history issued and paid in
// 2025.
func seedLedger(b *testing.B, db *sqlstore.DB, a *billbridge.Account, n int) {
	b.Helper()
	cust := newCustomer(b, db, a, nil)
	invs := make([]billbridge.Invoice, n)
	paidAt := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
	for i := range invs {
		issue := date(b, "2025-05-01")
		status := billbridge.StatusPaid
		if i < 200 {
			d := date(b, "2026-10-01").AddDays(i % 60)
			issue, status = &d, billbridge.StatusOpen
		}
		due := issue.AddDays(30)
		invs[i] = billbridge.Invoice{
			ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: cust.ID, Status: status, Number: "INV-" + strconv.Itoa(i),
			Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(), IssueDate: issue, DueDate: &due, FinalizedAt: &paidAt,
			Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
		}
		if err := invs[i].ComputeTotals(); err != nil {
			b.Fatal(err)
		}
		if status == billbridge.StatusPaid {
			invs[i].AmountPaid, invs[i].AmountDue, invs[i].PaidAt = invs[i].Total, 0, &paidAt
		}
	}
	if err := db.SeedInvoices(context.Background(), invs); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReceivables answers the receivables report of an account of
// 1,000 and one of 100,000 invoices with the same 200 open ones (the rest
// settled history), with as many again in another account: the query reads
// the open invoices and those settled since the day, so the cost stays flat.
//
//	go test -run '^$' -bench Receivables -benchtime 200x ./sqlstore/
func BenchmarkReceivables(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) *sqlstore.DB
	}{
		{"sqlite", func(b *testing.B) *sqlstore.DB {
			return mustOpen(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
		}},
		{"postgres", func(b *testing.B) *sqlstore.DB { return mustOpen(b, testenv.PostgresURL(b)) }},
	}
	zurich, _ := time.LoadLocation("Europe/Zurich")
	asOf := *date(b, "2026-12-01")
	start, end := billbridge.DayBounds(asOf, zurich)
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			db := s.open(b)
			for _, n := range []int{1000, 100000} {
				a := newAccount(b, db)
				seedLedger(b, db, a, n)
				seedLedger(b, db, newAccount(b, db), n) // noise
				b.Run(strconv.Itoa(n), func(b *testing.B) {
					ctx := context.Background()
					if plan, err := db.ExplainAging(ctx, a.ID); err != nil || n == 100000 {
						b.Logf("plan (%v):\n%s", err, plan)
					}
					for b.Loop() {
						rows, err := db.AgingRows(ctx, a.ID, asOf, start, end)
						rep := billbridge.ReceivablesOf(asOf, rows)
						if err != nil || len(rep.Currencies) != 1 || rep.Currencies[0].OutstandingCount != 200 {
							b.Fatalf("report %+v, %v", rep, err)
						}
					}
				})
			}
		})
	}
}
