package billbridge

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Dunning (Mahnwesen): an account's ladder of reminders for invoices that
// stay unpaid after their due date, with fees and default interest.
//
// Swiss law (ledger-features.md): OR 102 puts the debtor in default once an
// agreed due date passes; OR 104 owes 5 % a year default interest unless
// agreed otherwise; OR 105 forbids interest on interest. Reminder fees are
// part of the consideration (VAT at the invoice's rate); interest is
// damages (no VAT).
//
// The ladder: level 1 falls due AfterDays calendar days after the
// invoice's due date; every later level AfterDays after the day the level
// before was sent. Days are calendar days in the account's time zone.

// DunningLevel is one rung of the ladder.
type DunningLevel struct {
	// 1 for the first reminder, 2 for the second…: the levels are numbered 1, 2, 3… in order.
	Level int `json:"level" example:"1"`
	// Level 1: days after the invoice's due date; later levels: days after the level before was sent. 1–365.
	AfterDays int `json:"after_days" example:"10"`
	// Fee before VAT, in the invoice's currency, owed on top of the invoice; VAT is added at the invoice's rate. 0–1000.00.
	Fee Money `json:"fee" swaggertype:"number" example:"0"`
	// The reminder's title, e.g. "1. Mahnung"; 1–100 characters.
	Title string `json:"title" example:"Zahlungserinnerung"`
}

// DunningSettings are an account's dunning rules.
type DunningSettings struct {
	AccountID string `json:"-"`
	// When false no reminder is due (GET /v1/reminders?status=due is empty and invoice.reminder_due is not emitted); reminders may still be recorded by hand.
	Enabled bool `json:"enabled" example:"true"`
	// The ladder, level 1 first.
	Levels []DunningLevel `json:"levels"`
	// Default interest in percent a year (OR 104: 5.00), simple, never compounded, counted actual/365 on the invoice's open principal; 0 charges none. 0–30.
	InterestRate VATRate `json:"interest_rate" swaggertype:"number" example:"5"`
	// A reminder asks for payment within this many days (its pay_by). 1–90.
	PayWithinDays int `json:"pay_within_days" example:"10"`
	// The account's time zone, in which days are counted (read only).
	Timezone string `json:"timezone" example:"Europe/Zurich"`
	// When the settings were last saved; null while the defaults apply.
	UpdatedAt *time.Time `json:"updated_at"`
}

// Dunning defaults: the usual Swiss ladder.
const (
	// DefaultInterestRate is OR 104's 5 % a year, in hundredths of a percent.
	DefaultInterestRate VATRate = 500
	// DefaultPayWithinDays is the payment period a reminder grants.
	DefaultPayWithinDays = 10
	// MaxDunningLevels bounds the ladder.
	MaxDunningLevels = 9
	// MaxReminderFee bounds a level's fee: 1000.00.
	MaxReminderFee Money = 100_000
	// MaxInterestRate bounds interest_rate: 30 % a year.
	MaxInterestRate VATRate = 3000
)

// DefaultDunningLevels is the ladder of an account that set none:
// Zahlungserinnerung 10 days after the due date without a fee, then
// 1. Mahnung, 2. Mahnung and letzte Mahnung (which announces the
// Betreibung) 15 days after the level before (the 10 days a reminder grants
// and 5 for the payment to arrive). Fees apply only where the contract
// names them (ledger-features.md), so the default ladder charges none.
func DefaultDunningLevels() []DunningLevel {
	return []DunningLevel{
		{Level: 1, AfterDays: 10, Title: "Zahlungserinnerung"},
		{Level: 2, AfterDays: 15, Title: "1. Mahnung"},
		{Level: 3, AfterDays: 15, Title: "2. Mahnung"},
		{Level: 4, AfterDays: 15, Title: "letzte Mahnung"},
	}
}

// DefaultDunningSettings returns the settings of an account that set none.
func DefaultDunningSettings(accountID string) *DunningSettings {
	return &DunningSettings{
		AccountID: accountID, Enabled: true, Levels: DefaultDunningLevels(),
		InterestRate: DefaultInterestRate, PayWithinDays: DefaultPayWithinDays,
	}
}

// Validate checks the settings and tidies titles; the error is EINVALID
// naming the first refused field (e.g. "levels[1].after_days").
func (s *DunningSettings) Validate() error {
	if len(s.Levels) == 0 || len(s.Levels) > MaxDunningLevels {
		return Invalid("levels", "must hold 1 to "+strconv.Itoa(MaxDunningLevels)+" levels")
	}
	for i := range s.Levels {
		l := &s.Levels[i]
		name := "levels[" + strconv.Itoa(i) + "]"
		l.Title = strings.TrimSpace(l.Title)
		switch {
		case l.Level != i+1:
			return Invalid(name+".level", "must be "+strconv.Itoa(i+1)+": levels are numbered 1, 2, 3… in order")
		case l.AfterDays < 1 || l.AfterDays > 365:
			return Invalid(name+".after_days", "must be between 1 and 365")
		case l.Fee < 0 || l.Fee > MaxReminderFee:
			return Invalid(name+".fee", "must be between 0 and "+MaxReminderFee.String())
		case l.Title == "" || utf8.RuneCountInString(l.Title) > 100:
			return Invalid(name+".title", "must be 1 to 100 characters")
		}
	}
	if s.InterestRate < 0 || s.InterestRate > MaxInterestRate {
		return Invalid("interest_rate", "must be between 0 and "+MaxInterestRate.String())
	}
	if s.PayWithinDays < 1 || s.PayWithinDays > 90 {
		return Invalid("pay_within_days", "must be between 1 and 90")
	}
	return nil
}

// Level returns the ladder's level n, false when the ladder has none.
func (s *DunningSettings) Level(n int) (DunningLevel, bool) {
	if n < 1 || n > len(s.Levels) {
		return DunningLevel{}, false
	}
	return s.Levels[n-1], true
}

// NextReminderOn returns the day the invoice's next level falls due under s
// and whether there is one: level 1 AfterDays after the due date, later
// levels AfterDays after the level before was sent. There is none for an
// invoice not open, paused, without a due date or past the last level.
func (s *DunningSettings) NextReminderOn(inv *Invoice, customerPaused bool) (Date, bool) {
	if !inv.Unpaid() || inv.DueDate == nil || inv.DunningPaused || customerPaused {
		return Date{}, false
	}
	l, ok := s.Level(inv.DunningLevel + 1)
	if !ok {
		return Date{}, false
	}
	return inv.DunningSince().AddDays(l.AfterDays), true
}

// ReminderDue reports whether the ladder says the invoice's next reminder
// should go out on today: the settings are enabled and the day has come.
func (s *DunningSettings) ReminderDue(inv *Invoice, customerPaused bool, today Date) bool {
	on, ok := s.NextReminderOn(inv, customerPaused)
	return s.Enabled && ok && !today.Before(on)
}
