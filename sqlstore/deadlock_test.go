package sqlstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"billbridge"
)

// TestPostgresDeadlockIsRunAgain: two transactions that lock two invoices
// in opposite orders deadlock; PostgreSQL aborts one, and Atomic runs that
// one again however the statement that hit the deadlock reported it (here
// LockInvoice, which does not mark its errors as races): both succeed.
func TestPostgresDeadlockIsRunAgain(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	a := newAccount(t, db)
	c := newCustomer(t, db, a, nil)
	inv := [2]*billbridge.Invoice{newInvoice(t, db, c, nil), newInvoice(t, db, c, nil)}

	var attempts atomic.Int32
	var first [2]sync.Once
	var holds sync.WaitGroup // both hold their first lock before either asks for its second
	holds.Add(2)
	errs := make(chan error, 2)
	for i := range 2 {
		go func() {
			errs <- db.Atomic(ctx, func(tx billbridge.Tx) error {
				attempts.Add(1)
				if _, err := tx.LockInvoice(ctx, a.ID, inv[i].ID); err != nil {
					return err
				}
				first[i].Do(func() { holds.Done(); holds.Wait() })
				_, err := tx.LockInvoice(ctx, a.ID, inv[1-i].ID)
				return err
			})
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a transaction failed: %v", err)
		}
	}
	if n := attempts.Load(); n < 3 {
		t.Errorf("%d attempts, want at least 3: no deadlock happened, the test proves nothing", n)
	}
}
