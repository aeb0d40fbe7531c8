package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"billbridge"
)

const alertColumns = `account_id, kind, subject, detail, firing, fired_at, resolved_at, occurrences, mail, mail_due_at, mailed_fired, last_mail_at, version`

func scanAlert(r rowScanner) (*billbridge.Alert, error) {
	var a billbridge.Alert
	var firing, mailed int
	var firedAt, due *time.Time
	if err := r.Scan(&a.AccountID, &a.Kind, &a.Subject, &a.Detail, &firing, nullTimeCol{&firedAt}, nullTimeCol{&a.ResolvedAt},
		&a.Occurrences, &a.Mail, nullTimeCol{&due}, &mailed, nullTimeCol{&a.LastMailAt}, &a.Version); err != nil {
		return nil, notFound(err, "alert")
	}
	a.Firing, a.MailedFired = firing == 1, mailed == 1
	if firedAt != nil {
		a.FiredAt = *firedAt
	}
	if due != nil {
		a.MailDueAt = *due
	}
	return &a, nil
}

// LockAlert returns the alert, inserted not firing when new, holding its
// row until the transaction ends (FOR UPDATE; SQLite writes one at a time).
func (tx *Tx) LockAlert(ctx context.Context, accountID, kind, subject string) (*billbridge.Alert, error) {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO alerts (account_id, kind, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		accountID, kind, subject); err != nil {
		return nil, dbError(fmt.Errorf("insert alert: %w", err))
	}
	return scanAlert(tx.tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE account_id = $1 AND kind = $2 AND subject = $3`+tx.d.forUpdate,
		accountID, kind, subject))
}

// SaveAlert stores a locked alert and bumps its version.
func (tx *Tx) SaveAlert(ctx context.Context, a *billbridge.Alert) error {
	var due any
	if a.Mail != billbridge.MailNone {
		due = ts(a.MailDueAt)
	}
	var fired any
	if !a.FiredAt.IsZero() {
		fired = ts(a.FiredAt)
	}
	a.Version++
	_, err := tx.tx.ExecContext(ctx, `UPDATE alerts SET detail = $4, firing = $5, fired_at = $6, resolved_at = $7, occurrences = $8,
		mail = $9, mail_due_at = $10, mailed_fired = $11, last_mail_at = $12, version = $13
		WHERE account_id = $1 AND kind = $2 AND subject = $3`,
		a.AccountID, a.Kind, a.Subject, a.Detail, flag(a.Firing), fired, tsOrNil(a.ResolvedAt), a.Occurrences,
		a.Mail, due, flag(a.MailedFired), tsOrNil(a.LastMailAt), a.Version)
	return dbError(err)
}

// AlertConditions returns the clearing alerts whose condition holds at now:
// every hook (not removed) with FailingAfter failures in a row or, with
// deliveries pending, no success for FailingSilence; every account with
// no_api_call_hours set whose last request (or, without any, the
// setting's time) is that many hours old.
func (db *DB) AlertConditions(ctx context.Context, now time.Time) ([]billbridge.Alert, error) {
	r := db.reader
	rows, err := r.q.QueryContext(ctx, `SELECT h.account_id, h.hook_id, h.target_url, h.consecutive_failures, h.created_at, h.last_success_at,
		(SELECT count(*) FROM deliveries d WHERE d.hook_id = h.hook_id)
		FROM hook_health h WHERE h.removed_at IS NULL AND (h.consecutive_failures >= $1 OR COALESCE(h.last_success_at, h.created_at) <= $2)`,
		billbridge.FailingAfter, ts(now.Add(-billbridge.FailingSilence)))
	if err != nil {
		return nil, fmt.Errorf("alert conditions: %w", err)
	}
	var out []billbridge.Alert
	for rows.Next() {
		var s billbridge.HookState
		var accountID string
		if err := rows.Scan(&accountID, &s.ID, &s.TargetURL, &s.ConsecutiveFailures, timeCol{&s.CreatedAt}, nullTimeCol{&s.LastSuccessAt}, &s.Pending); err != nil {
			rows.Close()
			return nil, err
		}
		if s.StatusAt(now) != billbridge.HookFailing {
			continue
		}
		detail := fmt.Sprintf("Deliveries to %s failed %d times in a row.", s.TargetURL, s.ConsecutiveFailures)
		if s.ConsecutiveFailures < billbridge.FailingAfter {
			detail = fmt.Sprintf("No delivery to %s succeeded for %d hours; %d are waiting.", s.TargetURL, int(billbridge.FailingSilence.Hours()), s.Pending)
		}
		out = append(out, billbridge.Alert{AccountID: accountID, Kind: billbridge.AlertHookFailing, Subject: s.ID, Detail: detail})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = r.q.QueryContext(ctx, `SELECT s.account_id, s.no_api_call_hours, s.updated_at,
		(SELECT u.last_request_at FROM api_usage u WHERE u.account_id = s.account_id ORDER BY u.hour DESC LIMIT 1)
		FROM alert_settings s WHERE s.no_api_call_hours IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("alert conditions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var accountID string
		var hours int
		var since time.Time
		var last *time.Time
		if err := rows.Scan(&accountID, &hours, timeCol{&since}, nullTimeCol{&last}); err != nil {
			return nil, err
		}
		if last != nil && last.After(since) {
			since = *last
		}
		if now.Sub(since) >= time.Duration(hours)*time.Hour {
			out = append(out, billbridge.Alert{AccountID: accountID, Kind: billbridge.AlertNoAPICalls,
				Detail: fmt.Sprintf("No API call arrived for %d hours (since %s).", hours, since.UTC().Format(time.RFC3339))})
		}
	}
	return out, rows.Err()
}

// FiringAlerts returns the firing alerts of kinds that clear (index alerts_firing).
func (db *DB) FiringAlerts(ctx context.Context) ([]billbridge.Alert, error) {
	rows, err := db.reader.q.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE firing = 1 AND kind IN ($1, $2)`,
		billbridge.AlertHookFailing, billbridge.AlertNoAPICalls)
	if err != nil {
		return nil, fmt.Errorf("firing alerts: %w", err)
	}
	defer rows.Close()
	var out []billbridge.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// ClaimAlertMails reads up to limit alerts whose mail is due and not
// leased (index alerts_mail_due) and leases each with a conditional UPDATE
// that only succeeds while the alert is unchanged and unleased: of two
// instances racing for one alert, exactly one gets a row affected.
func (db *DB) ClaimAlertMails(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]billbridge.AlertClaim, error) {
	r := db.reader
	rows, err := r.q.QueryContext(ctx, `SELECT `+alertColumns+`, attempts FROM alerts
		WHERE mail <> '' AND mail_due_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) ORDER BY mail_due_at LIMIT $2`, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due alert mails: %w", err)
	}
	var due []billbridge.AlertClaim
	for rows.Next() {
		var c billbridge.AlertClaim
		a, err := scanAlert(scanPlus{rows, &c.Attempts})
		if err != nil {
			rows.Close()
			return nil, err
		}
		c.Alert = *a
		due = append(due, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var claimed []billbridge.AlertClaim
	for _, c := range due {
		c.Token = billbridge.NewID("claim")
		res, err := db.write.ExecContext(ctx, `UPDATE alerts SET lock_token = $5, locked_until = $6
			WHERE account_id = $1 AND kind = $2 AND subject = $3 AND version = $4 AND mail <> '' AND (locked_until IS NULL OR locked_until <= $7)`,
			c.AccountID, c.Kind, c.Subject, c.Version, c.Token, ts(now.Add(lease)), ts(now))
		if err != nil {
			return claimed, dbError(fmt.Errorf("claim alert mail: %w", err))
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			continue // another instance holds it, or it changed: the next round sees it anew
		}
		claimed = append(claimed, c)
	}
	return claimed, nil
}

// scanPlus scans the alert columns and one more.
type scanPlus struct {
	rows  *sql.Rows
	extra any
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra)...) }

// AlertMailSent applies Alert.Sent to the alert as it is now, if the
// claim still holds it, and releases the claim.
func (db *DB) AlertMailSent(ctx context.Context, c billbridge.AlertClaim, now time.Time) error {
	return db.Atomic(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		var token string
		err := tx.tx.QueryRowContext(ctx, `SELECT lock_token FROM alerts WHERE account_id = $1 AND kind = $2 AND subject = $3`+tx.d.forUpdate,
			c.AccountID, c.Kind, c.Subject).Scan(&token)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && token != c.Token) {
			return nil // the account is gone, or the lease ran out and another instance took over
		}
		if err != nil {
			return dbError(err)
		}
		settings, err := tx.FindAlertSettings(ctx, c.AccountID)
		if err != nil {
			return err
		}
		a, err := tx.LockAlert(ctx, c.AccountID, c.Kind, c.Subject)
		if err != nil {
			return err
		}
		a.Sent(c.Mail, now, a.Version != c.Version, settings.Silence())
		if err := tx.SaveAlert(ctx, a); err != nil {
			return err
		}
		_, err = tx.tx.ExecContext(ctx, `UPDATE alerts SET lock_token = '', locked_until = NULL, attempts = 0, last_error = ''
			WHERE account_id = $1 AND kind = $2 AND subject = $3`, c.AccountID, c.Kind, c.Subject)
		return dbError(err)
	})
}

// AlertMailFailed releases the claim and makes the mail due again at next.
func (db *DB) AlertMailFailed(ctx context.Context, c billbridge.AlertClaim, next time.Time, reason string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE alerts SET lock_token = '', locked_until = NULL, attempts = attempts + 1, last_error = $5, mail_due_at = $6
		WHERE account_id = $1 AND kind = $2 AND subject = $3 AND lock_token = $4`,
		c.AccountID, c.Kind, c.Subject, c.Token, reason, ts(next))
	return dbError(err)
}
