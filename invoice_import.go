package billbridge

import (
	"errors"
	"regexp"
	"strings"
)

// Invoice import fields that hold the invoice (the same in every row of
// it) rather than one of its lines.
var InvoiceImportInvoiceFields = []string{
	"customer_id", "customer_external_id", "customer_number", "external_id", "number", "status", "currency",
	"issue_date", "due_in_days", "reference", "notes", "amount_paid", "paid_at",
}

// invoiceHeaderAliases are the headers an invoice import understands, by
// field: the field names, the invoice export's headers in every language,
// and what Swiss tools and spreadsheets write. One row is one line of an
// invoice; rows with the same external_id (or number) are one invoice.
var invoiceHeaderAliases = map[string][]string{
	"customer_id":          {"Kunden-ID", "ID client", "Customer ID"},
	"customer_external_id": {"Customer external ID", "Externe Kunden-ID", "Kunden externe ID", "ID externe client", "CRM customer ID"},
	"customer_number": {"Kundennummer", "Kundennr", "Kunden-Nr", "Customer number", "Customer no", "Numéro de client",
		"No client", "N° client"},
	"external_id": {"External ID", "Externe ID", "ID externe", "Invoice external ID", "Deal ID"},
	"number": {"Number", "Invoice number", "Invoice no", "Rechnungsnummer", "Rechnungsnr", "Rechnungs-Nr", "Belegnummer",
		"Numéro de facture", "No facture", "N° facture"},
	"status":   {"Status", "Statut", "Zustand"},
	"currency": {"Currency", "Währung", "Monnaie", "Devise"},
	"issue_date": {"Issue date", "Invoice date", "Date", "Datum", "Rechnungsdatum", "Belegdatum", "Date de facture",
		"Date facture"},
	"due_in_days": {"Due in days", "Payment terms", "Payment terms (days)", "Zahlungsfrist", "Zahlungsfrist (Tage)",
		"Zahlungsziel", "Délai de paiement", "Délai de paiement (jours)"},
	"reference": {"Reference", "Referenz", "Référence", "Bestellnummer", "Order"},
	"notes":     {"Notes", "Bemerkungen", "Bemerkung", "Remarques", "Remarque"},
	"description": {"Description", "Beschreibung", "Text", "Position", "Bezeichnung", "Artikel", "Leistung", "Libellé",
		"Désignation", "Item"},
	"quantity":   {"Quantity", "Qty", "Menge", "Anzahl", "Quantité", "Qté"},
	"unit_price": {"Unit price", "Price", "Preis", "Einzelpreis", "Stückpreis", "Ansatz", "Prix", "Prix unitaire"},
	// Not "MWST" or "TVA" alone ("MWST %" folds to it): in the export and
	// elsewhere that is the VAT amount, which must never be read as a rate.
	"vat_rate":    {"VAT rate", "MWST-Satz", "MwSt-Satz", "Steuersatz", "Taux TVA", "Taux de TVA", "Taux"},
	"amount_paid": {"Amount paid", "Paid", "Bezahlt", "Bezahlter Betrag", "Payé", "Montant payé"},
	"paid_at":     {"Paid at", "Paid on", "Payment date", "Bezahlt am", "Zahlungsdatum", "Payé le", "Date de paiement"},
}

var invoiceHeaders = func() map[string]string {
	m := map[string]string{}
	for field, aliases := range invoiceHeaderAliases {
		m[headerKey(field)] = field
		for _, a := range aliases {
			m[headerKey(a)] = field
		}
	}
	return m
}()

// InvoiceImportField returns the invoice import field a header names
// ("Rechnungsnummer" → "number", "Menge" → "quantity", "Kundennummer" →
// "customer_number"), "" when it names none (the column is ignored, as
// the export's computed columns total, amount_due or due_date are).
func InvoiceImportField(header string) string {
	return invoiceHeaders[headerKey(header)]
}

// Invoice import statuses: a draft, or finalized (open), or finalized and
// paid in full.
const (
	ImportDraft = StatusDraft
	ImportOpen  = StatusOpen
	ImportPaid  = StatusPaid
)

var importStatuses = func() map[string]string {
	m := map[string]string{}
	for status, words := range map[string][]string{
		ImportDraft: {"draft", "Entwurf", "brouillon", "bozza"},
		ImportOpen: {"open", "finalized", "final", "sent", "unpaid", "overdue", "partially_paid", "partially paid",
			"offen", "versendet", "gestellt", "fällig", "überfällig", "teilbezahlt", "ouverte", "ouvert", "envoyée", "en retard", "impayée"},
		ImportPaid: {"paid", "bezahlt", "beglichen", "payée", "payé", "réglée", "pagata"},
	} {
		for _, w := range words {
			m[headerKey(w)] = status
		}
	}
	return m
}()

// ImportInvoiceStatus reads an invoice import's status cell: "" and draft
// words ("Entwurf", "brouillon") are ImportDraft; open, sent, overdue
// ("offen", "ouverte") are ImportOpen; paid ("bezahlt", "payée") is
// ImportPaid. ok is false for anything else (cancelled invoices are not
// imported).
func ImportInvoiceStatus(s string) (status string, ok bool) {
	if strings.TrimSpace(s) == "" {
		return ImportDraft, true
	}
	status, ok = importStatuses[headerKey(s)]
	return status, ok
}

// ownNumber matches the numbers billbridge gives (InvoiceNumber): an
// imported invoice may not take one, or a later invoice would collide.
var ownNumber = regexp.MustCompile(`^INV-[0-9]+$`)

// CheckImportedNumber refuses an original invoice number billbridge could
// give itself later, EINVALID naming number.
func CheckImportedNumber(number string) error {
	if ownNumber.MatchString(number) {
		return Invalid("number", "INV-… numbers are billbridge's own: leave the number out to get the next one")
	}
	if len(number) > 64 {
		return Invalid("number", "must be at most 64 characters")
	}
	return nil
}

// ErrImportNumber is an import number cell that is not a decimal number.
var ErrImportNumber = errors.New("must be a number such as 1234.50 or 1'234,50")

// ImportDecimal reads a number cell of an import into an integer scaled by
// 10^scale, as ParseDecimal, accepting what spreadsheets write: Swiss
// thousands separators ("1'234.50", "1’234.50"), spaces, a decimal comma
// ("1234,50", "1.234,50") and a currency code or percent sign around it
// ("CHF 1'234.50", "8.1 %").
func ImportDecimal(s string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	for _, affix := range []string{"CHF", "EUR", "Fr.", "%"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, affix), affix))
	}
	s = strings.NewReplacer("'", "", "’", "", " ", "", "\u00a0", "", "\u202f", "").Replace(s)
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case comma > dot && dot >= 0: // 1.234,50
		s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
	case comma > dot: // 1234,50
		if strings.Count(s, ",") > 1 {
			return 0, ErrImportNumber
		}
		s = strings.Replace(s, ",", ".", 1)
	case comma >= 0: // 1,234.50
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := ParseDecimal(s, scale)
	if errors.Is(err, ErrDecimal) {
		return 0, ErrImportNumber
	}
	return v, err
}
