package billbridge

import (
	"strconv"
	"time"
)

// PrefixReminder starts the id of a reminder.
const PrefixReminder = "rem"

// Reminder channels.
const (
	ChannelEmail  = "email"
	ChannelPost   = "post"
	ChannelManual = "manual"
)

// ReminderChannels lists the channels a reminder goes out by.
var ReminderChannels = []string{ChannelEmail, ChannelPost, ChannelManual}

// Reminder is one reminder (Zahlungserinnerung, Mahnung) sent for an
// invoice. Its fee and interest are owed on top of the invoice: they grow
// the invoice's amount_due and are paid with it; the invoice's lines and
// totals never change.
type Reminder struct {
	// rem_…; a due reminder (not sent yet) has the id <invoice id>.<level>.
	ID string `json:"id" example:"rem_01JDZ9A1B2C3D4E5F6G7H8J9K0"`
	// sent, or due: the ladder says it should go out now (GET /v1/reminders?status=due); its figures are as if sent now.
	Status     string `json:"status" enums:"sent,due" example:"sent"`
	AccountID  string `json:"-"`
	InvoiceID  string `json:"invoice_id" example:"inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD"`
	CustomerID string `json:"customer_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The invoice's external_id (the CRM's deal id), empty when it has none.
	InvoiceExternalID string `json:"invoice_external_id" example:"deal-2026-0042"`
	// The customer's external_id (the CRM's id), empty when it has none.
	CustomerExternalID string `json:"customer_external_id" example:"hubspot-4711"`
	// The invoice's number.
	InvoiceNumber string `json:"invoice_number" example:"INV-000001"`
	// The ladder's level: 1 Zahlungserinnerung, 2 1. Mahnung…
	Level int    `json:"level" example:"2"`
	Title string `json:"title" example:"1. Mahnung"`
	// The invoice's currency.
	Currency string `json:"currency" enums:"CHF,EUR" example:"CHF"`
	// The level's fee before VAT.
	Fee Money `json:"fee" swaggertype:"number" example:"20.00"`
	// VAT on the fee at fee_vat_rate, rounded half-up to the cent.
	FeeVAT Money `json:"fee_vat" swaggertype:"number" example:"1.62"`
	// The invoice's VAT rate (the rate of its largest net; the higher on a tie), in percent.
	FeeVATRate VATRate `json:"fee_vat_rate" swaggertype:"number" example:"8.1"`
	// Default interest charged by this reminder (no VAT): the open principal × interest_rate × interest_days / 365, rounded half-up to the cent.
	Interest Money `json:"interest" swaggertype:"number" example:"2.07"`
	// The interest rate applied, percent a year.
	InterestRate VATRate `json:"interest_rate" swaggertype:"number" example:"5"`
	// Days of interest this reminder charges: from the due date, or from the day the reminder before was sent, to the day this one is sent. Earlier reminders charged the days before.
	InterestDays int `json:"interest_days" example:"25"`
	// The invoice's open principal the interest ran on: its amount due without fees and interest.
	Principal Money `json:"principal" swaggertype:"number" example:"1000.00"`
	// The invoice's amount due before this reminder (earlier fees and interest included).
	AmountDue Money `json:"amount_due" swaggertype:"number" example:"1000.00"`
	// What the customer owes with this reminder: amount_due + fee + fee_vat + interest, the invoice's new amount_due.
	TotalDue Money `json:"total_due" swaggertype:"number" example:"1023.69"`
	// The day by which the reminder asks for payment: the day it was sent + pay_within_days.
	PayBy Date `json:"pay_by" swaggertype:"string" format:"date" example:"2026-12-12"`
	// How it went out; empty on a due reminder.
	Channel string `json:"channel,omitempty" enums:"email,post,manual" example:"email"`
	Note    string `json:"note,omitempty" example:"Sent by Anna"`
	// When the reminder went out; null while due.
	SentAt *time.Time `json:"sent_at" example:"2026-12-02T09:00:00Z"`
	// The day it went out in the account's time zone, from which the next level counts; null while due.
	SentOn *Date `json:"sent_on" swaggertype:"string" format:"date" example:"2026-12-02"`
	// The day the ladder said this level falls due; set on due reminders.
	DueOn     *Date     `json:"due_on,omitempty" swaggertype:"string" format:"date" example:"2026-11-25"`
	CreatedAt time.Time `json:"created_at" example:"2026-12-02T09:00:00Z"`
}

// ReminderRequest asks for a reminder of an invoice.
type ReminderRequest struct {
	// Level is the level to send; 0 means the next one.
	Level   int
	Channel string
	// SentAt is when it went out; the zero time means now.
	SentAt time.Time
	Note   string
	// CustomerPaused is the customer's Mahnsperre.
	CustomerPaused bool
}

// ComputeReminder works out the reminder req asks for on inv under s at
// now in loc, without changing inv. It refuses with ECONFLICT an invoice
// that is not open or partially paid, whose dunning (or customer's) is
// paused, that is not overdue on the day the reminder is sent, or whose
// level was already sent; with EINVALID naming the field a level outside
// the ladder or a sent_at in the future or before the last reminder.
// Level 1 may be sent before its after_days have passed: the ladder says
// when a reminder is due, a person may send earlier. Without a level, a
// second reminder on the day of the last one is ECONFLICT, so a repeated
// click or a retry without an Idempotency-Key never climbs the ladder.
func ComputeReminder(inv *Invoice, s *DunningSettings, req ReminderRequest, now time.Time, loc *time.Location) (*Reminder, error) {
	sentAt := req.SentAt
	if sentAt.IsZero() {
		sentAt = now
	}
	sentAt = sentAt.UTC().Truncate(time.Millisecond)
	if sentAt.After(now) {
		return nil, Invalid("sent_at", "must not be in the future")
	}
	sentOn := Today(sentAt, loc)
	switch {
	case inv.Status == StatusPaid:
		return nil, Errorf(ECONFLICT, "The invoice is paid: dunning has stopped.")
	case inv.Status == StatusCancelled:
		return nil, Errorf(ECONFLICT, "The invoice is cancelled: dunning has stopped.")
	case !inv.Unpaid() || inv.DueDate == nil:
		return nil, Errorf(ECONFLICT, "Only a finalized, unpaid invoice can be reminded; this one is %s.", inv.Status)
	case inv.DunningPaused:
		return nil, Errorf(ECONFLICT, "Dunning of this invoice is paused (dunning_paused).")
	case req.CustomerPaused:
		return nil, Errorf(ECONFLICT, "Dunning of this customer is paused (dunning_paused on the customer).")
	case !inv.DueDate.Before(sentOn):
		return nil, Errorf(ECONFLICT, "The invoice is not overdue on %s: it is due on %s.", sentOn, inv.DueDate)
	}
	if inv.LastReminderOn != nil && sentOn.Before(*inv.LastReminderOn) {
		return nil, Invalid("sent_at", "must not be before the last reminder, sent on "+inv.LastReminderOn.String())
	}
	level := req.Level
	if level == 0 && inv.LastReminderOn != nil && !inv.LastReminderOn.Before(sentOn) {
		return nil, Errorf(ECONFLICT, "Level %d was sent on %s already; to send the next level on the same day, name it in level.", inv.DunningLevel, sentOn)
	}
	if level == 0 {
		level = inv.DunningLevel + 1
		if _, ok := s.Level(level); !ok {
			return nil, Errorf(ECONFLICT, "The last level of the ladder (%d) was already sent.", inv.DunningLevel)
		}
	}
	l, ok := s.Level(level)
	if !ok {
		return nil, Invalid("level", "must be between 1 and "+strconv.Itoa(len(s.Levels))+", the levels of the dunning settings")
	}
	if level <= inv.DunningLevel {
		return nil, Errorf(ECONFLICT, "Level %d was already sent for this invoice (it is at level %d).", level, inv.DunningLevel)
	}
	r := &Reminder{
		ID: NewID(PrefixReminder), AccountID: inv.AccountID, InvoiceID: inv.ID, CustomerID: inv.CustomerID,
		InvoiceExternalID: inv.ExternalID, InvoiceNumber: inv.Number, Level: level, Title: l.Title, Currency: inv.Currency,
		Fee: l.Fee, FeeVATRate: inv.MainVATRate(), InterestRate: s.InterestRate,
		Principal: inv.OpenPrincipal(), AmountDue: inv.AmountDue,
		PayBy: sentOn.AddDays(s.PayWithinDays), Channel: req.Channel, Note: req.Note,
		Status: ReminderSent, SentAt: &sentAt, SentOn: &sentOn, CreatedAt: now.UTC(),
	}
	r.FeeVAT = Percent(r.Fee, r.FeeVATRate)
	r.InterestDays = DaysBetween(inv.DunningSince(), sentOn)
	r.Interest = SimpleInterest(r.Principal, s.InterestRate, r.InterestDays)
	r.TotalDue = r.AmountDue + r.Fee + r.FeeVAT + r.Interest
	if r.TotalDue > MaxMoney {
		return nil, Invalid("level", "the amount due would exceed 999999999.99")
	}
	return r, nil
}

// DueReminder returns the reminder the ladder says should go out for inv
// on today at now in loc, with the figures it would have if sent now, and
// false when none is due (ReminderDue).
func DueReminder(inv *Invoice, s *DunningSettings, customerPaused bool, now time.Time, loc *time.Location) (*Reminder, bool) {
	on, ok := s.NextReminderOn(inv, customerPaused)
	if !ok || !s.ReminderDue(inv, customerPaused, Today(now, loc)) {
		return nil, false
	}
	r, err := ComputeReminder(inv, s, ReminderRequest{}, now, loc)
	if err != nil {
		return nil, false
	}
	r.ID = inv.ID + "." + strconv.Itoa(r.Level)
	r.Status, r.SentAt, r.SentOn, r.DueOn = ReminderDue, nil, nil, &on
	return r, true
}

// Percent returns rate percent of m rounded half-up to the cent (VAT on a
// fee); 0 for a non-positive amount or rate.
func Percent(m Money, rate VATRate) Money {
	if m <= 0 || rate <= 0 {
		return 0
	}
	v, _ := roundDiv(uint64(m), uint64(rate), 10000)
	return Money(v)
}

// SimpleInterest returns the interest on principal at rate percent a year
// for days days, actual/365, rounded half-up to the cent: never on
// interest (OR 105). 0 for a non-positive principal, rate or days.
func SimpleInterest(principal Money, rate VATRate, days int) Money {
	if principal <= 0 || rate <= 0 || days <= 0 {
		return 0
	}
	v, ok := roundDiv(uint64(principal)*uint64(days), uint64(rate), 365*10000)
	if !ok {
		return MaxMoney
	}
	return Money(v)
}

// ApplyReminder books r on inv: the fee, its VAT and the interest grow the
// amount due (lines and totals stay as finalized), the invoice is at r's
// level and counts its next level from r's day.
func (inv *Invoice) ApplyReminder(r *Reminder) {
	inv.Fees += r.Fee
	inv.FeesVAT += r.FeeVAT
	inv.Interest += r.Interest
	inv.AmountDue += r.Fee + r.FeeVAT + r.Interest
	inv.DunningLevel = r.Level
	on := *r.SentOn
	inv.LastReminderOn = &on
	inv.UpdatedAt = r.CreatedAt
}

// Reminder statuses, the values of the status filter of the reminder list.
const (
	ReminderSent = "sent"
	ReminderDue  = "due"
)

// ReminderFilter selects sent reminders; empty fields do not filter.
type ReminderFilter struct {
	InvoiceID  string
	CustomerID string
	PageParams
}

// DueFilter selects the invoices whose next reminder is due on Today under
// Settings (ReminderDue), newest invoice first.
type DueFilter struct {
	CustomerID string
	Today      Date
	Settings   *DunningSettings
	PageParams
}
