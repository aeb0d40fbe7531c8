package billbridge

import (
	"context"
	"io"
	"strconv"
	"time"
)

// CellKind says how a spreadsheet stores a column's cells.
type CellKind int

// Cell kinds. Text stays text everywhere: postcodes and customer numbers
// keep their leading zeros in XLSX, and a CSV text cell that a spreadsheet
// would run as a formula is neutralised.
const (
	CellText   CellKind = iota
	CellNumber          // amounts ("1234.50") and counts
	CellDate            // "2006-01-02"
)

// Column is one column of a CSV or XLSX export of T. Key is the field name:
// the English header, and what an import reads back.
type Column[T any] struct {
	Key   string
	DE    string // German header
	FR    string // French header
	Kind  CellKind
	Value func(*T) string
}

// Header returns the column's header in lang ("en", "de" or "fr").
func (c Column[T]) Header(lang string) string {
	switch lang {
	case "de":
		return c.DE
	case "fr":
		return c.FR
	}
	return c.Key
}

// SheetLanguages lists the header languages of exports.
var SheetLanguages = []string{"en", "de", "fr"}

// Headers returns the headers of cols in lang.
func Headers[T any](cols []Column[T], lang string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header(lang)
	}
	return out
}

// Kinds returns the cell kinds of cols.
func Kinds[T any](cols []Column[T]) []CellKind {
	out := make([]CellKind, len(cols))
	for i, c := range cols {
		out[i] = c.Kind
	}
	return out
}

// Cells renders one row of v.
func Cells[T any](cols []Column[T], v *T, out []string) []string {
	out = out[:0]
	for _, c := range cols {
		out = append(out, c.Value(v))
	}
	return out
}

// Sheet formats and profiles.
const (
	SheetCSV  = "csv"
	SheetXLSX = "xlsx"
	// ProfileExcel is CSV as Swiss and German Excel opens it: UTF-8 with a
	// byte order mark, ";" between cells, CRLF. The default profile is
	// RFC 4180: UTF-8 without BOM, ",", CRLF.
	ProfileExcel = "excel"
)

// SheetFormat chooses how a table is written.
type SheetFormat struct {
	Format  string // SheetCSV or SheetXLSX
	Profile string // "" (RFC 4180) or ProfileExcel; CSV only
}

// SheetWriter writes one table row by row (implemented by package sheet).
type SheetWriter interface {
	// WriteRow writes one row; cells are rendered by their column's kind.
	WriteRow(cells []string) error
	// Flush sends the rows written so far to the underlying writer.
	Flush() error
	// Close ends the table; nothing may be written after.
	Close() error
}

// Sheets writes and reads CSV and XLSX tables (implemented by package sheet).
type Sheets interface {
	// NewWriter starts a table of columns of kinds on w in format f.
	NewWriter(ctx context.Context, w io.Writer, f SheetFormat, kinds []CellKind) (SheetWriter, error)
	// ReadTable reads a file of format (SheetCSV or SheetXLSX) for an
	// import: EMALFORMED when it cannot be read, ETOOLARGE past maxRows.
	ReadTable(ctx context.Context, data []byte, format string, maxRows int) (*Table, error)
}

func timeCell(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func timePtrCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return timeCell(*t)
}

func datePtrCell(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func addressCell(a *Address, field func(*Address) string) string {
	if a == nil {
		return ""
	}
	return field(a)
}

// CustomerColumns are the columns of a customer export.
var CustomerColumns = []Column[Customer]{
	{"id", "ID", "ID", CellText, func(c *Customer) string { return c.ID }},
	{"external_id", "Externe ID", "ID externe", CellText, func(c *Customer) string { return c.ExternalID }},
	{"customer_number", "Kundennummer", "Numéro de client", CellText, func(c *Customer) string { return c.CustomerNumber }},
	{"kind", "Art", "Type", CellText, func(c *Customer) string { return c.Kind }},
	{"name", "Firma", "Raison sociale", CellText, func(c *Customer) string { return c.Name }},
	{"contact_person", "Kontaktperson", "Personne de contact", CellText, func(c *Customer) string { return c.ContactPerson }},
	{"email", "E-Mail", "E-mail", CellText, func(c *Customer) string { return c.Email }},
	{"phone", "Telefon", "Téléphone", CellText, func(c *Customer) string { return c.Phone }},
	{"street", "Strasse", "Rue", CellText, func(c *Customer) string {
		return addressCell(c.Address, func(a *Address) string { return a.Street })
	}},
	{"building_number", "Hausnummer", "Numéro", CellText, func(c *Customer) string {
		return addressCell(c.Address, func(a *Address) string { return a.BuildingNumber })
	}},
	{"postal_code", "PLZ", "NPA", CellText, func(c *Customer) string {
		return addressCell(c.Address, func(a *Address) string { return a.PostalCode })
	}},
	{"city", "Ort", "Localité", CellText, func(c *Customer) string {
		return addressCell(c.Address, func(a *Address) string { return a.City })
	}},
	{"country", "Land", "Pays", CellText, func(c *Customer) string {
		return addressCell(c.Address, func(a *Address) string { return a.Country })
	}},
	{"vat_number", "UID", "IDE", CellText, func(c *Customer) string { return c.VATNumber }},
	{"language", "Sprache", "Langue", CellText, func(c *Customer) string { return c.Language }},
	{"payment_terms_days", "Zahlungsfrist (Tage)", "Délai de paiement (jours)", CellNumber, func(c *Customer) string {
		return strconv.Itoa(c.PaymentTermsDays)
	}},
	{"created_at", "Erstellt", "Créé", CellText, func(c *Customer) string { return timeCell(c.CreatedAt) }},
	{"updated_at", "Geändert", "Modifié", CellText, func(c *Customer) string { return timeCell(c.UpdatedAt) }},
}

// InvoiceColumns are the columns of an invoice export, one row per invoice.
var InvoiceColumns = []Column[Invoice]{
	{"id", "ID", "ID", CellText, func(i *Invoice) string { return i.ID }},
	{"number", "Rechnungsnummer", "Numéro de facture", CellText, func(i *Invoice) string { return i.Number }},
	{"external_id", "Externe ID", "ID externe", CellText, func(i *Invoice) string { return i.ExternalID }},
	{"customer_id", "Kunden-ID", "ID client", CellText, func(i *Invoice) string { return i.CustomerID }},
	{"status", "Status", "Statut", CellText, func(i *Invoice) string { return i.Status }},
	{"currency", "Währung", "Monnaie", CellText, func(i *Invoice) string { return i.Currency }},
	{"subtotal", "Netto", "Net", CellNumber, func(i *Invoice) string { return i.Subtotal.String() }},
	{"vat_total", "MWST", "TVA", CellNumber, func(i *Invoice) string { return i.VATTotal.String() }},
	{"total", "Total", "Total", CellNumber, func(i *Invoice) string { return i.Total.String() }},
	{"amount_paid", "Bezahlt", "Payé", CellNumber, func(i *Invoice) string { return i.AmountPaid.String() }},
	{"amount_due", "Offen", "Dû", CellNumber, func(i *Invoice) string { return i.AmountDue.String() }},
	{"issue_date", "Rechnungsdatum", "Date de facture", CellDate, func(i *Invoice) string { return datePtrCell(i.IssueDate) }},
	{"due_date", "Fällig am", "Échéance", CellDate, func(i *Invoice) string { return datePtrCell(i.DueDate) }},
	{"due_in_days", "Zahlungsfrist (Tage)", "Délai de paiement (jours)", CellNumber, func(i *Invoice) string { return strconv.Itoa(i.DueInDays) }},
	{"reference", "Referenz", "Référence", CellText, func(i *Invoice) string { return i.Reference }},
	{"payment_reference", "Zahlungsreferenz", "Référence de paiement", CellText, func(i *Invoice) string { return i.PaymentReference }},
	{"notes", "Bemerkungen", "Remarques", CellText, func(i *Invoice) string { return i.Notes }},
	{"created_at", "Erstellt", "Créé", CellText, func(i *Invoice) string { return timeCell(i.CreatedAt) }},
	{"updated_at", "Geändert", "Modifié", CellText, func(i *Invoice) string { return timeCell(i.UpdatedAt) }},
	{"finalized_at", "Abgeschlossen", "Finalisée", CellText, func(i *Invoice) string { return timePtrCell(i.FinalizedAt) }},
	{"paid_at", "Bezahlt am", "Payée le", CellText, func(i *Invoice) string { return timePtrCell(i.PaidAt) }},
	{"cancelled_at", "Storniert", "Annulée", CellText, func(i *Invoice) string { return timePtrCell(i.CancelledAt) }},
}

// PaymentColumns are the columns of a payment export.
var PaymentColumns = []Column[Payment]{
	{"id", "ID", "ID", CellText, func(p *Payment) string { return p.ID }},
	{"invoice_id", "Rechnungs-ID", "ID facture", CellText, func(p *Payment) string { return p.InvoiceID }},
	{"customer_id", "Kunden-ID", "ID client", CellText, func(p *Payment) string { return p.CustomerID }},
	{"external_id", "Externe ID", "ID externe", CellText, func(p *Payment) string { return p.ExternalID }},
	{"amount", "Betrag", "Montant", CellNumber, func(p *Payment) string { return p.Amount.String() }},
	{"currency", "Währung", "Monnaie", CellText, func(p *Payment) string { return p.Currency }},
	{"paid_at", "Bezahlt am", "Payé le", CellDate, func(p *Payment) string { return p.PaidAt.String() }},
	{"method", "Zahlungsart", "Mode de paiement", CellText, func(p *Payment) string { return p.Method }},
	{"reference", "Referenz", "Référence", CellText, func(p *Payment) string { return p.Reference }},
	{"created_at", "Erfasst", "Saisi", CellText, func(p *Payment) string { return timeCell(p.CreatedAt) }},
}
