package billbridge_test

import (
	"testing"

	"billbridge"
)

// Vectors from manuelbl/SwissQRBill (IBANTest, QRReferenceTest,
// ISO11649Test) and ledger-features.md.

func TestValidIBAN(t *testing.T) {
	for iban, want := range map[string]bool{
		"FR7630066100410001057380116":       true,
		"FR76 3006 6100 4100 0105 7380 116": true,
		" DE12500105170648489890 ":          true,
		"MT98mmeb44093000000009027293051":   true,
		"CH5800791123000889012":             true,
		"CH4431999123000889012":             true,
		"CH4431999123000889013":             false, // one digit off
		"CH04":                              false,
		"CH 04":                             false,
		"SE64-1200-0000-0121-7014-5230":     false,
		"0K9311110000001057361004":          false,
		"S 056031001001300933":              false,
		" GBF2ESSE40486562136016":           false,
		"FR7A30066100410001057380116":       false,
		"DK5650510001322617":                false,
		"":                                  false,
	} {
		if got := billbridge.ValidIBAN(iban); got != want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", iban, got, want)
		}
	}
}

func TestQRBillIBANAndQRIBAN(t *testing.T) {
	for _, c := range []struct {
		iban     string
		bill, qr bool
	}{
		{"CH5800791123000889012", true, false},
		{"CH44 3199 9123 0008 8901 2", true, true},
		{"CH3709000000304442225", true, false},
		{"LI21 0881 0000 2324 013A A", true, false},
		{"FR7630066100410001057380116", false, false}, // valid, not CH/LI
		{"DE12500105170648489890", false, false},
		{"CH4431999123000889013", false, false}, // bad check digits
	} {
		if got := billbridge.QRBillIBAN(c.iban); got != c.bill {
			t.Errorf("QRBillIBAN(%q) = %v, want %v", c.iban, got, c.bill)
		}
		if got := billbridge.IsQRIBAN(c.iban); got != c.qr {
			t.Errorf("IsQRIBAN(%q) = %v, want %v", c.iban, got, c.qr)
		}
	}
	if got := billbridge.FormatIBAN("CH4431999123000889012"); got != "CH44 3199 9123 0008 8901 2" {
		t.Errorf("FormatIBAN = %q", got)
	}
	if got := billbridge.FormatIBAN("IT68D0300203280000400162854"); got != "IT68 D030 0203 2800 0040 0162 854" {
		t.Errorf("FormatIBAN = %q", got)
	}
}

func TestQRReference(t *testing.T) {
	for ref, want := range map[string]bool{
		"210000000003139471430009017":      true,
		"21 00000 00003 13947 14300 09017": true,
		"2100000003139471430009017":        false, // too short
		"210000S00003139471430009017":      false,
		"210000000%03139471430009017":      false,
		"210000000003139471430009016":      false, // check digit
		"000000000000000000000000000":      false, // all zeros
		"00 00000 00000 00000 00000 00000": false,
	} {
		if got := billbridge.ValidQRReference(ref); got != want {
			t.Errorf("ValidQRReference(%q) = %v, want %v", ref, got, want)
		}
	}
	for in, want := range map[string]string{"123456": "000000000000000000001234565", "  12 3456 ": "000000000000000000001234565"} {
		got, err := billbridge.NewQRReference(in)
		if err != nil || got != want {
			t.Errorf("NewQRReference(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"1134a56", "123456789012345678901234567", "", "000"} {
		if got, err := billbridge.NewQRReference(in); err == nil {
			t.Errorf("NewQRReference(%q) = %q, want an error", in, got)
		}
	}
	if got := billbridge.FormatQRReference("123456000000001291146290514"); got != "12 34560 00000 00129 11462 90514" {
		t.Errorf("FormatQRReference = %q", got)
	}
}

func TestCreditorReference(t *testing.T) {
	for ref, want := range map[string]bool{
		"RF49N73GBST73AKL38ZX":             true,
		"RF08 B370 0321":                   true,
		"RF 44 all lower case":             true,
		" RF19N8BG33KQ9HSS7BG ":            true,
		"RF66qs9H7NJ4fvs99SPO":             true,
		"RF040":                            true,
		"RF18539007547034":                 true,
		"RF04":                             false,
		"RF 04":                            false,
		"RF04GHJ74CV9B4DFH99RXPLMMQ43JKL0": false,
		"RF20.0000.3":                      false,
		"DK5750510001322617":               false,
		" RO49AAAA1B31007593840000":        false,
		" RFA8FN3DD938494":                 false,
		"RF0CNHF":                          false,
		"RF43029348BDEF3823":               false,
		"RF0072":                           false,
		"RF0154":                           false,
		"RF991X":                           false,
		"RF720191230100405JSH0438":         false, // the IG annex example that fails mod 97
	} {
		if got := billbridge.ValidCreditorReference(ref); got != want {
			t.Errorf("ValidCreditorReference(%q) = %v, want %v", ref, got, want)
		}
	}
	for in, want := range map[string]string{"B334BOPQE39D902DC": "RF91B334BOPQE39D902DC", "7": "RF097", "inv000042": "RF29INV000042"} {
		got, err := billbridge.NewCreditorReference(in)
		if err != nil || got != want {
			t.Errorf("NewCreditorReference(%q) = %q, %v; want %q", in, got, err, want)
		}
		if !billbridge.ValidCreditorReference(got) {
			t.Errorf("NewCreditorReference(%q) = %q is not valid", in, got)
		}
	}
	for _, in := range []string{"", "ABC-DEF", "1234567890123456789012"} {
		if got, err := billbridge.NewCreditorReference(in); err == nil {
			t.Errorf("NewCreditorReference(%q) = %q, want an error", in, got)
		}
	}
	for in, want := range map[string]string{"RF15093": "RF15 093", "RF41BD93DJ3QGGD9JI22D": "RF41 BD93 DJ3Q GGD9 JI22 D"} {
		if got := billbridge.FormatCreditorReference(in); got != want {
			t.Errorf("FormatCreditorReference(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReferenceType(t *testing.T) {
	for ref, want := range map[string]string{
		"": billbridge.RefNON, "210000000003139471430009017": billbridge.RefQRR,
		"RF18539007547034": billbridge.RefSCOR, "RF18539007547035": "", "12345": "",
	} {
		if got := billbridge.ReferenceType(ref); got != want {
			t.Errorf("ReferenceType(%q) = %q, want %q", ref, got, want)
		}
	}
	if got := billbridge.NormalizeReference(" rf18 5390 0754 7034 "); got != "RF18539007547034" {
		t.Errorf("NormalizeReference = %q", got)
	}
}

// FuzzReferences: the validators never panic, and whatever the builders
// accept comes out valid.
//
//	go test -run '^$' -fuzz FuzzReferences -fuzztime 30s .
func FuzzReferences(f *testing.F) {
	for _, s := range []string{"123456", "B334BOPQE39D902DC", "RF18539007547034", "CH4431999123000889012", "", "ü", "RF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		billbridge.ValidIBAN(s)
		billbridge.IsQRIBAN(s)
		billbridge.ValidQRReference(s)
		billbridge.ValidCreditorReference(s)
		billbridge.UIDDigits(s)
		if ref, err := billbridge.NewQRReference(s); err == nil && !billbridge.ValidQRReference(ref) {
			t.Fatalf("NewQRReference(%q) = %q, not valid", s, ref)
		}
		if ref, err := billbridge.NewCreditorReference(s); err == nil && !billbridge.ValidCreditorReference(ref) {
			t.Fatalf("NewCreditorReference(%q) = %q, not valid", s, ref)
		}
	})
}
