package triggers

import (
	"context"
	"time"

	"billbridge"
)

// OverdueJob emits invoice.overdue once per invoice when it passes its due
// date in its account's time zone, and customer.payment_rating_changed
// when that changes the customer's payment rating. Several gateway
// instances may run it at once: each candidate is re-read under its row
// lock and marked in the same transaction as its event, so exactly one
// instance emits it.
//
// It handles the invoices of one account in batches of up to jobBatch, one
// transaction each: the batch's invoices are locked first, in the order of
// their ids (billbridge.LockInvoices, the order of every writer that locks
// several), then each one still overdue and not yet notified is marked and
// its invoice.overdue appended, and last the payment rating of each of the
// batch's customers is refreshed once (billbridge.RefreshPaymentRatings).
// The rating counts an invoice overdue by its due date, not by its event,
// so the refresh after a customer's first overdue invoice already saw the
// others: once per customer and batch records the same ratings and emits
// the same customer.payment_rating_changed as once per invoice did, at one
// pass over the customer's invoices per batch instead of one per invoice.
// A batch that fails is rolled back whole, so the next run emits it again.
//
// The command runs RunOnce periodically with its other background work.
type OverdueJob struct {
	Store billbridge.Store
	Clock billbridge.Clock
}

// RunOnce emits the events of every invoice overdue now and returns how many.
// Candidates are due before today in UTC+14, the latest calendar date
// anywhere, and are paged by (due date, id): an invoice not overdue yet in
// its own zone is passed over, never a reason to stop, so every overdue
// invoice is reached in the run, however many such invoices precede it.
func (j *OverdueJob) RunOnce(ctx context.Context) (int, error) {
	now := j.Clock.Now()
	day := billbridge.Today(now, time.FixedZone("UTC+14", 14*3600))
	return scan(ctx, j.Store,
		func(after billbridge.OverdueKey) ([]billbridge.Invoice, error) {
			return j.Store.FindOverdueCandidates(ctx, day, after, jobPage)
		},
		func(last *billbridge.Invoice) billbridge.OverdueKey {
			return billbridge.OverdueKey{DueDate: *last.DueDate, ID: last.ID}
		},
		func(acct *billbridge.Account, cand *billbridge.Invoice) (bool, error) {
			return cand.IsOverdue(now, acct.Location()), nil
		},
		func(acct *billbridge.Account, batch []*billbridge.Invoice) (int, error) {
			return j.emit(ctx, acct, batch, now)
		})
}

// emit marks the batch's invoices of acct overdue and appends their events,
// those that still are, then refreshes their customers' ratings, all in one
// transaction; it returns how many it marked.
func (j *OverdueJob) emit(ctx context.Context, acct *billbridge.Account, batch []*billbridge.Invoice, now time.Time) (int, error) {
	emitted := 0
	err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error {
		emitted = 0
		invs, err := billbridge.LockInvoices(ctx, tx, acct.ID, ids(batch))
		if err != nil {
			return err
		}
		var customers []string
		for _, inv := range invs {
			if inv.OverdueNotified || !inv.IsOverdue(now, acct.Location()) {
				continue
			}
			inv.OverdueNotified = true
			if err := tx.UpdateInvoice(ctx, inv); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceOverdue, inv.WithDerivedStatus(now, acct.Location())); err != nil {
				return err
			}
			customers = append(customers, inv.CustomerID)
			emitted++
		}
		return billbridge.RefreshPaymentRatings(ctx, tx, acct, customers, now)
	})
	if err != nil {
		return 0, err
	}
	return emitted, nil
}
