package triggers

import (
	"context"
	"time"

	"billbridge"
)

// ReminderDueJob emits invoice.reminder_due once per invoice and level
// when the account's ladder says the invoice's next reminder should go out
// (DunningSettings.ReminderDue), in the account's time zone. Several gateway
// instances may run it at once: each candidate is re-read under its row
// lock and its announced level stored in the same transaction as the event,
// so exactly one instance emits it. A payment, a cancellation or a pause
// committed first stops it.
//
// Like the overdue job it handles the invoices of one account in batches
// of up to jobBatch, one transaction each, the batch's invoices locked
// first in the order of their ids; a batch that fails is rolled back
// whole, so the next run emits it again.
type ReminderDueJob struct {
	Store billbridge.Store
	Clock billbridge.Clock
}

// RunOnce emits the events of every reminder due now and returns how many.
// Candidates (unpaid, unpaused, next level not announced) are paged by
// (dunning_since, id) like the overdue job's; those whose level is not due
// yet are passed over and read again by the next run.
func (j *ReminderDueJob) RunOnce(ctx context.Context) (int, error) {
	now := j.Clock.Now()
	day := billbridge.Today(now, time.FixedZone("UTC+14", 14*3600))
	settings := map[string]*billbridge.DunningSettings{}
	// ladder returns the account's dunning settings, read once per run.
	ladder := func(acct *billbridge.Account) (*billbridge.DunningSettings, error) {
		s, ok := settings[acct.ID]
		if !ok {
			var err error
			if s, err = j.Store.FindDunningSettings(ctx, acct.ID); err != nil {
				return nil, err
			}
			settings[acct.ID] = s
		}
		return s, nil
	}
	return scan(ctx, j.Store,
		func(after billbridge.ReminderDueKey) ([]billbridge.Invoice, error) {
			return j.Store.FindReminderDueCandidates(ctx, day, after, jobPage)
		},
		func(last *billbridge.Invoice) billbridge.ReminderDueKey {
			return billbridge.ReminderDueKey{Since: last.DunningSince(), ID: last.ID}
		},
		func(acct *billbridge.Account, cand *billbridge.Invoice) (bool, error) {
			s, err := ladder(acct)
			return err == nil && s.ReminderDue(cand, false, billbridge.Today(now, acct.Location())), err
		},
		func(acct *billbridge.Account, batch []*billbridge.Invoice) (int, error) {
			s, err := ladder(acct)
			if err != nil {
				return 0, err
			}
			return j.emit(ctx, acct, s, batch, now)
		})
}

// emit announces the due reminders of the batch's invoices of acct, those
// still due, in one transaction, and returns how many.
func (j *ReminderDueJob) emit(ctx context.Context, acct *billbridge.Account, s *billbridge.DunningSettings, batch []*billbridge.Invoice, now time.Time) (int, error) {
	emitted := 0
	err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error {
		emitted = 0
		invs, err := billbridge.LockInvoices(ctx, tx, acct.ID, ids(batch))
		if err != nil {
			return err
		}
		paused := map[string]bool{}                    // Mahnsperre per customer, read once per batch
		customers := map[string]*billbridge.Customer{} // for external_id, read once per batch
		for _, inv := range invs {
			if inv.ReminderDueLevel > inv.DunningLevel {
				continue // announced by another instance
			}
			p, ok := paused[inv.CustomerID]
			if !ok {
				if p, err = tx.CustomerDunningPaused(ctx, acct.ID, inv.CustomerID); err != nil {
					return err
				}
				paused[inv.CustomerID] = p
			}
			r, ok := billbridge.DueReminder(inv, s, p, now, acct.Location())
			if !ok {
				continue
			}
			cust, ok := customers[inv.CustomerID]
			if !ok {
				if cust, err = tx.FindCustomer(ctx, acct.ID, inv.CustomerID); err != nil {
					return err
				}
				customers[inv.CustomerID] = cust
			}
			r.AccountID, r.CustomerExternalID = acct.ID, cust.ExternalID
			inv.ReminderDueLevel = r.Level
			if err := tx.UpdateInvoice(ctx, inv); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceReminderDue, r); err != nil {
				return err
			}
			emitted++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return emitted, nil
}
