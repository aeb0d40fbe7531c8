package billbridge_test

import (
	"strings"
	"testing"
	"time"

	"billbridge"
)

func settings() *billbridge.QRBillSettings {
	return &billbridge.QRBillSettings{IBAN: "CH44 3199 9123 0008 8901 2", Creditor: schneider, ReferenceType: "qrr", QRRPrefix: "310014", Language: "de"}
}

// TestSettingsRefusals: the 422 rules of PUT /v1/settings/qr-bill, each
// naming its field.
func TestSettingsRefusals(t *testing.T) {
	cases := []struct {
		name, field string
		edit        func(s *billbridge.QRBillSettings)
	}{
		{"missing IBAN", "iban", func(s *billbridge.QRBillSettings) { s.IBAN = "" }},
		{"bad IBAN check", "iban", func(s *billbridge.QRBillSettings) { s.IBAN = "CH4431999123000889013" }},
		{"IBAN not CH/LI", "iban", func(s *billbridge.QRBillSettings) {
			s.IBAN, s.ReferenceType, s.QRRPrefix = "DE12500105170648489890", "scor", ""
		}},
		{"QR-IBAN without QRR", "reference_type", func(s *billbridge.QRBillSettings) { s.ReferenceType, s.QRRPrefix = "scor", "" }},
		{"QR-IBAN with NON", "reference_type", func(s *billbridge.QRBillSettings) { s.ReferenceType, s.QRRPrefix = "non", "" }},
		{"QRR without QR-IBAN", "reference_type", func(s *billbridge.QRBillSettings) { s.IBAN = "CH5800791123000889012" }},
		{"EUR with QRR", "eur_iban", func(s *billbridge.QRBillSettings) { s.EURIBAN = "CH4431999123000889012" }},
		{"bad EUR IBAN", "eur_iban", func(s *billbridge.QRBillSettings) { s.EURIBAN = "FR7630066100410001057380116" }},
		{"unknown reference type", "reference_type", func(s *billbridge.QRBillSettings) { s.ReferenceType = "esr" }},
		{"prefix with letters", "qrr_prefix", func(s *billbridge.QRBillSettings) { s.QRRPrefix = "31A" }},
		{"prefix too long", "qrr_prefix", func(s *billbridge.QRBillSettings) { s.QRRPrefix = strings.Repeat("1", 17) }},
		{"prefix without qrr", "qrr_prefix", func(s *billbridge.QRBillSettings) { s.IBAN, s.ReferenceType = "CH5800791123000889012", "scor" }},
		{"language", "language", func(s *billbridge.QRBillSettings) { s.Language = "rm" }},
		{"creditor character outside the set", "creditor.name", func(s *billbridge.QRBillSettings) { s.Creditor.Name = "Schneider 株式会社" }},
		{"creditor street emoji", "creditor.street", func(s *billbridge.QRBillSettings) { s.Creditor.Street = "Rue du Lac 🌊" }},
		{"creditor incomplete", "creditor.postal_code", func(s *billbridge.QRBillSettings) { s.Creditor.PostalCode = "" }},
		{"UID check digit", "vat_number", func(s *billbridge.QRBillSettings) { s.VATNumber = "CHE-106.017.087" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := settings()
			c.edit(s)
			s.Normalize()
			err := s.Validate()
			if billbridge.ErrorCode(err) != billbridge.EINVALID || !hasField(err, c.field) {
				t.Fatalf("err = %v, want %s naming %s", err, billbridge.EINVALID, c.field)
			}
		})
	}
	for name, s := range map[string]*billbridge.QRBillSettings{
		"QR-IBAN with QRR": settings(),
		"IBAN with SCOR, EUR IBAN, UID, Extended Latin": {IBAN: "CH5800791123000889012", EURIBAN: "CH3709000000304442225", ReferenceType: "scor", Language: "fr",
			Creditor:  billbridge.Party{Name: "Şerban Ţăranu & Cie", Address: billbridge.Address{Street: "Chemin d'Œuf", PostalCode: "1003", City: "Lausanne", Country: "ch"}},
			VATNumber: "CHE-106.017.086 TVA"},
		"LI IBAN with NON, default language": {IBAN: "LI21 0881 0000 2324 013A A", ReferenceType: "non", Creditor: schneider},
	} {
		s.Normalize()
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPaymentReference(t *testing.T) {
	qrr := settings()
	scor := &billbridge.QRBillSettings{IBAN: "CH5800791123000889012", ReferenceType: "scor"}
	non := &billbridge.QRBillSettings{IBAN: "CH5800791123000889012", ReferenceType: "non"}
	for _, c := range []struct {
		name     string
		s        *billbridge.QRBillSettings
		currency string
		want     string
	}{
		{"qrr with prefix", qrr, "CHF", "310014000000000000000000427"},
		{"qrr, EUR: a creditor reference", qrr, "EUR", "RF29INV000042"},
		{"scor", scor, "CHF", "RF29INV000042"},
		{"non", non, "CHF", ""},
		{"no settings yet: a creditor reference", nil, "CHF", "RF29INV000042"},
	} {
		got, err := c.s.PaymentReference("INV-000042", 42, c.currency)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
		if got != "" && billbridge.ReferenceType(got) == "" {
			t.Errorf("%s: %q is no valid reference", c.name, got)
		}
	}
	noPrefix := settings()
	noPrefix.QRRPrefix = ""
	if got, _ := noPrefix.PaymentReference("INV-000001", 1, "CHF"); got != "000000000000000000000000011" {
		t.Errorf("qrr without prefix: %q", got)
	}
}

// TestQRRPrefixChangeNeverCollides: references made under one prefix never
// equal those made later (higher invoice numbers) under another, for
// prefixes of different lengths sharing leading digits.
func TestQRRPrefixChangeNeverCollides(t *testing.T) {
	seen := map[string]string{}
	n := int64(0)
	for _, prefix := range []string{"", "31", "310", "3100", "31", "3", "0000000000000000", "1"} {
		s := settings()
		s.QRRPrefix = prefix
		for i := 0; i < 50; i++ {
			n++
			ref, err := s.PaymentReference(billbridge.InvoiceNumber(n), n, "CHF")
			if err != nil {
				t.Fatal(err)
			}
			if other, dup := seen[ref]; dup {
				t.Fatalf("prefix %q invoice %d: %s already made by %s", prefix, n, ref, other)
			}
			seen[ref] = prefix
		}
	}
}

func finalized() (*billbridge.Invoice, *billbridge.Customer) {
	inv := &billbridge.Invoice{Status: billbridge.StatusDraft, Currency: "CHF", DueInDays: 30, Reference: "PO 4711/B",
		Items: []billbridge.LineItem{{Quantity: 1000, UnitPrice: 100000, VATRate: 810}, {Quantity: 2000, UnitPrice: 5000, VATRate: 260}}}
	_ = inv.ComputeTotals()
	_ = inv.Finalize("INV-000042", time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC), time.UTC)
	cust := &billbridge.Customer{Name: "Pia Rutschmann", Address: &billbridge.Address{Street: "Marktgasse", BuildingNumber: "28", PostalCode: "9400", City: "Rorschach", Country: "CH"}}
	return inv, cust
}

func TestInvoiceQRBill(t *testing.T) {
	s := settings()
	s.BillingInformation, s.VATNumber = true, "CHE-106.017.086 MWST"
	inv, cust := finalized()
	if err := inv.AssignPaymentReference(s, 42); err != nil {
		t.Fatal(err)
	}
	b, err := billbridge.InvoiceQRBill(s, inv, cust)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Payload()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(p, "\n")
	// 1000.00 at 8.1 % and 100.00 at 2.6 %: 1081.00 + 102.60.
	want := map[int]string{4: "CH4431999123000889012", 19: "1183.60", 20: "CHF", 22: "Pia Rutschmann", 28: "QRR", 29: "310014000000000000000000427", 30: "INV-000042",
		32: `//S1/10/INV-000042/11/261203/20/PO 4711\/B/30/106017086/32/2.6:100;8.1:1000/40/0:30`}
	for n, w := range want {
		if lines[n-1] != w {
			t.Errorf("line %d = %q, want %q", n, lines[n-1], w)
		}
	}

	t.Run("debtor left blank when the address is incomplete or outside the set", func(t *testing.T) {
		for _, c := range []*billbridge.Customer{
			{Name: "No Address"},
			{Name: "No City", Address: &billbridge.Address{PostalCode: "8000", Country: "CH"}},
			{Name: "北京公司", Address: &billbridge.Address{PostalCode: "8000", City: "Zürich", Country: "CH"}},
		} {
			b, err := billbridge.InvoiceQRBill(s, inv, c)
			if err != nil || b.Debtor != nil {
				t.Errorf("%s: debtor %+v, %v", c.Name, b.Debtor, err)
			}
		}
	})
	t.Run("amount is the amount due now", func(t *testing.T) {
		inv, cust := finalized()
		_ = inv.AssignPaymentReference(s, 42)
		if _, err := inv.ApplyPayment(18360, time.Now()); err != nil {
			t.Fatal(err)
		}
		b, err := billbridge.InvoiceQRBill(s, inv, cust)
		if err != nil || b.Amount != 100000 {
			t.Fatalf("amount %s, %v", b.Amount, err)
		}
	})
	t.Run("no bill", func(t *testing.T) {
		draft := &billbridge.Invoice{Status: billbridge.StatusDraft, Currency: "CHF"}
		paid, _ := finalized()
		paid.AmountDue, paid.Status = 0, billbridge.StatusPaid
		eur, _ := finalized()
		eur.Currency = "EUR"
		_ = eur.AssignPaymentReference(s, 43)
		scorInv, _ := finalized()
		scorInv.PaymentReference = "RF29INV000042" // finalized before the account moved to a QR-IBAN
		for name, c := range map[string]struct {
			s   *billbridge.QRBillSettings
			inv *billbridge.Invoice
		}{
			"no settings": {nil, inv}, "draft": {s, draft}, "paid": {s, paid}, "EUR and a QR-IBAN only": {s, eur}, "SCOR on a QR-IBAN": {s, scorInv},
		} {
			if _, err := billbridge.InvoiceQRBill(c.s, c.inv, cust); billbridge.ErrorCode(err) != billbridge.ECONFLICT {
				t.Errorf("%s: err = %v, want conflict", name, err)
			}
		}
		s2 := *s
		s2.EURIBAN = "CH5800791123000889012"
		b, err := billbridge.InvoiceQRBill(&s2, eur, cust)
		if err != nil || b.IBAN != "CH5800791123000889012" || b.ReferenceType() != billbridge.RefSCOR {
			t.Errorf("EUR with eur_iban: %+v, %v", b, err)
		}
	})
}

// TestInvoiceQRBillFitsTheSymbol: names at their longest in two-byte
// letters overfill a version-25 QR code; the bill drops the billing
// information, then the debtor, and stays within 996 bytes.
func TestInvoiceQRBillFitsTheSymbol(t *testing.T) {
	long := func(n int) string { return strings.Repeat("Ä", n) }
	s := settings()
	s.BillingInformation, s.VATNumber = true, "CHE-106.017.086"
	s.Creditor = billbridge.Party{Name: long(70), Address: billbridge.Address{Street: long(70), BuildingNumber: long(16), PostalCode: long(16), City: long(35), Country: "CH"}}
	inv, _ := finalized()
	inv.Reference = long(40)
	_ = inv.AssignPaymentReference(s, 42)
	cust := &billbridge.Customer{Name: long(70), Address: &billbridge.Address{Street: long(70), BuildingNumber: long(16), PostalCode: long(16), City: long(35), Country: "CH"}}
	b, err := billbridge.InvoiceQRBill(s, inv, cust)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Payload()
	if err != nil || len(p) > 996 {
		t.Fatalf("%d bytes, %v", len(p), err)
	}
	if b.BillingInformation != "" {
		t.Errorf("billing information kept: %q", b.BillingInformation)
	}
	full := *b
	full.BillingInformation = "//S1/10/" + long(60)
	if _, err := full.Payload(); billbridge.ErrorCode(err) != billbridge.EINVALID {
		t.Errorf("a payload over 996 bytes: %v", err)
	}
}
