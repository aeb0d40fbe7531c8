package triggers

import (
	"context"
	"log/slog"
	"time"

	"billbridge"
)

type alertKey struct{ account, kind, subject string }

func keyOf(a billbridge.Alert) alertKey { return alertKey{a.AccountID, a.Kind, a.Subject} }

// AlertJob fires and resolves the alerts whose condition is a state: hooks
// failing and accounts without API calls (the occurrences — drops, 410s,
// incidents — fire where they happen). Several instances may run it: each
// change locks the alert row and appends its event in one transaction.
type AlertJob struct {
	Store billbridge.Store
	Clock billbridge.Clock
}

// RunOnce brings every such alert up to date and returns how many changed.
func (j *AlertJob) RunOnce(ctx context.Context) (int, error) {
	now := j.Clock.Now()
	conds, err := j.Store.AlertConditions(ctx, now)
	if err != nil {
		return 0, err
	}
	firing, err := j.Store.FiringAlerts(ctx)
	if err != nil {
		return 0, err
	}
	current := map[alertKey]billbridge.Alert{}
	for _, a := range firing {
		current[keyOf(a)] = a
	}
	n := 0
	holds := map[alertKey]bool{}
	for _, c := range conds {
		holds[keyOf(c)] = true
		if cur, ok := current[keyOf(c)]; ok && !mayRemind(cur, now) {
			continue
		}
		if err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error { return billbridge.FireAlert(ctx, tx, c, now) }); err != nil {
			return n, err
		}
		n++
	}
	for _, a := range firing {
		if holds[keyOf(a)] {
			continue
		}
		if err := j.Store.Atomic(ctx, func(tx billbridge.Tx) error { return billbridge.ResolveAlert(ctx, tx, a, now) }); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// mayRemind reports whether a firing alert may owe a reminder: its mail
// went out at least an hour (the shortest silence) ago and none is owed.
func mayRemind(a billbridge.Alert, now time.Time) bool {
	return a.Mail == billbridge.MailNone && a.LastMailAt != nil && now.Sub(*a.LastMailAt) >= time.Hour
}

// AlertMailJob sends the mails alerts owe. Each is claimed by one instance
// (AlertStore.ClaimAlertMails); a mail the server refuses or cannot take
// stays owed and is tried again with a growing pause, nothing lost.
type AlertMailJob struct {
	Store     billbridge.Store
	Mailer    billbridge.Mailer
	PublicURL string // links in the mails
	Clock     billbridge.Clock
	Logger    *slog.Logger
}

// AlertMailLease is how long a claimed mail is held: longer than a send may take.
const AlertMailLease = 5 * time.Minute

// alertMailBatch is the most mails one run claims.
const alertMailBatch = 50

// RunOnce sends the mails due now and returns how many went out; the
// error is the first send that failed (logged by the caller).
func (j *AlertMailJob) RunOnce(ctx context.Context) (int, error) {
	claims, err := j.Store.ClaimAlertMails(ctx, j.Clock.Now(), alertMailBatch, AlertMailLease)
	if err != nil {
		return 0, err
	}
	sent := 0
	var failed error
	for _, c := range claims {
		err := j.send(ctx, c)
		if err == nil {
			err = j.Store.AlertMailSent(ctx, c, j.Clock.Now())
			if err == nil {
				sent++
				continue
			}
		}
		next := j.Clock.Now().Add(RetryPause(c.Attempts))
		if ferr := j.Store.AlertMailFailed(ctx, c, next, err.Error()); ferr != nil && failed == nil {
			failed = ferr
		}
		j.Logger.WarnContext(ctx, "alert mail not sent, retrying", "account_id", c.AccountID, "kind", c.Kind, "subject", c.Subject,
			"attempts", c.Attempts+1, "next_attempt_at", next, "error", err)
		if failed == nil {
			failed = err
		}
	}
	return sent, failed
}

// send mails one claimed alert to the account's recipients (none: nothing
// to send, and the alert counts as told).
func (j *AlertMailJob) send(ctx context.Context, c billbridge.AlertClaim) error {
	s, err := j.Store.FindAlertSettings(ctx, c.AccountID)
	if err != nil {
		return err
	}
	if len(s.Emails) == 0 {
		return nil
	}
	acct, err := j.Store.FindAccount(ctx, c.AccountID)
	if err != nil {
		return err
	}
	return j.Mailer.Send(ctx, billbridge.AlertMail(c.Alert, acct.Name, s, j.PublicURL))
}

// RetryPause is the pause before the next try of a mail that failed
// attempts times before: 1 minute, doubling, at most an hour.
func RetryPause(attempts int) time.Duration {
	d := time.Minute
	for range min(attempts, 6) {
		d *= 2
	}
	return min(d, time.Hour)
}
