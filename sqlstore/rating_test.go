package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
)

// TestPostgresSwapPaymentRatingWaits: while one transaction has swapped a
// customer's rating to poor and not committed, a second swapping it to
// poor too waits for it and returns poor as the rating before, so the
// change is told once; with a row before (good) and without (the first
// rating). It fails for a swap that reads the row before locking it: the
// second read good (or nothing) and told good → poor again.
func TestPostgresSwapPaymentRatingWaits(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	a := newAccount(t, db)
	for _, recorded := range []string{billbridge.RatingGood, ""} {
		c := newCustomer(t, db, a, nil)
		if recorded != "" {
			mustAtomic(t, db, func(tx billbridge.Tx) error {
				_, err := tx.SwapPaymentRating(ctx, a.ID, c.ID, recorded)
				return err
			})
		}
		var second string
		done := make(chan error, 1)
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			if _, err := tx.SwapPaymentRating(ctx, a.ID, c.ID, billbridge.RatingPoor); err != nil {
				return err
			}
			go func() {
				done <- db.Atomic(ctx, func(tx billbridge.Tx) error {
					var err error
					second, err = tx.SwapPaymentRating(ctx, a.ID, c.ID, billbridge.RatingPoor)
					return err
				})
			}()
			wctx, cancel := context.WithTimeout(ctx, time.Minute) // a guard against hanging, not a measure
			defer cancel()
			return db.WaitForLockWait(wctx)
		})
		if err := <-done; err != nil || second != billbridge.RatingPoor {
			t.Errorf("recorded %q: the second swap to poor returned %q, %v; want poor (told once)", recorded, second, err)
		}
	}
}
