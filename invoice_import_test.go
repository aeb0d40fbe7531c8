package billbridge_test

import (
	"strings"
	"testing"

	"billbridge"
)

func TestImportDecimal(t *testing.T) {
	for in, want := range map[string]int64{
		"1234.50": 123450, "1'234.50": 123450, "1’234.50": 123450, "1 234,50": 123450, "1.234,50": 123450,
		"1,234.50": 123450, "1234,5": 123450, "CHF 1'234.50": 123450, "8.1 %": 810, "Fr. 12": 1200, " 0 ": 0, "-5,25": -525,
	} {
		if got, err := billbridge.ImportDecimal(in, 2); err != nil || got != want {
			t.Errorf("ImportDecimal(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "zwei", "1,2,3", "1.2.3", "12.345", "1e3", "--1", "CHF"} {
		if got, err := billbridge.ImportDecimal(in, 2); err == nil {
			t.Errorf("ImportDecimal(%q) = %d, want an error", in, got)
		}
	}
}

func TestImportInvoiceStatus(t *testing.T) {
	for in, want := range map[string]string{
		"": "draft", "Entwurf": "draft", "brouillon": "draft", "open": "open", "offen": "open", "Überfällig": "open",
		"ouverte": "open", "partially_paid": "open", "bezahlt": "paid", "Payée": "paid", "PAID": "paid",
	} {
		if got, ok := billbridge.ImportInvoiceStatus(in); !ok || got != want {
			t.Errorf("ImportInvoiceStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"cancelled", "storniert", "annulée", "maybe"} {
		if got, ok := billbridge.ImportInvoiceStatus(in); ok {
			t.Errorf("ImportInvoiceStatus(%q) = %q, want refused", in, got)
		}
	}
}

func TestInvoiceImportField(t *testing.T) {
	for header, want := range map[string]string{
		"Rechnungsnummer": "number", "Numéro de facture": "number", "Kundennummer": "customer_number", "Menge": "quantity",
		"Prix unitaire": "unit_price", "MWST-Satz": "vat_rate", "Taux TVA": "vat_rate", "Bezahlt am": "paid_at", "unit_price": "unit_price",
		"Externe Kunden-ID": "customer_external_id", "Total": "", "MWST": "", "MWST %": "", "TVA": "", "VAT": "", "Fällig am": "",
	} {
		if got := billbridge.InvoiceImportField(header); got != want {
			t.Errorf("InvoiceImportField(%q) = %q, want %q", header, got, want)
		}
	}
}

// FuzzImportDecimal: whatever a cell holds, ImportDecimal never panics, and
// a value it reads prints back (FormatDecimal) to text it reads the same.
func FuzzImportDecimal(f *testing.F) {
	for _, s := range []string{"1'234.50", "1.234,50", "CHF 12", "8.1 %", "1,2,3", "", "-0,5", "’", "1\u00a0000,00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := billbridge.ImportDecimal(s, 2)
		if err != nil {
			return
		}
		text := billbridge.FormatDecimal(v, 2)
		if back, err := billbridge.ImportDecimal(text, 2); err != nil || back != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, text, back, err)
		}
		if strings.ContainsAny(text, "',") {
			t.Fatalf("%q printed as %q", s, text)
		}
	})
}
