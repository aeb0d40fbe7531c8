package billbridge

import "io"

// BankStatement is what a bank file (ISO 20022 camt.054 or camt.053) tells
// about money that moved on an account: one StatementEntry per transaction.
type BankStatement struct {
	// Kind is "camt.054" or "camt.053".
	Kind string
	// MessageID is the bank's id of the file (GrpHdr/MsgId).
	MessageID string
	Entries   []StatementEntry
}

// StatementEntry is one transaction of a bank file.
type StatementEntry struct {
	// EntryReference identifies the transaction at the bank (AcctSvcrRef of
	// the transaction, else of the entry); a payment recorded from it
	// carries it as external_id, so a file read twice counts it once.
	EntryReference string `json:"entry_reference"`
	// Reference is the QR reference or creditor reference (RF…) the payer
	// gave, as written in the file; "" when none.
	Reference   string `json:"reference,omitempty"`
	Amount      Money  `json:"amount"`
	Currency    string `json:"currency"`
	BookingDate Date   `json:"booking_date"`
	DebtorName  string `json:"debtor_name,omitempty"`
	// Credit is money received; Booked an entry the bank has booked (status
	// BOOK); Reversal a booking the bank takes back.
	Credit   bool `json:"-"`
	Booked   bool `json:"-"`
	Reversal bool `json:"-"`
}

// Counts reports whether the entry is money received that may pay an
// invoice: a booked credit of more than zero that is not a reversal.
func (e StatementEntry) Counts() bool { return e.Credit && e.Booked && !e.Reversal && e.Amount > 0 }

// MaxBankFileBytes is the largest bank file request accepted (413 beyond):
// a month of camt.053 for a busy account runs to several MiB.
const MaxBankFileBytes = 20 << 20

// StatementReader reads bank files (implemented by package camt).
type StatementReader interface {
	// ReadStatement parses a camt.054 or camt.053 document from r as a
	// stream. Anything else, malformed XML, a DOCTYPE (entities, XML bombs)
	// or an entry it cannot read is EINVALID naming the field "file".
	ReadStatement(r io.Reader) (*BankStatement, error)
}

// Why a statement entry paid nothing.
const (
	UnmatchedNoReference = "no_reference"      // the payer gave no structured reference
	UnmatchedNoInvoice   = "no_invoice"        // no invoice of the account has the reference
	UnmatchedCurrency    = "currency_mismatch" // the invoice is billed in another currency
	UnmatchedNotPayable  = "invoice_not_open"  // the invoice is cancelled
	UnmatchedPaid        = "invoice_paid"      // the invoice is paid already: nothing is left to book on it
)

// StatementOutcome sorts one entry that counts (see StatementEntry.Counts)
// against the invoice whose payment reference it carries (nil when none):
// "" when it pays inv, OutcomeOverpaid when it is more than inv's amount due
// (inv is paid with the amount due and the rest is surplus, see
// StatementSurplus), or an Unmatched… reason.
func StatementOutcome(e StatementEntry, inv *Invoice) string {
	switch {
	case e.Reference == "":
		return UnmatchedNoReference
	case inv == nil:
		return UnmatchedNoInvoice
	case inv.Currency != e.Currency:
		return UnmatchedCurrency
	case inv.Status == StatusCancelled || inv.Status == StatusDraft:
		return UnmatchedNotPayable
	case inv.Status == StatusPaid || inv.AmountDue <= 0:
		return UnmatchedPaid
	case e.Amount > inv.AmountDue:
		return OutcomeOverpaid
	}
	return ""
}

// OutcomeOverpaid is an entry larger than what its invoice still asks for:
// the invoice is paid with its amount due and the rest is surplus.
const OutcomeOverpaid = "overpaid"

// StatementSurplus is what entry e brought beyond booked, the amount its
// payment counted on the invoice; 0 when nothing is left over.
func StatementSurplus(e StatementEntry, booked Money) Money {
	if e.Amount <= booked {
		return 0
	}
	return e.Amount - booked
}
