package billbridge

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// QRBill is the content of a Swiss QR-bill: what its QR code encodes (the
// "SPC" payload of the SIX Implementation Guidelines, IG v2.3, with the
// v2.4 rule for EUR) and what its payment part and receipt print.
type QRBill struct {
	// IBAN is the creditor's account, a CH or LI IBAN or QR-IBAN, compact.
	IBAN     string
	Creditor Party
	// Amount is what the debtor pays; with HasAmount false the debtor fills
	// it in by hand.
	Amount    Money
	HasAmount bool
	Currency  string
	// Debtor is nil when the payer is left blank (to be written by hand).
	Debtor *Party
	// Reference is a QR reference (with a QR-IBAN), a creditor reference
	// RF… (with an IBAN) or empty (NON, with an IBAN); compact.
	Reference string
	// Message is the unstructured message (Ustrd).
	Message string
	// BillingInformation is structured for the debtor's software, e.g. Swico
	// S1 ("//S1/10/…"); with Message at most 140 characters together.
	BillingInformation string
	// AlternativeSchemes holds up to two alternative procedure parameters.
	AlternativeSchemes []string
}

// Party is a name and a structured address (type S): the creditor or the
// debtor of a QR-bill.
type Party struct {
	Name string `json:"name"`
	Address
}

// QR-bill limits (IG v2.3).
const (
	qrNameMax     = 70
	qrStreetMax   = 70
	qrBuildingMax = 16
	qrPostcodeMax = 16
	qrTownMax     = 35
	qrMessageMax  = 140 // unstructured message and billing information together
	qrAltMax      = 100
	qrPayloadMax  = 997
	// qrPayloadMaxBytes is what a version-25 QR code at error correction
	// level M holds in byte mode after the ECI 26 header that announces
	// UTF-8 (997 bytes without it, the IG's limit): Extended Latin letters
	// take two bytes each, so 997 characters can overfill the symbol.
	qrPayloadMaxBytes = 996
)

// InQRCharset reports whether r belongs to the character set of IG v2.3
// (Extended Latin): U+0020–007E, U+00A0–017F, U+0218–021B and U+20AC (€).
func InQRCharset(r rune) bool {
	return (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0x17f) || (r >= 0x218 && r <= 0x21b) || r == 0x20ac
}

// qrCharsetProblem returns why s cannot go into a QR-bill, "" when it can.
// Nothing is ever replaced: a refused character is named so the user can
// correct it.
func qrCharsetProblem(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !InQRCharset(r) {
			return fmt.Sprintf("contains %q (U+%04X), which the QR-bill character set (IG 2.3 Extended Latin) does not have", r, r)
		}
	}
	return ""
}

// fieldChecker collects the refused fields of one validation.
type fieldChecker struct{ fields []FieldError }

func (c *fieldChecker) add(name, reason string) {
	c.fields = append(c.fields, FieldError{Name: name, Reason: reason})
}

// text checks one text field: required or not, at most max characters,
// only QR-bill characters.
func (c *fieldChecker) text(name, v string, required bool, max int) {
	switch {
	case v == "" && required:
		c.add(name, "is required")
	case utf8.RuneCountInString(v) > max:
		c.add(name, fmt.Sprintf("must be at most %d characters", max))
	case qrCharsetProblem(v) != "":
		c.add(name, qrCharsetProblem(v))
	}
}

// party checks a creditor or debtor address of type S.
func (c *fieldChecker) party(prefix string, p Party) {
	c.text(prefix+".name", p.Name, true, qrNameMax)
	c.text(prefix+".street", p.Street, false, qrStreetMax)
	c.text(prefix+".building_number", p.BuildingNumber, false, qrBuildingMax)
	c.text(prefix+".postal_code", p.PostalCode, true, qrPostcodeMax)
	c.text(prefix+".city", p.City, true, qrTownMax)
	if len(p.Country) != 2 || !isUpper(p.Country[0]) || !isUpper(p.Country[1]) {
		c.add(prefix+".country", "must be an ISO 3166-1 alpha-2 country code such as CH")
	}
}

func (c *fieldChecker) err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "The QR-bill has invalid fields.", Fields: c.fields}
}

// ReferenceType returns the bill's reference type: QRR, SCOR or NON.
func (b *QRBill) ReferenceType() string { return ReferenceType(b.Reference) }

// Validate checks the bill against the IG: a valid CH/LI IBAN; a QR-IBAN
// with a QR reference and only then a QR reference; EUR never with a QR-IBAN
// (IG 2.4); complete addresses within their lengths; an amount of
// 0.01–999,999,999.99 or none; message and billing information within 140
// characters together; every text within the IG character set. It returns
// an EINVALID error naming every refused field.
func (b *QRBill) Validate() error {
	var c fieldChecker
	qrIBAN := IsQRIBAN(b.IBAN)
	switch {
	case !ValidIBAN(b.IBAN):
		c.add("iban", "is not a valid IBAN (check digits do not match)")
	case !QRBillIBAN(b.IBAN):
		c.add("iban", "must be a Swiss (CH) or Liechtenstein (LI) IBAN")
	}
	c.party("creditor", b.Creditor)
	if b.HasAmount && (b.Amount < 1 || b.Amount > MaxMoney) {
		c.add("amount", "must be between 0.01 and 999999999.99")
	}
	switch {
	case !ValidCurrency(b.Currency):
		c.add("currency", "must be CHF or EUR")
	case b.Currency == EUR && qrIBAN:
		c.add("currency", "EUR bills take an IBAN with a creditor reference or none; QR-IBANs and QR references are for CHF only (IG 2.4)")
	}
	if b.Debtor != nil {
		c.party("debtor", *b.Debtor)
	}
	switch t := b.ReferenceType(); {
	case t == "":
		c.add("reference", "must be a QR reference (27 digits) or a creditor reference (RF…)")
	case qrIBAN && t != RefQRR:
		c.add("reference", "a QR-IBAN takes a QR reference only")
	case !qrIBAN && t == RefQRR:
		c.add("reference", "a QR reference needs a QR-IBAN")
	}
	c.text("message", b.Message, false, qrMessageMax)
	if bi := b.BillingInformation; bi != "" {
		if !strings.HasPrefix(bi, "//") {
			c.add("billing_information", "must start with //")
		}
		c.text("billing_information", bi, false, qrMessageMax)
	}
	if utf8.RuneCountInString(b.Message)+utf8.RuneCountInString(b.BillingInformation) > qrMessageMax {
		c.add("message", "message and billing information must be at most 140 characters together")
	}
	if len(b.AlternativeSchemes) > 2 {
		c.add("alternative_schemes", "must have at most 2 items")
	}
	for i, a := range b.AlternativeSchemes {
		c.text(fmt.Sprintf("alternative_schemes[%d]", i), a, true, qrAltMax)
	}
	return c.err()
}

// Payload returns the text the QR code encodes, line by line as IG 2.3
// section 4.2 lists them, separated by LF with nothing after the last line:
// SPC, 0200, 1, IBAN, the creditor (S, name, street, building number,
// postcode, town, country), seven empty lines for the ultimate creditor, the
// amount (1949.75, or empty), the currency, the debtor (S… or seven empty
// lines), the reference type and reference, the message, EPD, and, when
// present, the billing information and alternative schemes.
func (b *QRBill) Payload() (string, error) {
	if err := b.Validate(); err != nil {
		return "", err
	}
	lines := make([]string, 0, 34)
	lines = append(lines, "SPC", "0200", "1", compact(b.IBAN))
	lines = append(lines, partyLines(&b.Creditor)...)
	lines = append(lines, "", "", "", "", "", "", "") // ultimate creditor: reserved
	amount := ""
	if b.HasAmount {
		amount = b.Amount.String()
	}
	lines = append(lines, amount, b.Currency)
	lines = append(lines, partyLines(b.Debtor)...)
	lines = append(lines, b.ReferenceType(), compact(b.Reference), b.Message, "EPD")
	if b.BillingInformation != "" || len(b.AlternativeSchemes) > 0 {
		lines = append(lines, b.BillingInformation)
		lines = append(lines, b.AlternativeSchemes...)
	}
	p := strings.Join(lines, "\n")
	if n := utf8.RuneCountInString(p); n > qrPayloadMax || len(p) > qrPayloadMaxBytes {
		return "", Invalid("message", fmt.Sprintf("the QR code would hold %d characters in %d bytes; at most %d characters in %d bytes fit", n, len(p), qrPayloadMax, qrPayloadMaxBytes))
	}
	return p, nil
}

// partyLines returns the seven payload lines of an address of type S, or
// seven empty lines for none.
func partyLines(p *Party) []string {
	if p == nil {
		return []string{"", "", "", "", "", "", ""}
	}
	return []string{"S", p.Name, p.Street, p.BuildingNumber, p.PostalCode, p.City, p.Country}
}

// FormatQRAmount writes an amount as a QR-bill prints it: a space between
// thousands and two decimals ("1 949.75").
func FormatQRAmount(m Money) string {
	s := m.String()
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + frac
}
