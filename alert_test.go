package billbridge

import (
	"testing"
	"time"
)

// TestAlertOnceADay: an alert that flaps or keeps firing mails at most once
// per silence, and a recovery only after a fired mail went out.
func TestAlertOnceADay(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	a := &Alert{Kind: AlertHookFailing}
	if !a.Fire(t0, "down", day) || a.Mail != MailFired || !a.MailDueAt.Equal(t0) {
		t.Fatalf("first fire: %+v", a)
	}
	a.Sent(MailFired, t0, false, day)
	if a.Fire(t0.Add(time.Hour), "still down", day) || a.Mail != MailNone {
		t.Fatalf("still firing an hour later owes a mail: %+v", a)
	}
	if !a.Resolve(t0.Add(2*time.Hour)) || a.Mail != MailResolved {
		t.Fatalf("resolve after the mail owes a recovery: %+v", a)
	}
	a.Sent(MailResolved, t0.Add(2*time.Hour), false, day)
	// Fires again the same day: its mail waits until a day after the last.
	if !a.Fire(t0.Add(3*time.Hour), "down again", day) || a.Mail != MailFired || !a.MailDueAt.Equal(t0.Add(day)) {
		t.Fatalf("second fire the same day: %+v", a)
	}
	// Clears before that: no mail at all, the owner was never told.
	if !a.Resolve(t0.Add(4*time.Hour)) || a.Mail != MailNone {
		t.Fatalf("cleared before its silenced mail: %+v", a)
	}
	// Keeps firing for more than a day: one reminder.
	b := &Alert{Kind: AlertHookFailing}
	b.Fire(t0, "down", day)
	b.Sent(MailFired, t0, false, day)
	if b.Fire(t0.Add(day), "down", day); b.Mail != MailFired {
		t.Fatalf("a day later: want a reminder, got %+v", b)
	}
	// Cleared while the fired mail went out: the recovery follows.
	c := &Alert{Kind: AlertHookFailing}
	c.Fire(t0, "down", day)
	c.Resolve(t0.Add(time.Minute))
	c.Mail = MailNone
	c.Sent(MailFired, t0.Add(time.Minute), true, day)
	if c.Mail != MailResolved {
		t.Fatalf("cleared during the send: want a recovery, got %+v", c)
	}
}

// TestAlertOccurrences: drops fold into one mail per silence.
func TestAlertOccurrences(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	a := &Alert{Kind: AlertDeliveryDropped}
	if !a.Fire(t0, "dropped", day) || a.Fire(t0, "dropped", day) || a.Occurrences != 2 {
		t.Fatalf("two drops: %+v", a)
	}
	a.Sent(MailFired, t0, false, day)
	if a.Firing || a.Mail != MailNone || a.Occurrences != 0 {
		t.Fatalf("after the mail: %+v", a)
	}
	if !a.Fire(t0.Add(time.Hour), "dropped", day) || !a.MailDueAt.Equal(t0.Add(day)) {
		t.Fatalf("a drop an hour later waits for the silence: %+v", a)
	}
	if a.Resolve(t0.Add(2 * time.Hour)) {
		t.Fatal("a drop does not clear")
	}
}
