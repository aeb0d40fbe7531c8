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

// testReportPlans checks that the receivables, summary and customers
// report queries read invoices, payments and reminders through indexes
// only: no scan of a table (SQLite SCAN without an index, PostgreSQL Seq
// Scan once sequential scans are priced out), so settled history costs
// nothing. Which indexes the planner takes depends on the statistics:
// BenchmarkReports logs the receivables plan at 100,000 invoices.
func testReportPlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	acct := newAccount(t, db).ID
	plan, err := db.ExplainAging(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.ExplainReports(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	for _, plan := range append(plans, plan) {
		for _, line := range strings.Split(plan, "\n") {
			l := strings.TrimSpace(line)
			derived := strings.Contains(l, "SCAN cand") || strings.Contains(l, "SCAN open") || strings.Contains(l, "SCAN a") ||
				strings.Contains(l, "VIRTUAL TABLE") || strings.Contains(l, "TEMP B-TREE")
			if strings.Contains(line, "Seq Scan") || (strings.HasPrefix(l, "SCAN") && !strings.Contains(l, "INDEX") && !derived) {
				t.Fatalf("a report query scans a table:\n%s", plan)
			}
		}
	}
}

// seedLedger stores n invoices for account a: 200 open (issued in October
// and November 2026, due 30 days later) spread over 20 customers, the rest
// history issued and paid in 2025.
func seedLedger(b *testing.B, db *sqlstore.DB, a *billbridge.Account, n int) {
	b.Helper()
	custs := make([]*billbridge.Customer, 20)
	for i := range custs {
		custs[i] = newCustomer(b, db, a, nil)
	}
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
			ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: custs[i%len(custs)].ID, Status: status, Number: "INV-" + strconv.Itoa(i),
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
	start := time.Now()
	if err := db.SeedInvoices(context.Background(), invs); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d invoices in %s", n, time.Since(start).Round(time.Millisecond))
}

// BenchmarkReports answers the receivables, summary and customers reports
// of an account of 1,000 and one of 100,000 invoices with the same 200 open
// ones (October and November 2026, 20 customers; the rest settled history
// of 2025), with as many again in another account: each report reads the
// open invoices or the range's, never the history, so the cost stays flat.
//
//	go test -run '^$' -bench Reports -benchtime 200x ./sqlstore/
func BenchmarkReports(b *testing.B) {
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
	from := *date(b, "2026-10-01")
	fromStart, _ := billbridge.DayBounds(from, zurich)
	ctx := context.Background()
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			for _, n := range []int{1000, 100000} {
				b.Run(strconv.Itoa(n), func(b *testing.B) {
					// A database per size: a SQLite connection that planned the
					// receivables query while the table held 2,000 invoices kept
					// that plan's statistics after the 100,000 were added and
					// analyzed, and read every invoice of the account (3.4 s/op).
					db := s.open(b)
					a := newAccount(b, db)
					seedLedger(b, db, a, n)
					seedLedger(b, db, newAccount(b, db), n) // noise
					b.Run("receivables", func(b *testing.B) {
						if plan, err := db.ExplainAging(ctx, a.ID); err != nil || (n == 100000 && testing.Verbose()) {
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
					b.Run("summary", func(b *testing.B) {
						for b.Loop() {
							facts, err := db.SummaryFacts(ctx, a.ID, from, asOf, fromStart, end)
							rep := billbridge.SummaryOf(from, asOf, billbridge.GroupMonth, zurich, facts)
							if err != nil || len(rep.Totals) != 1 || rep.Totals[0].InvoicedCount != 200 || len(rep.Totals[0].VATByRate) != 1 {
								b.Fatalf("report %+v, %v", rep, err)
							}
						}
					})
					b.Run("customers", func(b *testing.B) {
						f := billbridge.CustomerReportFilter{Today: asOf, Sort: billbridge.SortOverdueDesc, Limit: 25}
						for b.Loop() {
							page, err := db.CustomerReceivables(ctx, a.ID, f)
							if err != nil || len(page.Data) != 20 || page.Data[0].OutstandingCount != 10 {
								b.Fatalf("report %+v, %v", page, err)
							}
						}
					})
				})
			}
		})
	}
}
