package billbridge_test

import (
	"strings"
	"testing"

	"billbridge"
)

// schneider is the creditor of manuelbl/SwissQRBill's SampleQrCodeText.
var schneider = billbridge.Party{Name: "Robert Schneider AG", Address: billbridge.Address{
	Street: "Rue du Lac", BuildingNumber: "1268", PostalCode: "2501", City: "Biel", Country: "CH"}}

// TestPayloadMatchesSamples builds samples 1 to 3 of manuelbl's
// SampleQrCodeText.java (4 and 5 use combined addresses, which IG 2.3 no
// longer allows) and compares them line by line.
func TestPayloadMatchesSamples(t *testing.T) {
	samples := []struct {
		name  string
		bill  billbridge.QRBill
		lines []string
	}{{
		name: "1: IBAN, NON, amount, debtor",
		bill: billbridge.QRBill{IBAN: "CH58 0079 1123 0008 8901 2", Creditor: schneider, Amount: 394975, HasAmount: true, Currency: "CHF",
			Debtor:  &billbridge.Party{Name: "Pia Rutschmann", Address: billbridge.Address{Street: "Marktgasse", BuildingNumber: "28", PostalCode: "9400", City: "Rorschach", Country: "CH"}},
			Message: "Bill no. 3139 for gardening work and disposal of waste material"},
		lines: []string{"SPC", "0200", "1", "CH5800791123000889012", "S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH",
			"", "", "", "", "", "", "", "3949.75", "CHF", "S", "Pia Rutschmann", "Marktgasse", "28", "9400", "Rorschach", "CH",
			"NON", "", "Bill no. 3139 for gardening work and disposal of waste material", "EPD"},
	}, {
		name: "2: QR-IBAN, QRR, billing information, alternative schemes",
		bill: billbridge.QRBill{IBAN: "CH4431999123000889012", Creditor: schneider, Amount: 194975, HasAmount: true, Currency: "CHF",
			Debtor:    &billbridge.Party{Name: "Pia-Maria Rutschmann-Schnyder", Address: billbridge.Address{Street: "Grosse Marktgasse", BuildingNumber: "28", PostalCode: "9400", City: "Rorschach", Country: "CH"}},
			Reference: "210000000003139471430009017", Message: "Order dated 18.06.2020",
			BillingInformation: "//S1/01/20170309/11/10201409/20/14000000/22/36958/30/CH106017086/40/1020/41/3010",
			AlternativeSchemes: []string{"UV;UltraPay005;12345", "XY;XYService;54321"}},
		lines: []string{"SPC", "0200", "1", "CH4431999123000889012", "S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH",
			"", "", "", "", "", "", "", "1949.75", "CHF", "S", "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH",
			"QRR", "210000000003139471430009017", "Order dated 18.06.2020", "EPD",
			"//S1/01/20170309/11/10201409/20/14000000/22/36958/30/CH106017086/40/1020/41/3010", "UV;UltraPay005;12345", "XY;XYService;54321"},
	}, {
		name: "3: no amount, no debtor, creditor without street",
		bill: billbridge.QRBill{IBAN: "CH37 0900 0000 3044 4222 5", Currency: "CHF", Message: "Donnation to the Winterfest campaign",
			Creditor: billbridge.Party{Name: "Salvation Army Foundation Switzerland", Address: billbridge.Address{PostalCode: "3000", City: "Bern", Country: "CH"}}},
		lines: []string{"SPC", "0200", "1", "CH3709000000304442225", "S", "Salvation Army Foundation Switzerland", "", "", "3000", "Bern", "CH",
			"", "", "", "", "", "", "", "", "CHF", "", "", "", "", "", "", "", "NON", "", "Donnation to the Winterfest campaign", "EPD"},
	}, {
		name: "SCOR in EUR with billing information only",
		bill: billbridge.QRBill{IBAN: "CH5800791123000889012", Creditor: schneider, Amount: 50, HasAmount: true, Currency: "EUR",
			Reference: "RF18 5390 0754 7034", BillingInformation: "//S1/10/X.66711\\/8824"},
		lines: []string{"SPC", "0200", "1", "CH5800791123000889012", "S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH",
			"", "", "", "", "", "", "", "0.50", "EUR", "", "", "", "", "", "", "", "SCOR", "RF18539007547034", "", "EPD", "//S1/10/X.66711\\/8824"},
	}}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			got, err := s.bill.Payload()
			if err != nil {
				t.Fatal(err)
			}
			gotLines := strings.Split(got, "\n")
			if len(gotLines) != len(s.lines) {
				t.Fatalf("%d lines, want %d:\n%s", len(gotLines), len(s.lines), got)
			}
			for i := range s.lines {
				if gotLines[i] != s.lines[i] {
					t.Errorf("line %d = %q, want %q", i+1, gotLines[i], s.lines[i])
				}
			}
			if strings.HasSuffix(got, "\n") {
				t.Error("the payload ends with a line break")
			}
		})
	}
}

func TestQRCharset(t *testing.T) {
	// manuelbl's SPSCharacterSetTest: Extended Latin.
	for _, r := range "Ab3%{®ÒæĂĶŔț€ \u00a0~ÿſȘ" {
		if !billbridge.InQRCharset(r) {
			t.Errorf("%q (U+%04X) should be in the set", r, r)
		}
	}
	for _, r := range "\n\r\t\u007f\u0083ƉǑȐȞ😀中\u200b" {
		if billbridge.InQRCharset(r) {
			t.Errorf("%q (U+%04X) should not be in the set", r, r)
		}
	}
}

// TestBillRefusals: every IG rule the builder enforces names its field.
func TestBillRefusals(t *testing.T) {
	ok := func() billbridge.QRBill {
		return billbridge.QRBill{IBAN: "CH5800791123000889012", Creditor: schneider, Amount: 100, HasAmount: true, Currency: "CHF"}
	}
	cases := []struct {
		name, field string
		edit        func(b *billbridge.QRBill)
	}{
		{"bad check digits", "iban", func(b *billbridge.QRBill) { b.IBAN = "CH5800791123000889013" }},
		{"not CH or LI", "iban", func(b *billbridge.QRBill) { b.IBAN = "DE12500105170648489890" }},
		{"QR-IBAN without QRR", "reference", func(b *billbridge.QRBill) { b.IBAN = "CH4431999123000889012" }},
		{"QRR without QR-IBAN", "reference", func(b *billbridge.QRBill) { b.Reference = "210000000003139471430009017" }},
		{"EUR with QRR (IG 2.4)", "currency", func(b *billbridge.QRBill) {
			b.IBAN, b.Reference, b.Currency = "CH4431999123000889012", "210000000003139471430009017", "EUR"
		}},
		{"bad reference", "reference", func(b *billbridge.QRBill) { b.Reference = "RF18539007547035" }},
		{"zero amount", "amount", func(b *billbridge.QRBill) { b.Amount = 0 }},
		{"amount too large", "amount", func(b *billbridge.QRBill) { b.Amount = billbridge.MaxMoney + 1 }},
		{"currency", "currency", func(b *billbridge.QRBill) { b.Currency = "USD" }},
		{"creditor name missing", "creditor.name", func(b *billbridge.QRBill) { b.Creditor.Name = "" }},
		{"creditor name too long", "creditor.name", func(b *billbridge.QRBill) { b.Creditor.Name = strings.Repeat("a", 71) }},
		{"creditor emoji", "creditor.street", func(b *billbridge.QRBill) { b.Creditor.Street = "Rue 😀" }},
		{"creditor town missing", "creditor.city", func(b *billbridge.QRBill) { b.Creditor.City = "" }},
		{"creditor country", "creditor.country", func(b *billbridge.QRBill) { b.Creditor.Country = "Schweiz" }},
		{"debtor postcode", "debtor.postal_code", func(b *billbridge.QRBill) {
			b.Debtor = &billbridge.Party{Name: "X", Address: billbridge.Address{City: "Bern", Country: "CH"}}
		}},
		{"message too long", "message", func(b *billbridge.QRBill) { b.Message = strings.Repeat("m", 141) }},
		{"message and billing too long", "message", func(b *billbridge.QRBill) {
			b.Message, b.BillingInformation = strings.Repeat("m", 100), "//S1/10/"+strings.Repeat("1", 40)
		}},
		{"billing information syntax", "billing_information", func(b *billbridge.QRBill) { b.BillingInformation = "S1/10/1" }},
		{"message control character", "message", func(b *billbridge.QRBill) { b.Message = "a\nb" }},
		{"three alternative schemes", "alternative_schemes", func(b *billbridge.QRBill) { b.AlternativeSchemes = []string{"a", "b", "c"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := ok()
			c.edit(&b)
			_, err := b.Payload()
			if billbridge.ErrorCode(err) != billbridge.EINVALID {
				t.Fatalf("err = %v, want %s", err, billbridge.EINVALID)
			}
			if !hasField(err, c.field) {
				t.Fatalf("err = %v, want field %s", err, c.field)
			}
		})
	}
	b := ok()
	if _, err := b.Payload(); err != nil {
		t.Fatalf("the base bill is refused: %v", err)
	}
}

func hasField(err error, name string) bool {
	e, ok := err.(*billbridge.Error)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

func TestFormatQRAmount(t *testing.T) {
	for m, want := range map[billbridge.Money]string{194975: "1 949.75", 1: "0.01", 99999999999: "999 999 999.99", 100000: "1 000.00", 12345: "123.45"} {
		if got := billbridge.FormatQRAmount(m); got != want {
			t.Errorf("FormatQRAmount(%d) = %q, want %q", m, got, want)
		}
	}
}
