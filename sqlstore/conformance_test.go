package sqlstore_test

import (
	"context"
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
