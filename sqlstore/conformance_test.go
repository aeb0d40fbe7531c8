package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// runConformance runs every behaviour test against stores made by open.
func runConformance(t *testing.T, open opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *sqlstore.DB)
	}{
		{"Accounts", testAccounts},
		{"Customers", testCustomers},
		{"CustomerKeys", testCustomerKeys},
		{"CustomerSearch", testCustomerSearch},
		{"CustomerPagination", testCustomerPagination},
		{"Duplicates", testDuplicates},
		{"Invoices", testInvoices},
		{"PageBytes", testPageBytes},
		{"InvoiceStatusFilters", testInvoiceStatusFilters},
		{"OverdueCandidates", testOverdueCandidates},
		{"Payments", testPayments},
		{"PaymentStats", testPaymentStats},
		{"ExportFilters", testExportFilters},
		{"QRBill", testQRBill},
		{"Events", testEvents},
		{"EventBatches", testEventBatches},
		{"Hooks", testHooks},
		{"HookCap", testHookCap},
		{"OnEvents", testOnEvents},
		{"Deliveries", testDeliveries},
		{"FanOut", testFanOut},
		{"HookSubscribedWhileAppending", testHookSubscribedWhileAppending},
		{"NoFanOutWithoutHooks", testNoFanOutWithoutHooks},
		{"FairClaims", testFairClaims},
		{"ConcurrentFanOut", testConcurrentFanOut},
		{"Idempotency", testIdempotency},
		{"PurgeUsage", testPurgeUsage},
		{"AccountIsolation", testAccountIsolation},
		{"AtomicRollback", testAtomicRollback},
		{"AtomicRetry", testAtomicRetry},
		{"ConcurrentUpsert", testConcurrentUpsert},
		{"InvoiceNumbers", testInvoiceNumbers},
		{"LockInvoice", testLockInvoice},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ListPlans", testListPlans},
		{"ReportPlans", testReportPlans},
		{"MultiTypePlans", testMultiTypePlans},
		{"DuplicatePlans", testDuplicatePlans},
		{"DuplicateWritePlans", testDuplicateWritePlans},
		{"PartialIndexPlans", testPartialIndexPlans},
		{"CustomerKeyIndexes", testCustomerKeyIndexes},
		{"PaymentStatsPlans", testPaymentStatsPlans},
		{"EventFeedUnderLoad", testEventFeedUnderLoad},
		{"RecentIncidents", testRecentIncidents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// now returns the current time as callers store it: UTC, milliseconds.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// newAccount creates an account and returns it.
func newAccount(t testing.TB, db *sqlstore.DB) *billbridge.Account {
	t.Helper()
	a := &billbridge.Account{Name: "Acme " + billbridge.NewID("x")}
	_, hash := billbridge.NewAPIKey()
	if err := db.CreateAccount(context.Background(), a, hash); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

func testAccounts(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	n, err := db.CountAccounts(ctx)
	if err != nil || n != 0 {
		t.Fatalf("CountAccounts on empty store = %d, %v", n, err)
	}
	key, hash := billbridge.NewAPIKey()
	a := &billbridge.Account{Name: "Acme GmbH"}
	if err := db.CreateAccount(ctx, a, hash); err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.Timezone != "Europe/Zurich" || a.CreatedAt.IsZero() {
		t.Fatalf("CreateAccount did not fill defaults: %+v", a)
	}
	b := &billbridge.Account{Name: "Other", Timezone: "Europe/Berlin", CreatedAt: now()}
	if err := db.CreateAccount(ctx, b, billbridge.HashAPIKey("other")); err != nil {
		t.Fatal(err)
	}
	got, err := db.AccountByKeyHash(ctx, billbridge.HashAPIKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if *got != *a {
		t.Fatalf("AccountByKeyHash = %+v, want %+v", got, a)
	}
	got, err = db.FindAccount(ctx, b.ID)
	if err != nil || *got != *b {
		t.Fatalf("FindAccount = %+v, %v; want %+v", got, err, b)
	}
	if _, err := db.AccountByKeyHash(ctx, billbridge.HashAPIKey("nope")); billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
		t.Fatalf("AccountByKeyHash of an unknown key: %v", err)
	}
	if _, err := db.FindAccount(ctx, "acct_nope"); billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
		t.Fatalf("FindAccount of an unknown id: %v", err)
	}
	if n, err := db.CountAccounts(ctx); err != nil || n != 2 {
		t.Fatalf("CountAccounts = %d, %v; want 2", n, err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// Migrate again is a no-op.
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

// mustAtomic runs fn in db.Atomic and fails the test on error.
func mustAtomic(t testing.TB, db *sqlstore.DB, fn func(tx billbridge.Tx) error) {
	t.Helper()
	if err := db.Atomic(context.Background(), fn); err != nil {
		t.Fatalf("atomic: %v", err)
	}
}

// newCustomer stores a customer of account a, changed by edit first.
func newCustomer(t testing.TB, db *sqlstore.DB, a *billbridge.Account, edit func(c *billbridge.Customer)) *billbridge.Customer {
	t.Helper()
	c, err := insertCustomer(db, a, edit)
	if err != nil {
		t.Fatalf("atomic: %v", err)
	}
	return c
}

// insertCustomer is newCustomer that returns its error, for a goroutine.
func insertCustomer(db *sqlstore.DB, a *billbridge.Account, edit func(c *billbridge.Customer)) (*billbridge.Customer, error) {
	c := &billbridge.Customer{
		ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
		Name: "Customer " + billbridge.NewID(""), PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now(),
	}
	if edit != nil {
		edit(c)
	}
	return c, db.Atomic(context.Background(), func(tx billbridge.Tx) error { return tx.InsertCustomer(context.Background(), c) })
}

// newInvoice stores a draft invoice of customer c with one line of 100.00 at
// 8.1 % VAT, changed by edit first.
func newInvoice(t testing.TB, db *sqlstore.DB, c *billbridge.Customer, edit func(inv *billbridge.Invoice)) *billbridge.Invoice {
	t.Helper()
	inv := &billbridge.Invoice{
		ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: c.AccountID, CustomerID: c.ID,
		Status: billbridge.StatusDraft, Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(),
		Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
	}
	if err := inv.ComputeTotals(); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(inv)
	}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertInvoice(context.Background(), inv) })
	return inv
}

// date parses "2006-01-02" or fails the test.
func date(t testing.TB, s string) *billbridge.Date {
	t.Helper()
	d, err := billbridge.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// sameJSON fails the test unless got and want render the same JSON.
func sameJSON(t testing.TB, what string, got, want any) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if string(g) != string(w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// isNotFound fails the test unless err is ENOTFOUND.
func isNotFound(t testing.TB, what string, err error) {
	t.Helper()
	if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
		t.Fatalf("%s: got %v, want ENOTFOUND", what, err)
	}
}

// isRetry fails the test unless err matches billbridge.ErrRetry.
func isRetry(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, billbridge.ErrRetry) {
		t.Fatalf("%s: got %v, want an error matching ErrRetry", what, err)
	}
}

// ids returns the ids of a page's items.
func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = id(v)
	}
	return out
}

// newestFirst returns ids sorted as lists return them.
func newestFirst(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// checkPagination walks a newest-first list of want (ids) with the given
// limit through list and checks pages, HasMore and the end.
func checkPagination(t *testing.T, want []string, limit int, list func(p billbridge.PageParams) ([]string, bool, error)) {
	t.Helper()
	want = newestFirst(want)
	var got []string
	after := ""
	for page := 0; ; page++ {
		items, more, err := list(billbridge.PageParams{Limit: limit, StartingAfter: after})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) > limit {
			t.Fatalf("limit %d: page %d has %d items", limit, page, len(items))
		}
		got = append(got, items...)
		if wantMore := len(got) < len(want); more != wantMore {
			t.Fatalf("limit %d: page %d HasMore = %v after %d of %d items", limit, page, more, len(got), len(want))
		}
		if !more {
			break
		}
		after = items[len(items)-1]
	}
	if !slices.Equal(got, want) {
		t.Fatalf("limit %d: walked %v, want %v", limit, got, want)
	}
	if len(want) > 0 {
		items, more, err := list(billbridge.PageParams{Limit: limit, StartingAfter: want[len(want)-1]})
		if err != nil || len(items) != 0 || more {
			t.Fatalf("starting after the last item: %v, %v, %v", items, more, err)
		}
	}
}
