package billbridge

import "time"

// Payment is money received against one invoice. external_id (the bank's or
// payment provider's id) is unique within the account: recording it again
// returns the first payment and never counts twice.
type Payment struct {
	ID         string    `json:"id"`
	AccountID  string    `json:"-"`
	InvoiceID  string    `json:"invoice_id"`
	CustomerID string    `json:"customer_id"`
	ExternalID string    `json:"external_id,omitempty"`
	Amount     Money     `json:"amount"`
	Currency   string    `json:"currency"`
	PaidAt     Date      `json:"paid_at"`
	Method     string    `json:"method"`
	Reference  string    `json:"reference,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Payment methods.
var PaymentMethods = []string{"bank_transfer", "cash", "card", "direct_debit", "other"}

// PaymentFilter selects payments of the whole account.
type PaymentFilter struct {
	// RecordedSince, when set, keeps payments recorded (created) at or
	// after it; payments never change once recorded.
	RecordedSince time.Time
	PageParams
}
