package billbridge

import (
	"encoding/json"
	"time"
)

// Event records one change. Every change appends its event in the same
// transaction as the change. ID is unique per event and never changes; Seq
// numbers an account's events gaplessly in the order they became visible, so
// a reader walking forward by Seq never skips or repeats one.
type Event struct {
	ID         string          `json:"id"`
	AccountID  string          `json:"-"`
	Type       string          `json:"type"`
	Seq        int64           `json:"seq"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

// Event types.
const (
	CustomerCreated = "customer.created"
	CustomerUpdated = "customer.updated"
	// CustomerMerged carries a Merge: {primary_id, merged_id, moved}.
	CustomerMerged   = "customer.merged"
	InvoiceCreated   = "invoice.created"
	InvoiceFinalized = "invoice.finalized"
	InvoicePaid      = "invoice.paid"
	InvoiceOverdue   = "invoice.overdue"
	InvoiceCancelled = "invoice.cancelled"
	PaymentReceived  = "payment.received"
	// CustomerPaymentRatingChanged carries a PaymentRatingChange: a payment,
	// an invoice falling overdue or a cancellation changed the customer's
	// payment rating.
	CustomerPaymentRatingChanged = "customer.payment_rating_changed"
	// ReminderSentEvent carries the Reminder sent.
	ReminderSentEvent = "reminder.sent"
	// InvoiceReminderDue carries the due Reminder (status due) of an
	// invoice whose next level the ladder says should go out: once per
	// invoice and level.
	InvoiceReminderDue = "invoice.reminder_due"
	// InvoiceDunningPaused and InvoiceDunningResumed carry the Invoice
	// whose Mahnsperre was set or lifted.
	InvoiceDunningPaused  = "invoice.dunning_paused"
	InvoiceDunningResumed = "invoice.dunning_resumed"
	// CustomerDunningPaused and CustomerDunningResumed carry the Customer
	// whose Mahnsperre was set or lifted.
	CustomerDunningPaused  = "customer.dunning_paused"
	CustomerDunningResumed = "customer.dunning_resumed"
)

// DunningPauseEvent returns the event type of setting (paused) or lifting a
// Mahnsperre on an invoice or, when customer, on a customer.
func DunningPauseEvent(customer, paused bool) string {
	switch {
	case customer && paused:
		return CustomerDunningPaused
	case customer:
		return CustomerDunningResumed
	case paused:
		return InvoiceDunningPaused
	}
	return InvoiceDunningResumed
}

// EventTypes lists every event type, in documentation order.
var EventTypes = []string{CustomerCreated, CustomerUpdated, InvoiceCreated, InvoiceFinalized, InvoicePaid, InvoiceOverdue, InvoiceCancelled, PaymentReceived, CustomerPaymentRatingChanged, CustomerMerged, InvoiceReminderDue, ReminderSentEvent,
	InvoiceDunningPaused, InvoiceDunningResumed, CustomerDunningPaused, CustomerDunningResumed, AlertFired, AlertResolved}

// ValidEventType reports whether t is one of EventTypes.
func ValidEventType(t string) bool {
	for _, e := range EventTypes {
		if e == t {
			return true
		}
	}
	return false
}

// EventFilter selects events of one account. Types empty means all. With
// Ascending the feed walks forward from After (exclusive); otherwise it walks
// backward, newest first, from Before (exclusive; 0 means from the newest).
type EventFilter struct {
	Types     []string
	After     int64
	Before    int64
	Ascending bool
	Limit     int
}
