package billbridge

import (
	"math/bits"
	"sort"
	"time"
)

// Invoice is a bill to one customer. It is created as a draft, finalized
// (numbered, dated and opened), paid in one or more payments, or cancelled.
type Invoice struct {
	ID           string     `json:"id"`
	AccountID    string     `json:"-"`
	CustomerID   string     `json:"customer_id"`
	ExternalID   string     `json:"external_id,omitempty"`
	Number       string     `json:"number,omitempty"`
	Status       string     `json:"status"`
	Currency     string     `json:"currency"`
	Items        []LineItem `json:"items"`
	VATBreakdown []VATLine  `json:"vat_breakdown"`
	Subtotal     Money      `json:"subtotal"`
	VATTotal     Money      `json:"vat_total"`
	Total        Money      `json:"total"`
	AmountPaid   Money      `json:"amount_paid"`
	AmountDue    Money      `json:"amount_due"`
	DueInDays    int        `json:"due_in_days"`
	IssueDate    *Date      `json:"issue_date"`
	DueDate      *Date      `json:"due_date"`
	Reference    string     `json:"reference,omitempty"`
	Notes        string     `json:"notes,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	FinalizedAt  *time.Time `json:"finalized_at"`
	PaidAt       *time.Time `json:"paid_at"`
	CancelledAt  *time.Time `json:"cancelled_at"`
	// OverdueNotified is set once invoice.overdue has been emitted.
	OverdueNotified bool `json:"-"`

	// PaymentReference is the QR reference or creditor reference (RF…) the
	// invoice got at finalize: unique in the account, never changed, printed
	// on its QR-bill and matched against bank statements.
	PaymentReference string `json:"payment_reference,omitempty"`

	// Dunning (see DunningSettings): what reminders added on top of the
	// total, all within AmountDue.
	Fees     Money `json:"fees"`
	FeesVAT  Money `json:"fees_vat"`
	Interest Money `json:"interest"`
	// DunningLevel is the highest reminder level sent, 0 before the first.
	DunningLevel int `json:"dunning_level"`
	// LastReminderOn is the day the last reminder was sent.
	LastReminderOn *Date `json:"last_reminder_on"`
	// DunningPaused (Mahnsperre, e.g. a dispute) stops the ladder for this invoice.
	DunningPaused bool `json:"dunning_paused"`
	// ReminderDueLevel is the highest level invoice.reminder_due announced.
	ReminderDueLevel int `json:"-"`
}

// LineItem is one line of an invoice. Amount is quantity × unit price,
// rounded half-up to the cent, before VAT.
type LineItem struct {
	Description string   `json:"description"`
	Quantity    Quantity `json:"quantity"`
	UnitPrice   Money    `json:"unit_price"`
	VATRate     VATRate  `json:"vat_rate"`
	Amount      Money    `json:"amount"`
}

// VATLine is the VAT due at one rate: the rate's net sum and its tax.
type VATLine struct {
	Rate VATRate `json:"rate"`
	Net  Money   `json:"net"`
	VAT  Money   `json:"vat"`
}

// Invoice statuses. StatusOverdue is never stored: it is derived at read
// time from an open or partially paid invoice past its due date.
const (
	StatusDraft         = "draft"
	StatusOpen          = "open"
	StatusPartiallyPaid = "partially_paid"
	StatusPaid          = "paid"
	StatusOverdue       = "overdue"
	StatusCancelled     = "cancelled"
	// StatusUnpaid is a filter only: open, partially paid and overdue.
	StatusUnpaid = "unpaid"
)

// InvoiceStatuses lists the values the status filter accepts.
var InvoiceStatuses = []string{StatusDraft, StatusOpen, StatusPartiallyPaid, StatusPaid, StatusOverdue, StatusCancelled, StatusUnpaid}

// roundDiv returns a*b/d rounded half-up, for non-negative a, b and d > 0,
// without overflowing on the 128-bit product. ok is false when the result
// does not fit in an int64.
func roundDiv(a, b, d uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	var carry uint64
	lo, carry = bits.Add64(lo, d/2, 0)
	hi += carry
	if hi >= d {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, d)
	return q, q <= 1<<63-1
}

// ComputeTotals sets each line's amount and the invoice's VAT breakdown,
// subtotal, VAT total, total and amount due. VAT is computed per rate on the
// net sum of that rate's lines and rounded half-up to the cent. It returns an
// EINVALID error naming the field when an amount leaves the allowed range.
func (inv *Invoice) ComputeTotals() error {
	byRate := map[VATRate]Money{}
	var subtotal Money
	for i := range inv.Items {
		it := &inv.Items[i]
		amt, ok := roundDiv(uint64(it.Quantity), uint64(it.UnitPrice), 1000)
		if !ok || Money(amt) > MaxMoney {
			return Invalid("items["+itoa(i)+"].unit_price", "line amount exceeds 999999999.99")
		}
		it.Amount = Money(amt)
		byRate[it.VATRate] += it.Amount
		subtotal += it.Amount
		if subtotal > MaxMoney {
			return Invalid("items", "subtotal exceeds 999999999.99")
		}
	}
	rates := make([]VATRate, 0, len(byRate))
	for r := range byRate {
		rates = append(rates, r)
	}
	sort.Slice(rates, func(i, j int) bool { return rates[i] < rates[j] })
	inv.VATBreakdown = make([]VATLine, 0, len(rates))
	var vatTotal Money
	for _, r := range rates {
		v, _ := roundDiv(uint64(byRate[r]), uint64(r), 10000)
		inv.VATBreakdown = append(inv.VATBreakdown, VATLine{Rate: r, Net: byRate[r], VAT: Money(v)})
		vatTotal += Money(v)
	}
	inv.Subtotal, inv.VATTotal, inv.Total = subtotal, vatTotal, subtotal+vatTotal
	if inv.Total > MaxMoney {
		return Invalid("items", "total exceeds 999999999.99")
	}
	inv.AmountDue = inv.Total + inv.Charges() - inv.AmountPaid
	return nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Unpaid reports whether the stored status leaves money to collect.
func (inv *Invoice) Unpaid() bool {
	return inv.Status == StatusOpen || inv.Status == StatusPartiallyPaid
}

// IsOverdue reports whether the invoice is unpaid and its due date lies
// before today in loc.
func (inv *Invoice) IsOverdue(now time.Time, loc *time.Location) bool {
	return inv.Unpaid() && inv.DueDate != nil && inv.DueDate.Before(Today(now, loc))
}

// WithDerivedStatus returns a copy whose Status is "overdue" when the
// invoice is overdue at now in loc: the status clients see.
func (inv Invoice) WithDerivedStatus(now time.Time, loc *time.Location) Invoice {
	if inv.IsOverdue(now, loc) {
		inv.Status = StatusOverdue
	}
	return inv
}

// Finalize turns a draft into an open invoice with a number, issued on its
// IssueDate when the draft carries one (a back-dated invoice, e.g. migrated
// from another tool) or else today in loc, and due DueInDays after the issue
// date. It returns ECONFLICT for any other status and EINVALID naming
// issue_date when the issue date is refused by CheckIssueDate.
func (inv *Invoice) Finalize(number string, now time.Time, loc *time.Location) error {
	if inv.Status != StatusDraft {
		return Errorf(ECONFLICT, "Only a draft invoice can be finalized; this one is %s.", inv.Status)
	}
	if inv.Total <= 0 {
		return Errorf(ECONFLICT, "An invoice with a total of zero cannot be finalized.")
	}
	issue := Today(now, loc)
	if inv.IssueDate != nil {
		if err := CheckIssueDate(*inv.IssueDate, now, loc); err != nil {
			return err
		}
		issue = *inv.IssueDate
	}
	due := issue.AddDays(inv.DueInDays)
	t := now.UTC()
	inv.Number, inv.Status, inv.IssueDate, inv.DueDate, inv.FinalizedAt, inv.UpdatedAt = number, StatusOpen, &issue, &due, &t, t
	return nil
}

// EarliestIssueDate is the earliest issue date an invoice may carry.
var EarliestIssueDate = Date{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}

// CheckIssueDate accepts an issue date from EarliestIssueDate up to today in
// loc: a past date dates an invoice back (migrations, imports), a future
// one is refused, EINVALID naming issue_date.
func CheckIssueDate(d Date, now time.Time, loc *time.Location) error {
	if today := Today(now, loc); today.Before(d) {
		return Invalid("issue_date", "must not be in the future (today is "+today.String()+" in the account's time zone)")
	}
	if d.Before(EarliestIssueDate) {
		return Invalid("issue_date", "must not be before "+EarliestIssueDate.String())
	}
	return nil
}

// Cancel cancels a draft or an unpaid invoice without payments. It returns
// ECONFLICT when payments exist or the invoice is paid or cancelled.
func (inv *Invoice) Cancel(now time.Time) error {
	switch {
	case inv.Status == StatusCancelled:
		return Errorf(ECONFLICT, "The invoice is already cancelled.")
	case inv.AmountPaid > 0 || inv.Status == StatusPaid:
		return Errorf(ECONFLICT, "An invoice with payments cannot be cancelled; issue a credit note instead.")
	}
	t := now.UTC()
	inv.Status, inv.CancelledAt, inv.UpdatedAt = StatusCancelled, &t, t
	return nil
}

// ApplyPayment counts amount against the invoice. It returns ECONFLICT for a
// draft, cancelled or paid invoice and EINVALID (field "amount") when amount
// exceeds the amount due. It reports whether the invoice became paid.
func (inv *Invoice) ApplyPayment(amount Money, now time.Time) (paid bool, err error) {
	switch inv.Status {
	case StatusDraft:
		return false, Errorf(ECONFLICT, "A draft invoice cannot be paid; finalize it first.")
	case StatusCancelled:
		return false, Errorf(ECONFLICT, "A cancelled invoice cannot be paid.")
	case StatusPaid:
		return false, Errorf(ECONFLICT, "The invoice is already paid.")
	}
	if amount <= 0 {
		return false, Invalid("amount", "must be greater than 0")
	}
	if amount > inv.AmountDue {
		return false, Invalid("amount", "exceeds the amount due of "+inv.AmountDue.String())
	}
	t := now.UTC()
	inv.AmountPaid += amount
	inv.AmountDue -= amount
	inv.UpdatedAt = t
	if inv.AmountDue == 0 {
		inv.Status, inv.PaidAt = StatusPaid, &t
		return true, nil
	}
	inv.Status = StatusPartiallyPaid
	return false, nil
}

// Charges returns what reminders added on top of the total: fees, their
// VAT and interest.
func (inv *Invoice) Charges() Money { return inv.Fees + inv.FeesVAT + inv.Interest }

// OpenPrincipal returns the part of the amount due that is the invoice's
// own total: payments cover fees and interest first, then the invoice, so
// the open principal is the amount due up to the total.
func (inv *Invoice) OpenPrincipal() Money { return min(inv.AmountDue, inv.Total) }

// DunningSince returns the day the ladder counts the next level and the
// interest from: the day of the last reminder, else the due date (nil
// before finalize).
func (inv *Invoice) DunningSince() Date {
	if inv.LastReminderOn != nil {
		return *inv.LastReminderOn
	}
	if inv.DueDate != nil {
		return *inv.DueDate
	}
	return Date{}
}

// MainVATRate returns the rate of the invoice's largest net, the higher
// rate on a tie: the rate of its reminder fees.
func (inv *Invoice) MainVATRate() VATRate {
	var best VATLine
	for _, l := range inv.VATBreakdown {
		if l.Net > best.Net || (l.Net == best.Net && l.Rate > best.Rate) {
			best = l
		}
	}
	return best.Rate
}

// AmountDueNow is what the customer has to pay today: the amount due,
// which includes the fees (with their VAT) and interest of the reminders
// sent (ApplyReminder). It is the one source of the amount on a QR-bill and
// the invoice PDF's slip.
func (inv *Invoice) AmountDueNow() Money { return inv.AmountDue }

// AssignPaymentReference gives a finalized invoice its payment reference
// under the account's QR-bill settings s (nil when it has none): see
// QRBillSettings.PaymentReference. n is the invoice's sequence number. A
// reference once assigned never changes.
func (inv *Invoice) AssignPaymentReference(s *QRBillSettings, n int64) error {
	if inv.PaymentReference != "" || inv.Number == "" {
		return nil
	}
	ref, err := s.PaymentReference(inv.Number, n, inv.Currency)
	if err != nil {
		return err
	}
	inv.PaymentReference = ref
	return nil
}

// InvoiceNumber formats the n-th invoice number of an account.
func InvoiceNumber(n int64) string {
	s := itoa(int(n))
	for len(s) < 6 {
		s = "0" + s
	}
	return "INV-" + s
}

// InvoiceFilter selects invoices for a list. Status takes the values of
// InvoiceStatuses; "overdue", "open" and "unpaid" compare due dates with
// Today, the current date in the account's time zone.
type InvoiceFilter struct {
	Status     string
	CustomerID string
	ExternalID string
	Number     string
	Today      Date
	// UpdatedSince, when set, keeps invoices changed at or after it.
	UpdatedSince time.Time
	PageParams

	// PaymentReference matches compact and upper-case (NormalizeReference).
	PaymentReference string
}
