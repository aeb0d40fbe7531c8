package billbridge

import (
	"context"
	"time"
)

// Alert kinds (issue 17). hook_failing and no_api_calls clear by
// themselves (and then send a recovery mail); the others are occurrences.
const (
	// AlertHookFailing: a hook failed FailingAfter times in a row, or had
	// no success for FailingSilence with deliveries pending. Subject: the hook id.
	AlertHookFailing = "hook_failing"
	// AlertDeliveryDropped: a delivery was given up. Subject: the hook id.
	AlertDeliveryDropped = "delivery_dropped"
	// AlertHookRemoved: a receiver answered 410 and its hook was removed.
	// Subject: the hook id.
	AlertHookRemoved = "hook_removed"
	// AlertIncident: an automation reported an incident. Subject: the
	// source and workflow ("n8n/CRM → invoice").
	AlertIncident = "incident"
	// AlertNoAPICalls: no API call for the account's no_api_call_hours.
	// Subject: empty.
	AlertNoAPICalls = "no_api_calls"
)

// AlertKinds lists the alert kinds in documentation order.
var AlertKinds = []string{AlertHookFailing, AlertDeliveryDropped, AlertHookRemoved, AlertIncident, AlertNoAPICalls}

// AlertClears reports whether alerts of kind resolve by themselves.
func AlertClears(kind string) bool { return kind == AlertHookFailing || kind == AlertNoAPICalls }

// Event types of alerts: AlertFired when an alert starts firing, AlertResolved when it clears.
const (
	AlertFired    = "alert.fired"
	AlertResolved = "alert.resolved"
)

// Mails an alert can owe.
const (
	MailNone     = ""
	MailFired    = "fired"
	MailResolved = "resolved"
)

// Alert is the state of one (account, kind, subject) alert. One mail goes
// out when it fires, at most one per SilenceHours while it keeps firing or
// fires again, and a recovery mail when a kind that clears clears after its
// mail went out.
type Alert struct {
	AccountID string `json:"-"`
	// hook_failing, delivery_dropped, hook_removed, incident or no_api_calls.
	Kind string `json:"kind" enums:"hook_failing,delivery_dropped,hook_removed,incident,no_api_calls" example:"hook_failing"`
	// What the alert is about: the hook id, the incident's source/workflow; empty for no_api_calls.
	Subject string `json:"subject" example:"hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS"`
	// What happened, in words.
	Detail string `json:"detail" example:"https://hooks.zapier.com/hooks/standard/123/abc failed 5 times in a row"`
	// Whether the alert is firing now (occurrence kinds stop firing once their mail went out).
	Firing bool `json:"firing" example:"true"`
	// When it started firing.
	FiredAt time.Time `json:"fired_at" example:"2026-12-02T09:00:00Z"`
	// When it cleared; null while firing and for kinds that do not clear.
	ResolvedAt *time.Time `json:"resolved_at" example:"2026-12-02T10:00:00Z"`
	// Occurrences since the last mail (drops, incidents).
	Occurrences int `json:"occurrences" example:"1"`

	Mail        string     `json:"-"` // the mail owed: MailNone, MailFired or MailResolved
	MailDueAt   time.Time  `json:"-"` // when it may go out
	MailedFired bool       `json:"-"` // the fired mail of this episode went out
	LastMailAt  *time.Time `json:"-"` // the last fired mail
	Version     int64      `json:"-"` // bumped by every save
}

// Fire records that the alert's condition holds (or occurred) at now and
// reports whether it starts firing (an alert.fired event). Its mail is owed
// at once, or when silence has passed since the last.
func (a *Alert) Fire(now time.Time, detail string, silence time.Duration) bool {
	a.Detail = detail
	if !AlertClears(a.Kind) || !a.Firing {
		a.Occurrences++
	}
	if a.Firing {
		// Still firing: remind once silence has passed since the last mail.
		if AlertClears(a.Kind) && a.Mail == MailNone && a.LastMailAt != nil && !now.Before(a.LastMailAt.Add(silence)) {
			a.Mail, a.MailDueAt = MailFired, now
		}
		return false
	}
	a.Firing, a.FiredAt, a.ResolvedAt = true, now, nil
	if a.Mail == MailResolved {
		// The recovery mail has not gone out: the owner still knows it as firing.
		a.Mail = MailNone
		return true
	}
	a.Mail, a.MailDueAt, a.MailedFired = MailFired, now, false
	if a.LastMailAt != nil && a.LastMailAt.Add(silence).After(now) {
		a.MailDueAt = a.LastMailAt.Add(silence)
	}
	return true
}

// Resolve records that the condition of a kind that clears no longer holds
// and reports whether the alert stopped firing (an alert.resolved event).
// A recovery mail is owed only when the fired mail went out.
func (a *Alert) Resolve(now time.Time) bool {
	if !a.Firing || !AlertClears(a.Kind) {
		return false
	}
	a.Firing, a.ResolvedAt = false, &now
	switch {
	case a.Mail == MailFired && !a.MailedFired:
		a.Mail = MailNone // never told: nothing to recover from
	case a.MailedFired:
		a.Mail, a.MailDueAt = MailResolved, now
	}
	return true
}

// Sent records that mail (MailFired or MailResolved) went out at now;
// changed says the alert was saved since the mail was claimed.
func (a *Alert) Sent(mail string, now time.Time, changed bool, silence time.Duration) {
	if mail == MailResolved {
		a.MailedFired = false
		if a.Mail == MailResolved {
			a.Mail = MailNone
		}
		if a.Firing && a.Mail == MailNone { // fired again while the recovery went out
			a.Mail, a.MailDueAt = MailFired, now
			if a.LastMailAt != nil && a.LastMailAt.Add(silence).After(now) {
				a.MailDueAt = a.LastMailAt.Add(silence)
			}
		}
		return
	}
	a.MailedFired, a.LastMailAt = true, &now
	if a.Mail == MailFired {
		a.Mail = MailNone
	}
	switch {
	case !AlertClears(a.Kind) && changed:
		// More occurred while the mail went out: they go in the next, after silence.
		a.Mail, a.MailDueAt = MailFired, now.Add(silence)
	case !AlertClears(a.Kind):
		a.Firing, a.Occurrences = false, 0
	case !a.Firing && a.Mail == MailNone: // cleared while the mail went out
		a.Mail, a.MailDueAt = MailResolved, now
	default:
		a.Occurrences = 0
	}
}

// AlertStore keeps the alerts' state; its Tx methods lock the alert row
// (SELECT … FOR UPDATE; SQLite writes one at a time) so two instances
// never both act on one alert.
type AlertStore interface {
	// AlertConditions returns the alerts of kinds that clear whose
	// condition holds at now (hooks failing, accounts without API calls),
	// Kind, Subject, AccountID and Detail set.
	AlertConditions(ctx context.Context, now time.Time) ([]Alert, error)
	// FiringAlerts returns the alerts of kinds that clear that are firing.
	FiringAlerts(ctx context.Context) ([]Alert, error)
	// ClaimAlertMails leases up to limit alerts whose mail is due at now,
	// each to one caller for lease (a conditional UPDATE: two callers never
	// hold one alert).
	ClaimAlertMails(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]AlertClaim, error)
	// AlertMailSent records that the claimed mail went out at now.
	AlertMailSent(ctx context.Context, c AlertClaim, now time.Time) error
	// AlertMailFailed releases the claim; the mail is tried again at next.
	AlertMailFailed(ctx context.Context, c AlertClaim, next time.Time, reason string) error
}

// AlertClaim is an alert whose owed mail one caller holds.
type AlertClaim struct {
	Alert
	Token    string
	Attempts int
}

// AlertTx are the alert methods of a transaction.
type AlertTx interface {
	// LockAlert returns the alert, created not firing when new, locked
	// until the transaction ends.
	LockAlert(ctx context.Context, accountID, kind, subject string) (*Alert, error)
	// SaveAlert stores a locked alert and bumps its Version.
	SaveAlert(ctx context.Context, a *Alert) error
}

// FireAlert records in tx that the alert (AccountID, Kind, Subject)
// fires at now with detail, appending alert.fired when it starts firing.
func FireAlert(ctx context.Context, tx Tx, a Alert, now time.Time) error {
	return changeAlert(ctx, tx, a, func(cur *Alert, silence time.Duration) bool { return cur.Fire(now, a.Detail, silence) }, AlertFired)
}

// ResolveAlert records in tx that the alert's condition cleared at now,
// appending alert.resolved when it was firing.
func ResolveAlert(ctx context.Context, tx Tx, a Alert, now time.Time) error {
	return changeAlert(ctx, tx, a, func(cur *Alert, _ time.Duration) bool { return cur.Resolve(now) }, AlertResolved)
}

func changeAlert(ctx context.Context, tx Tx, a Alert, change func(cur *Alert, silence time.Duration) bool, event string) error {
	settings, err := tx.FindAlertSettings(ctx, a.AccountID)
	if err != nil {
		return err
	}
	cur, err := tx.LockAlert(ctx, a.AccountID, a.Kind, a.Subject)
	if err != nil {
		return err
	}
	before := *cur
	emit := change(cur, settings.Silence())
	if *cur == before {
		return nil
	}
	if err := tx.SaveAlert(ctx, cur); err != nil {
		return err
	}
	if emit {
		_, err = tx.AppendEvent(ctx, a.AccountID, event, cur)
	}
	return err
}

// Silence is how long an alert stays quiet after its mail.
func (s *AlertSettings) Silence() time.Duration {
	if s.SilenceHours <= 0 {
		return DefaultSilenceHours * time.Hour
	}
	return time.Duration(s.SilenceHours) * time.Hour
}
