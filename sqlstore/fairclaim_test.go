package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testFairClaims gives account a ten due deliveries (its 10 hooks, older)
// and account b one (younger): claims go round-robin, so b's is among the
// first claimed however many a has, and a never holds more than perAccount
// leases, counting leases of earlier claims, until one is settled.
func testFairClaims(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	for range 10 {
		newHook(t, db, a, "*")
	}
	newHook(t, db, b, "*")
	appendEvents(t, db, a.ID, billbridge.InvoicePaid)
	time.Sleep(5 * time.Millisecond) // b's event is younger than a's
	appendEvents(t, db, b.ID, billbridge.InvoicePaid)
	at := time.Now().Add(time.Second)
	claim := func(limit, perAccount int) map[string][]billbridge.Delivery {
		t.Helper()
		got, err := db.ClaimDeliveries(ctx, at, limit, perAccount, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string][]billbridge.Delivery{}
		for _, d := range got {
			by[d.AccountID] = append(by[d.AccountID], d)
		}
		return by
	}

	// Round-robin: two claimed, one of each account, though a's nine
	// others are older than b's.
	if by := claim(2, 0); len(by[a.ID]) != 1 || len(by[b.ID]) != 1 {
		t.Fatalf("claim of 2: %d of a, %d of b; want one each", len(by[a.ID]), len(by[b.ID]))
	}
	// a holds one lease: with a cap of 3 it gets two more, then none.
	if by := claim(10, 3); len(by[a.ID]) != 2 || len(by[b.ID]) != 0 {
		t.Fatalf("claim of 10 capped at 3: %d of a, %d of b; want 2 and 0", len(by[a.ID]), len(by[b.ID]))
	}
	by := claim(10, 3)
	if len(by) != 0 {
		t.Fatalf("claim at the cap: %d of a; want none", len(by[a.ID]))
	}
	// Settling one of a's frees one place.
	at = at.Add(2 * time.Minute) // every lease has run out: claim them again to settle one
	leased := claim(10, 3)[a.ID]
	if len(leased) != 3 {
		t.Fatalf("after the leases ran out: %d of a claimed, want 3", len(leased))
	}
	if err := db.DeliveryFailed(ctx, leased[0].ID, at.Add(time.Hour), "timeout"); err != nil {
		t.Fatal(err)
	}
	if by := claim(10, 3); len(by[a.ID]) != 1 {
		t.Fatalf("after one of a's settled: %d of a claimed, want 1", len(by[a.ID]))
	}
	// Without a cap every due delivery is claimed: 10, less 3 leased and 1
	// waiting for its retry.
	if by := claim(100, 0); len(by[a.ID]) != 6 {
		t.Fatalf("uncapped: %d of a claimed, want the 6 left", len(by[a.ID]))
	}
}
