package billbridge

import (
	"strconv"
	"strings"
)

// Customers report: what each customer owes today, per currency (CHF and
// EUR are never added), from its unpaid invoices' amount_due (reminder
// fees and interest included); overdue is past the due date in the
// account's time zone. Customers owing nothing are not listed.

// Customers report orders.
const (
	// SortOverdueDesc lists the largest overdue amount first.
	SortOverdueDesc = "overdue_desc"
	// SortOutstandingDesc lists the largest outstanding amount first.
	SortOutstandingDesc = "outstanding_desc"
)

// CustomerReceivables is what one customer owes in one currency.
type CustomerReceivables struct {
	CustomerID     string `json:"customer_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	CustomerName   string `json:"customer_name" example:"Muster AG"`
	ExternalID     string `json:"external_id" example:"crm-4711"`
	CustomerNumber string `json:"customer_number" example:"K-1001"`
	Currency       string `json:"currency" enums:"CHF,EUR" example:"CHF"`
	// Everything unpaid: the amount_due of its open, partially paid and overdue invoices.
	Outstanding      Money `json:"outstanding" swaggertype:"number" example:"4500.00"`
	OutstandingCount int   `json:"outstanding_count" example:"3"`
	// The part past its due date.
	Overdue      Money `json:"overdue" swaggertype:"number" example:"3000.00"`
	OverdueCount int   `json:"overdue_count" example:"2"`
	// Days the oldest overdue invoice is past due; 0 when nothing is overdue.
	OldestOverdueDays int `json:"oldest_overdue_days" example:"47"`
	// The highest reminder level sent on an unpaid invoice; 0 for none.
	MaxReminderLevel int `json:"max_reminder_level" example:"2"`
	// The customer's Mahnsperre.
	DunningPaused bool `json:"dunning_paused" example:"false"`

	// OldestDueDate is the due date of the oldest overdue invoice.
	OldestDueDate *Date `json:"-"`
}

// CustomerReportCursor is the position after which a customers report page
// starts: the last row's sort amount, customer and currency.
type CustomerReportCursor struct {
	Amount     Money
	CustomerID string
	Currency   string
}

// CustomerReportFilter selects a page of the customers report.
type CustomerReportFilter struct {
	// Today, in the account's time zone: an invoice due before it is overdue.
	Today Date
	// Only this currency; empty for all.
	Currency string
	// SortOverdueDesc or SortOutstandingDesc.
	Sort  string
	After *CustomerReportCursor
	Limit int
}

// Cursor returns the next_cursor of a page ending with r, ordered by sort.
func (r CustomerReceivables) Cursor(sort string) string {
	amount := r.Overdue
	if sort == SortOutstandingDesc {
		amount = r.Outstanding
	}
	return strconv.FormatInt(int64(amount), 10) + "." + r.CustomerID + "." + r.Currency
}

// ParseCustomerReportCursor reads a cursor made by Cursor; ECURSORINVALID
// naming starting_after otherwise.
func ParseCustomerReportCursor(s string) (*CustomerReportCursor, error) {
	parts := strings.Split(s, ".")
	if len(parts) == 3 && ValidCurrency(parts[2]) && strings.HasPrefix(parts[1], PrefixCustomer+"_") {
		if n, err := strconv.ParseInt(parts[0], 10, 64); err == nil && n >= 0 {
			return &CustomerReportCursor{Amount: Money(n), CustomerID: parts[1], Currency: parts[2]}, nil
		}
	}
	return nil, &Error{Code: ECURSORINVALID, Message: "starting_after is not a next_cursor of this report.",
		Fields: []FieldError{{Name: "starting_after", Reason: "is not a next_cursor billbridge returned"}}}
}

// CustomerReceivablesColumns are the columns of the customers report as CSV.
var CustomerReceivablesColumns = []Column[CustomerReceivables]{
	{"customer_id", "Kunden-ID", "ID client", CellText, func(r *CustomerReceivables) string { return r.CustomerID }},
	{"customer_name", "Firma", "Raison sociale", CellText, func(r *CustomerReceivables) string { return r.CustomerName }},
	{"external_id", "Externe ID", "ID externe", CellText, func(r *CustomerReceivables) string { return r.ExternalID }},
	{"customer_number", "Kundennummer", "Numéro de client", CellText, func(r *CustomerReceivables) string { return r.CustomerNumber }},
	{"currency", "Währung", "Monnaie", CellText, func(r *CustomerReceivables) string { return r.Currency }},
	{"outstanding", "Offen", "Ouvert", CellNumber, func(r *CustomerReceivables) string { return r.Outstanding.String() }},
	{"outstanding_count", "Offene Rechnungen", "Factures ouvertes", CellNumber, func(r *CustomerReceivables) string { return itoa(r.OutstandingCount) }},
	{"overdue", "Überfällig", "En retard", CellNumber, func(r *CustomerReceivables) string { return r.Overdue.String() }},
	{"overdue_count", "Überfällige Rechnungen", "Factures en retard", CellNumber, func(r *CustomerReceivables) string { return itoa(r.OverdueCount) }},
	{"oldest_overdue_days", "Älteste Überfälligkeit (Tage)", "Plus ancien retard (jours)", CellNumber, func(r *CustomerReceivables) string { return itoa(r.OldestOverdueDays) }},
	{"max_reminder_level", "Höchste Mahnstufe", "Niveau de rappel max.", CellNumber, func(r *CustomerReceivables) string { return itoa(r.MaxReminderLevel) }},
	{"dunning_paused", "Mahnsperre", "Blocage des rappels", CellText, func(r *CustomerReceivables) string { return strconv.FormatBool(r.DunningPaused) }},
}
