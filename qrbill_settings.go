package billbridge

import (
	"strconv"
	"strings"
	"time"
)

// QRBillSettings are an account's settings for QR-bills (GET and PUT
// /v1/settings/qr-bill): the account paid into, the creditor printed on the
// bill, the kind of payment reference invoices get at finalize, the
// language of the slip and whether it carries Swico billing information.
type QRBillSettings struct {
	AccountID string `json:"-"`
	// IBAN is the CH or LI account (IBAN or QR-IBAN) bills are paid into, compact.
	IBAN string `json:"iban"`
	// EURIBAN is the account EUR bills are paid into, an IBAN (not a
	// QR-IBAN: IG 2.4 keeps QR references to CHF); empty to use IBAN.
	EURIBAN  string `json:"eur_iban"`
	Creditor Party  `json:"creditor"`
	// ReferenceType is qrr, scor or non.
	ReferenceType string `json:"reference_type"`
	// QRRPrefix starts every QR reference (some banks give a customer id).
	QRRPrefix string `json:"qrr_prefix"`
	// Language of the slip and the invoice PDF: de, fr, it or en.
	Language string `json:"language"`
	// BillingInformation adds Swico S1 billing information to every bill.
	BillingInformation bool `json:"billing_information"`
	// VATNumber is the creditor's UID (CHE-123.456.789 MWST), printed on
	// the invoice and written into the billing information.
	VATNumber string    `json:"vat_number"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Reference types of QRBillSettings, as the API writes them.
const (
	ReferenceQRR  = "qrr"
	ReferenceSCOR = "scor"
	ReferenceNON  = "non"
)

// ReferenceTypes lists the values reference_type accepts.
var ReferenceTypes = []string{ReferenceQRR, ReferenceSCOR, ReferenceNON}

// Languages lists the languages of QR-bills and invoice PDFs.
var Languages = []string{"de", "fr", "it", "en"}

// QRRPrefixMax is the longest qrr_prefix: ten digits stay for the invoice
// number, so references of one account never collide, whatever prefixes
// it used before.
const QRRPrefixMax = 16

// Normalize writes IBANs compact and upper-case, the country upper-case,
// and sets the default language (de).
func (s *QRBillSettings) Normalize() {
	s.IBAN, s.EURIBAN = NormalizeIBAN(s.IBAN), NormalizeIBAN(s.EURIBAN)
	s.QRRPrefix = compact(s.QRRPrefix)
	s.Creditor.Country = strings.ToUpper(s.Creditor.Country)
	if s.Language == "" {
		s.Language = "de"
	}
}

// Validate checks the whole settings object and returns an EINVALID error
// naming every refused field: an IBAN whose check digits fail, one not of CH
// or LI, a QR-IBAN without reference_type qrr or qrr without a QR-IBAN, a
// QR-IBAN as eur_iban (EUR takes no QR reference), a qrr_prefix that is not
// digits or too long, a creditor address incomplete, too long or holding
// characters outside the IG character set (never replaced silently).
func (s *QRBillSettings) Validate() error {
	var c fieldChecker
	checkIBAN := func(name, iban string) {
		switch {
		case !ValidIBAN(iban):
			c.add(name, "is not a valid IBAN (check digits do not match)")
		case !QRBillIBAN(iban):
			c.add(name, "must be a Swiss (CH) or Liechtenstein (LI) IBAN")
		}
	}
	if s.IBAN == "" {
		c.add("iban", "is required")
	} else {
		checkIBAN("iban", s.IBAN)
	}
	if s.EURIBAN != "" {
		checkIBAN("eur_iban", s.EURIBAN)
		if IsQRIBAN(s.EURIBAN) {
			c.add("eur_iban", "must not be a QR-IBAN: EUR bills take a creditor reference or none (IG 2.4)")
		}
	}
	c.party("creditor", s.Creditor)
	qr := IsQRIBAN(s.IBAN)
	switch s.ReferenceType {
	case ReferenceQRR:
		if !qr && QRBillIBAN(s.IBAN) {
			c.add("reference_type", "qrr needs a QR-IBAN (institution id 30000–31999); use scor or non with this IBAN")
		}
	case ReferenceSCOR, ReferenceNON:
		if qr {
			c.add("reference_type", "a QR-IBAN takes QR references only: use qrr")
		}
	default:
		c.add("reference_type", "must be one of: qrr, scor, non")
	}
	switch {
	case s.QRRPrefix == "":
	case s.ReferenceType != ReferenceQRR:
		c.add("qrr_prefix", "is used with reference_type qrr only; leave it empty")
	case !digits(s.QRRPrefix):
		c.add("qrr_prefix", "must hold digits only")
	case len(s.QRRPrefix) > QRRPrefixMax:
		c.add("qrr_prefix", "must be at most "+strconv.Itoa(QRRPrefixMax)+" digits")
	}
	if !oneOf(s.Language, Languages) {
		c.add("language", "must be one of: de, fr, it, en")
	}
	if s.VATNumber != "" {
		if _, ok := UIDDigits(s.VATNumber); !ok {
			c.add("vat_number", "must be a Swiss UID such as CHE-123.456.789 MWST with a valid check digit")
		}
	}
	if err := c.err(); err != nil {
		err.(*Error).Message = "The QR-bill settings have invalid fields."
		return err
	}
	return nil
}

func oneOf(v string, list []string) bool {
	for _, l := range list {
		if v == l {
			return true
		}
	}
	return false
}

// PaymentReference returns the payment reference of the invoice numbered
// number (the n-th of its account) in currency under settings s: a QR
// reference (qrr_prefix, then n) for CHF with reference_type qrr, none for
// reference_type non, and otherwise a creditor reference RF… built from the
// number, "INV-000042" giving "RF…INV000042" — also when the account has no
// QR-bill settings yet (s nil), since it suits every IBAN, and for EUR,
// where QR references are not allowed. Invoice numbers are unique per
// account, and so are these references.
func (s *QRBillSettings) PaymentReference(number string, n int64, currency string) (string, error) {
	switch {
	case s != nil && s.ReferenceType == ReferenceNON:
		return "", nil
	case s.UsesSequence(currency):
		seq := strconv.FormatInt(n, 10)
		width := 26 - len(s.QRRPrefix)
		if len(seq) > width {
			return "", Errorf(ECONFLICT, "Invoice number %d does not fit a QR reference after the prefix %s.", n, s.QRRPrefix)
		}
		return NewQRReference(s.QRRPrefix + strings.Repeat("0", width-len(seq)) + seq)
	}
	body := strings.Map(func(r rune) rune {
		if r < 0x80 && alphanumeric(string(r)) {
			return r
		}
		return -1
	}, strings.ToUpper(number))
	return NewCreditorReference(body)
}

// UsesSequence reports whether an invoice's payment reference in currency
// is built from its sequence number n (a QR reference) rather than from
// its number.
func (s *QRBillSettings) UsesSequence(currency string) bool {
	return s != nil && s.ReferenceType == ReferenceQRR && currency == CHF
}

// IBANFor returns the account a bill in currency is paid into: EURIBAN for
// EUR when set, IBAN otherwise.
func (s *QRBillSettings) IBANFor(currency string) string {
	if currency == EUR && s.EURIBAN != "" {
		return s.EURIBAN
	}
	return s.IBAN
}
