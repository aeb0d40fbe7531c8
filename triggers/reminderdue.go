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
	emitted := 0
	accounts := map[string]*billbridge.Account{}
	settings := map[string]*billbridge.DunningSettings{}
	var after billbridge.ReminderDueKey
	for {
		cands, err := j.Store.FindReminderDueCandidates(ctx, day, after, overduePage)
		if err != nil {
			return emitted, err
		}
		for i := range cands {
			cand := &cands[i]
			acct, ok := accounts[cand.AccountID]
			if !ok {
				if acct, err = j.Store.FindAccount(ctx, cand.AccountID); err != nil {
					return emitted, err
				}
				accounts[cand.AccountID] = acct
				if settings[acct.ID], err = j.Store.FindDunningSettings(ctx, acct.ID); err != nil {
					return emitted, err
				}
			}
			s := settings[acct.ID]
			if !s.ReminderDue(cand, false, billbridge.Today(now, acct.Location())) {
				continue
			}
			ok, err := j.emit(ctx, acct, s, cand.ID, now)
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
		after = billbridge.ReminderDueKey{Since: last.DunningSince(), ID: last.ID}
	}
}

// emit announces the invoice's due reminder, if it still is due.
func (j *ReminderDueJob) emit(ctx context.Context, acct *billbridge.Account, s *billbridge.DunningSettings, invoiceID string, now time.Time) (bool, error) {
	emitted := false
	err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error {
		emitted = false
		inv, err := tx.LockInvoice(ctx, acct.ID, invoiceID)
		if err != nil {
			return err
		}
		if inv.ReminderDueLevel > inv.DunningLevel {
			return nil // announced by another instance
		}
		paused, err := tx.CustomerDunningPaused(ctx, acct.ID, inv.CustomerID)
		if err != nil {
			return err
		}
		r, ok := billbridge.DueReminder(inv, s, paused, now, acct.Location())
		if !ok {
			return nil
		}
		cust, err := tx.FindCustomer(ctx, acct.ID, inv.CustomerID)
		if err != nil {
			return err
		}
		r.AccountID, r.CustomerExternalID = acct.ID, cust.ExternalID
		inv.ReminderDueLevel = r.Level
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceReminderDue, r); err != nil {
			return err
		}
		emitted = true
		return nil
	})
	return emitted, err
}
