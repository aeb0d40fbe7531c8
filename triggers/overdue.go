package triggers

import (
	"context"
	"time"

	"billbridge"
)

// OverdueJob emits invoice.overdue once per invoice when it passes its due
// date in its account's time zone, and customer.payment_rating_changed
// when that changes the customer's payment rating. Several gateway instances may run it at
// once: each candidate is re-read under its row lock and marked in the same
// transaction as its event, so exactly one instance emits it.
//
// The command runs RunOnce periodically with its other background work.
type OverdueJob struct {
	Store billbridge.Store
	Clock billbridge.Clock
}

// overduePage is how many candidates one query reads.
const overduePage = 200

// RunOnce emits the events of every invoice overdue now and returns how many.
// Candidates are due before today in UTC+14, the latest calendar date
// anywhere, and are paged by (due date, id): an invoice not overdue yet in
// its own zone is passed over, never a reason to stop, so every overdue
// invoice is reached in the run, however many such invoices precede it.
func (j *OverdueJob) RunOnce(ctx context.Context) (int, error) {
	now := j.Clock.Now()
	day := billbridge.Today(now, time.FixedZone("UTC+14", 14*3600))
	emitted := 0
	accounts := map[string]*billbridge.Account{} // read once per run, not per invoice
	var after billbridge.OverdueKey
	for {
		cands, err := j.Store.FindOverdueCandidates(ctx, day, after, overduePage)
		if err != nil {
			return emitted, err
		}
		for _, cand := range cands {
			acct, ok := accounts[cand.AccountID]
			if !ok {
				if acct, err = j.Store.FindAccount(ctx, cand.AccountID); err != nil {
					return emitted, err
				}
				accounts[cand.AccountID] = acct
			}
			ok, err := j.emit(ctx, acct, cand.ID, now)
			if err != nil {
				return emitted, err
			}
			if ok {
				emitted++
			}
		}
		if len(cands) < overduePage {
			return emitted, nil
		}
		last := cands[len(cands)-1]
		after = billbridge.OverdueKey{DueDate: *last.DueDate, ID: last.ID}
	}
}

// emit marks one invoice overdue and appends its event, if it still is.
func (j *OverdueJob) emit(ctx context.Context, acct *billbridge.Account, invoiceID string, now time.Time) (bool, error) {
	accountID := acct.ID
	emitted := false
	err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error {
		emitted = false
		inv, err := tx.LockInvoice(ctx, accountID, invoiceID)
		if err != nil {
			return err
		}
		if inv.OverdueNotified || !inv.IsOverdue(now, acct.Location()) {
			return nil
		}
		inv.OverdueNotified = true
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, accountID, billbridge.InvoiceOverdue, inv.WithDerivedStatus(now, acct.Location())); err != nil {
			return err
		}
		if err := billbridge.RefreshPaymentRating(ctx, tx, acct, inv.CustomerID, now); err != nil {
			return err
		}
		emitted = true
		return nil
	})
	return emitted, err
}
