package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
)

// TestPostgresPairAfterTheDuplicatesRowWait: a customer write that waits
// for the account's "duplicates" row, held by another customer write, reads
// its candidates as that write committed them: a look-alike committed
// during the wait is paired, a candidate renamed apart during the wait is
// not. It holds for a write that reads its candidates under the row
// (refreshDuplicates), and fails for one that reads them before taking the
// row and does not read again what changed meanwhile.
func TestPostgresPairAfterTheDuplicatesRowWait(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	rossi := func(name string) func(c *billbridge.Customer) {
		return func(c *billbridge.Customer) { c.Name, c.Address = name, &billbridge.Address{PostalCode: "6900"} }
	}
	// writeDuring runs first in one transaction and, while that holds the
	// account's "duplicates" row, inserts a customer made by edit in
	// another, which waits for the row; it returns that second customer.
	writeDuring := func(a *billbridge.Account, first func(tx billbridge.Tx) error, edit func(c *billbridge.Customer)) *billbridge.Customer {
		t.Helper()
		type result struct {
			c   *billbridge.Customer
			err error
		}
		done := make(chan result, 1)
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			if err := first(tx); err != nil {
				return err
			}
			go func() {
				c, err := insertCustomer(db, a, edit)
				done <- result{c, err}
			}()
			wctx, cancel := context.WithTimeout(ctx, time.Minute) // a guard against hanging, not a measure
			defer cancel()
			return db.WaitForLockWait(wctx)
		})
		r := <-done
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.c
	}
	pairsOf := func(a *billbridge.Account, id string) [][2]string {
		return pairIDs(findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{CustomerID: id, PageParams: billbridge.PageParams{Limit: 100}}))
	}

	a := newAccount(t, db)
	x := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
		PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
	rossi("Rossi Costruzioni SA")(x)
	y := writeDuring(a, func(tx billbridge.Tx) error { return tx.InsertCustomer(ctx, x) }, rossi("Costruzioni Rossi Sagl"))
	if got := pairsOf(a, y.ID); len(got) != 1 || sortedPair(got[0][0], got[0][1]) != sortedPair(x.ID, y.ID) {
		t.Errorf("a look-alike committed while the write waited: pairs %v, want %s with %s", got, y.ID, x.ID)
	}

	b := newAccount(t, db)
	z := newCustomer(t, db, b, rossi("Rossi Costruzioni SA"))
	renamed := *z
	renamed.Name, renamed.Address = "Müller Bau GmbH", &billbridge.Address{PostalCode: "8001"}
	w := writeDuring(b, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, &renamed) }, rossi("Costruzioni Rossi Sagl"))
	if got := pairsOf(b, w.ID); len(got) != 0 {
		t.Errorf("a candidate renamed apart while the write waited: pairs %v, want none", got)
	}
}
