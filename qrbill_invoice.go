package billbridge

import "unicode/utf8"

// InvoiceQRBill returns the QR-bill of an invoice under the account's
// settings s: paid into the account for the invoice's currency, for the
// amount due now, with the invoice's payment reference, its number as the
// message and, when the settings ask, Swico S1 billing information. The
// debtor is the customer when its name and address are complete and fit
// the IG (lengths, character set); otherwise the debtor is left blank, to
// be written by hand, as IG 2.3 provides.
//
// It returns ECONFLICT when no bill can be made: no settings yet, a draft or
// cancelled invoice, nothing left to pay, an EUR invoice and only a QR-IBAN
// (IG 2.4), or a payment reference that does not suit the account's IBAN
// (the settings changed since the invoice was finalized).
func InvoiceQRBill(s *QRBillSettings, inv *Invoice, cust *Customer) (*QRBill, error) {
	switch {
	case s == nil:
		return nil, Errorf(ECONFLICT, "The account has no QR-bill settings yet: set them with PUT /v1/settings/qr-bill.")
	case inv.Status == StatusDraft:
		return nil, Errorf(ECONFLICT, "A draft invoice has no QR-bill; finalize it first.")
	case inv.Status == StatusCancelled:
		return nil, Errorf(ECONFLICT, "The invoice is cancelled; it has no QR-bill.")
	case inv.AmountDueNow() <= 0:
		return nil, Errorf(ECONFLICT, "The invoice is paid; nothing is left to pay with a QR-bill.")
	}
	iban := s.IBANFor(inv.Currency)
	if inv.Currency == EUR && IsQRIBAN(iban) {
		return nil, Errorf(ECONFLICT, "EUR bills cannot be paid into a QR-IBAN (IG 2.4): set eur_iban in the QR-bill settings.")
	}
	switch t := ReferenceType(inv.PaymentReference); {
	case IsQRIBAN(iban) && t != RefQRR:
		return nil, Errorf(ECONFLICT, "The account's IBAN is a QR-IBAN, which takes QR references only, but invoice %s has the payment reference %q.", inv.Number, inv.PaymentReference)
	case !IsQRIBAN(iban) && t == RefQRR:
		return nil, Errorf(ECONFLICT, "Invoice %s has a QR reference, which needs a QR-IBAN, but the account's IBAN is not one.", inv.Number)
	}
	b := &QRBill{
		IBAN: iban, Creditor: s.Creditor, Amount: inv.AmountDueNow(), HasAmount: true, Currency: inv.Currency,
		Debtor: debtorOf(cust), Reference: inv.PaymentReference, Message: inv.Number,
	}
	if s.BillingInformation {
		b.BillingInformation = swicoOf(s, inv, qrMessageMax-utf8.RuneCountInString(b.Message))
	}
	// Long names in two-byte letters can overfill the QR code: the billing
	// information goes first, then the debtor (left blank, as IG allows).
	for _, drop := range []func(){func() { b.BillingInformation = "" }, func() { b.Debtor = nil }, nil} {
		_, err := b.Payload()
		if err == nil {
			return b, nil
		}
		if drop == nil || b.Validate() != nil {
			return nil, err
		}
		drop()
	}
	return b, nil
}

// debtorOf returns the customer as the debtor of a QR-bill, nil when its
// address is incomplete or does not fit the IG.
func debtorOf(cust *Customer) *Party {
	if cust == nil || cust.Address == nil {
		return nil
	}
	p := &Party{Name: cust.Name, Address: *cust.Address}
	var c fieldChecker
	c.party("debtor", *p)
	if c.err() != nil {
		return nil
	}
	return p
}

// swicoOf returns the Swico S1 billing information of an invoice in at most
// room characters: number, issue date, the customer's reference when it
// fits, the creditor's UID with the VAT rates when the account has one, and
// the payment term.
func swicoOf(s *QRBillSettings, inv *Invoice, room int) string {
	si := SwicoS1{InvoiceNumber: inv.Number, InvoiceDate: inv.IssueDate, CustomerReference: inv.Reference,
		Conditions: []PaymentCondition{{Percent: 0, Days: inv.DueInDays}}}
	if qrCharsetProblem(si.CustomerReference) != "" {
		si.CustomerReference = ""
	}
	if uid, ok := UIDDigits(s.VATNumber); ok {
		si.UID = uid
		if len(inv.VATBreakdown) == 1 {
			si.VATRate = &inv.VATBreakdown[0].Rate
		} else {
			si.VATDetails = inv.VATBreakdown
		}
	}
	text := si.String()
	if utf8.RuneCountInString(text) > room {
		si.CustomerReference = ""
		text = si.String()
	}
	if utf8.RuneCountInString(text) > room {
		return ""
	}
	return text
}
