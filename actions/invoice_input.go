package actions

import (
	"strings"

	"billbridge"
)

// InvoiceInput is the body of create invoice.
type InvoiceInput struct {
	CustomerID string `json:"customer_id" binding:"required,max=64" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// Your or the CRM's id of the invoice (e.g. the deal id): unique per
	// account; creating it again returns the existing invoice with 200.
	ExternalID string `json:"external_id" binding:"max=255" example:"deal-2026-0042"`
	LinesInput
	// Days from the issue date to the due date; default: the customer's payment terms.
	DueInDays *int   `json:"due_in_days" binding:"omitempty,min=0,max=365" example:"30"`
	Reference string `json:"reference" binding:"max=140" example:"Order 4711"`
	Notes     string `json:"notes" binding:"max=2000" text:"multiline" example:"Thank you for your business."`
	// Finalize at once: number, issue date and due date are set and the invoice is open.
	Finalize bool `json:"finalize" example:"false"`
	IssueDateInput
}

// IssueDateInput dates an invoice back.
type IssueDateInput struct {
	// The invoice's issue date in the account's time zone: default today; a past date dates the invoice back (the due date follows from it, so it may be overdue at once); never in the future. On a draft it is kept until finalize.
	IssueDate *billbridge.Date `json:"issue_date" swaggertype:"string" format:"date" example:"2026-11-28"`
}

// FinalizeInput is the optional body of finalize.
type FinalizeInput struct {
	IssueDateInput
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *FinalizeInput) Normalize() {}

// LinesInput is the currency and line items of an invoice.
type LinesInput struct {
	Currency string          `json:"currency" binding:"required,oneof=CHF EUR" example:"CHF" enums:"CHF,EUR"`
	Items    []LineItemInput `json:"items" binding:"required,min=1,max=200,dive"`
}

// LineItemInput is one invoice line. Amounts are decimals with at most two
// fraction digits, as JSON numbers or strings.
type LineItemInput struct {
	Description string `json:"description" binding:"required,max=500" text:"multiline" example:"Consulting, November"`
	// Up to three fraction digits, greater than 0, at most 1,000,000.
	Quantity billbridge.Quantity `json:"quantity" binding:"required,gt=0,max=1000000000" swaggertype:"number" example:"1.5"`
	// Price of one unit before VAT, at least 0, at most 999999999.99.
	UnitPrice billbridge.Money `json:"unit_price" binding:"gte=0,max=99999999999" swaggertype:"number" example:"120.00"`
	// VAT rate in percent, e.g. 8.1, 2.6, 3.8 or 0.
	VATRate billbridge.VATRate `json:"vat_rate" binding:"gte=0,max=10000" swaggertype:"number" example:"8.1"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (l *LinesInput) Normalize() {
	l.Currency = strings.TrimSpace(l.Currency) // ISO 4217 upper case, as the spec's enum says: "eur" is refused
	for i := range l.Items {
		l.Items[i].Description = strings.TrimSpace(l.Items[i].Description)
	}
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *InvoiceInput) Normalize() {
	in.CustomerID = strings.TrimSpace(in.CustomerID)
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	in.Reference = strings.TrimSpace(in.Reference)
	in.LinesInput.Normalize()
}

func (l *LinesInput) items() []billbridge.LineItem {
	items := make([]billbridge.LineItem, len(l.Items))
	for i, it := range l.Items {
		items[i] = billbridge.LineItem{Description: it.Description, Quantity: it.Quantity, UnitPrice: it.UnitPrice, VATRate: it.VATRate}
	}
	return items
}
