package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testListPlans checks that every list filter is served by an index in the
// list's order: no sort of the matching rows and no scan of the table, so a
// page costs the same whatever the table's size.
func testListPlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	today := *date(t, "2025-06-15")
	page := billbridge.PageParams{Limit: 25, StartingAfter: "inv_01ZZZZZZZZZZZZZZZZZZZZZZZZ"}
	since := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	filters := []any{
		billbridge.CustomerFilter{},
		billbridge.CustomerFilter{Email: "a@b.ch"},
		billbridge.CustomerFilter{ExternalID: "x"},
		billbridge.CustomerFilter{CustomerNumber: "1"},
		billbridge.CustomerFilter{Q: "dupont", PageParams: billbridge.PageParams{StartingAfter: "cus_1"}},
		billbridge.EventFilter{Limit: 25},
		billbridge.EventFilter{Limit: 25, Before: 100},
		billbridge.EventFilter{Ascending: true, After: 100, Limit: 25},
		billbridge.EventFilter{Types: []string{billbridge.InvoicePaid}, Limit: 25},
		billbridge.EventFilter{Types: []string{billbridge.InvoicePaid}, Ascending: true, After: 100, Limit: 25},
		billbridge.InvoiceFilter{Today: today, PageParams: page},
		billbridge.InvoiceFilter{ExternalID: "x", Today: today},
		billbridge.InvoiceFilter{CustomerID: "cus_1", Today: today, PageParams: page},
		billbridge.CustomerFilter{UpdatedSince: since, PageParams: billbridge.PageParams{StartingAfter: "cus_1"}},
		billbridge.InvoiceFilter{UpdatedSince: since, Today: today, PageParams: page},
		billbridge.CustomerFilter{NameKey: "dupont", PageParams: billbridge.PageParams{StartingAfter: "cus_1"}},
		billbridge.PaymentFilter{PageParams: page},
		billbridge.PaymentFilter{RecordedSince: since, PageParams: page},
	}
	for _, s := range billbridge.InvoiceStatuses {
		filters = append(filters, billbridge.InvoiceFilter{Status: s, Today: today, PageParams: page})
	}
	for _, f := range filters {
		plan, err := db.ExplainList(ctx, a.ID, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		for _, line := range strings.Split(plan, "\n") {
			bad := strings.Contains(line, "Sort") || strings.Contains(line, "Seq Scan") || // PostgreSQL
				strings.Contains(line, "TEMP B-TREE") || (strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "INDEX")) // SQLite
			if bad {
				t.Errorf("%T%+v is not index-backed:\n%s", f, f, plan)
				break
			}
		}
	}
}

// testPartialIndexPlans checks that the invoice filters on keys with a
// partial index (number and payment_reference, for non-empty values) read
// that index: one invoice, not a scan of the account's invoices for it (the
// invoice import looks every invoice up by number). SQLite only: its plans
// do not depend on statistics, while PostgreSQL prices an empty table with
// sorts switched off (ExplainList) as the primary key read backwards.
func testPartialIndexPlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	if db.Dialect() != "sqlite" {
		return
	}
	a := newAccount(t, db)
	for _, c := range []struct {
		f     billbridge.InvoiceFilter
		index string
	}{
		{billbridge.InvoiceFilter{Number: "2025-101"}, "invoices_number"},
		{billbridge.InvoiceFilter{PaymentReference: "210000000003139471430009017"}, "invoices_payment_reference"},
	} {
		plan, err := db.ExplainList(ctx, a.ID, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, c.index) {
			t.Errorf("%+v does not read %s:\n%s", c.f, c.index, plan)
		}
	}
}

// testCustomerKeyIndexes checks that the unique indexes of the customers'
// natural keys hold only the customers that have the key (migration 00022:
// a customer without one writes no entry), and that a lookup by each key
// still reads its index on SQLite (PostgreSQL prices a tiny table's
// primary key in the list's order cheaper; a partial index's predicate
// "column IS NOT NULL" is implied by "column = $n" for both planners).
func testCustomerKeyIndexes(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	for _, k := range []struct {
		index, column string
		f             billbridge.CustomerFilter
	}{
		{"customers_external_id", "external_id", billbridge.CustomerFilter{ExternalID: "crm-1"}},
		{"customers_customer_number", "customer_number", billbridge.CustomerFilter{CustomerNumber: "K-1"}},
		{"customers_email_key", "email_key", billbridge.CustomerFilter{Email: "a@b.ch"}},
	} {
		def, err := db.IndexDefinition(ctx, k.index)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(def, "UNIQUE") || !strings.Contains(def, k.column+" IS NOT NULL") {
			t.Errorf("%s is not a unique index of the customers holding %s: %s", k.index, k.column, def)
		}
		if db.Dialect() != "sqlite" {
			continue
		}
		plan, err := db.ExplainList(ctx, a.ID, k.f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, k.index) {
			t.Errorf("%+v does not read %s:\n%s", k.f, k.index, plan)
		}
	}
}

// testMultiTypePlans checks the feed filtered by several types: every read
// of the events table is an index range per type; the only sort is the
// merge of those ranges, each cut at the page size.
func testMultiTypePlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	types := []string{billbridge.InvoicePaid, billbridge.PaymentReceived, billbridge.CustomerCreated}
	for _, f := range []billbridge.EventFilter{
		{Types: types, Limit: 25},
		{Types: types, Limit: 25, Before: 100},
		{Types: types, Ascending: true, After: 100, Limit: 25},
	} {
		plan, err := db.ExplainList(ctx, a.ID, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		ranges := 0
		for _, line := range strings.Split(plan, "\n") {
			if strings.Contains(line, "Seq Scan") || strings.HasPrefix(strings.TrimSpace(line), "SCAN events") {
				t.Errorf("%+v scans the events table:\n%s", f, plan)
			}
			if strings.Contains(line, "events_type") {
				ranges++
			}
		}
		if ranges != len(types) {
			t.Errorf("%+v: %d index ranges on events_type, want %d:\n%s", f, ranges, len(types), plan)
		}
	}
}

// testDuplicatePlans checks that a page of the account's possible duplicates
// reads the score index in the list's order, cut at the page size before the
// customers are joined: no sort and no scan of the pairs or customers, so the
// page costs the same at 5,000 and 50,000 customers. After a cursor, the two
// ranges (the rest of its score, the lower scores) are each read in order.
func testDuplicatePlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	f := billbridge.DuplicateFilter{MinScore: billbridge.DefaultMinScore, PageParams: billbridge.PageParams{Limit: 25}}
	for _, after := range [][2]string{{}, {"cus_1", "cus_2"}} {
		plan, err := db.ExplainDuplicates(ctx, a.ID, f, 90, after[0], after[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(plan, "\n") {
			scan := strings.Contains(line, "Seq Scan") || (strings.HasPrefix(line, "SCAN customer") && !strings.Contains(line, "INDEX"))
			// The first page sorts nothing; after a cursor only the merge of its two ranges (at most twice the page).
			sort := after[0] == "" && (strings.Contains(line, "Sort") || strings.Contains(line, "TEMP B-TREE"))
			if scan || sort {
				t.Errorf("duplicates page after %v is not index-backed:\n%s", after, plan)
				break
			}
		}
	}
}

// testDuplicateWritePlans checks that a customer write in an account
// younger than the planner's statistics reads only its own entries of the
// duplicate tables: the block lookup by (account, block), the removals by
// (account, customer). With statistics from before the account existed,
// PostgreSQL took the account's one-row estimate for the whole truth and read
// the account's whole range instead (402 ms a lookup at 18,000 customers).
func testDuplicateWritePlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	if err := db.PlantDuplicateRows(ctx, newAccount(t, db).ID, 5000); err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	a := newAccount(t, db) // unknown to the statistics
	seedCustomers(t, db, a, 300)
	c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
		Name: "Müller Bau Zürich AG", PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now(),
		Address: &billbridge.Address{PostalCode: "8001", Country: "CH"}}
	if err := db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.InsertCustomer(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	block := billbridge.DuplicateBlocks(billbridge.KeysOf(c))[0]
	plans, err := db.ExplainDuplicateWrites(ctx, a.ID, c.ID, block)
	if err != nil {
		t.Fatal(err)
	}
	// The index each statement must not read: one that matches the account alone.
	wrong := [][]string{
		{"customer_blocks_customer"},
		{"customer_blocks_pkey"},
		{"customer_duplicates_b", "customer_duplicates_score"},
		{"customer_duplicates_pkey", "customer_duplicates_score"},
	}
	for i, plan := range plans {
		for _, word := range strings.Fields(plan) {
			if slices.Contains(wrong[i], word) {
				t.Errorf("statement %d reads %s, the account's whole range:\n%s", i, word, plan)
			}
		}
		if strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "SCAN customer") {
			t.Errorf("statement %d scans:\n%s", i, plan)
		}
	}
}

// testPaymentStatsPlans checks that a customer's payment health reads that
// customer's invoices and payments by index, never the account's invoices
// by status or a scan: a payment rates its customer, so every payment of
// an import or a bank file would otherwise read every invoice of the
// account again (the SQLite invoice import slowed from 477 rows/s at
// 18,000 lines to 199 at 50,000 that way).
func testPaymentStatsPlans(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	plans, err := db.ExplainPaymentStats(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, plan := range plans {
		t.Logf("%s", plan)
		if db.Dialect() != "sqlite" {
			continue // PostgreSQL's plan of an empty table says nothing of a full one
		}
		for _, line := range strings.Split(plan, "\n") {
			if (strings.HasPrefix(strings.TrimLeft(line, " "), "SCAN") && !strings.Contains(line, "COVERING")) ||
				strings.Contains(line, "invoices_status") || (strings.Contains(line, " i ") && !strings.Contains(line, "customer")) {
				t.Errorf("payment stats do not read by customer:\n%s", plan)
				break
			}
		}
	}
}
