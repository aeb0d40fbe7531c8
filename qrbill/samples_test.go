package qrbill_test

import (
	"strings"
	"time"

	"billbridge"
)

// The test corpus: bills and invoices in every shape the product makes.

// fixedTime dates every rendered sample.
var fixedTime = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

var schneider = billbridge.Party{Name: "Robert Schneider AG", Address: billbridge.Address{
	Street: "Rue du Lac", BuildingNumber: "1268", PostalCode: "2501", City: "Biel", Country: "CH"}}

var rutschmann = &billbridge.Party{Name: "Pia-Maria Rutschmann-Schnyder", Address: billbridge.Address{
	Street: "Grosse Marktgasse", BuildingNumber: "28", PostalCode: "9400", City: "Rorschach", Country: "CH"}}

// sampleBill is a named bill and the language it is drawn in.
type sampleBill struct {
	name string
	lang string
	bill *billbridge.QRBill
}

func sampleBills() []sampleBill {
	qrr, _ := billbridge.NewQRReference("31001400000000000000000042")
	scor, _ := billbridge.NewCreditorReference("INV000123")
	return []sampleBill{
		{"qrr-de", "de", &billbridge.QRBill{IBAN: "CH4431999123000889012", Creditor: schneider, Amount: 194975, HasAmount: true, Currency: "CHF",
			Debtor: rutschmann, Reference: "210000000003139471430009017", Message: "Order dated 18.06.2020",
			BillingInformation: "//S1/10/10201409/11/190512/20/1400.000-53/30/106017086/31/180508/32/7.7/40/2:10;0:30"}},
		{"scor-fr-eur", "fr", &billbridge.QRBill{IBAN: "CH5800791123000889012", Creditor: schneider, Amount: 50, HasAmount: true, Currency: "EUR",
			Reference: "RF18539007547034", Message: "Facture 48390, 10 € de réduction"}},
		{"non-it-no-debtor", "it", &billbridge.QRBill{IBAN: "CH3709000000304442225", Currency: "CHF", Amount: 99999999999, HasAmount: true,
			Creditor: billbridge.Party{Name: "Salvation Army Foundation Switzerland", Address: billbridge.Address{PostalCode: "3000", City: "Bern", Country: "CH"}},
			Message:  "Donnation to the Winterfest campaign"}},
		{"open-amount-en", "en", &billbridge.QRBill{IBAN: "CH5800791123000889012", Creditor: schneider, Currency: "CHF", Debtor: rutschmann}},
		{"extended-latin-foreign", "de", &billbridge.QRBill{IBAN: "LI21088100002324013AA", Amount: 123456, HasAmount: true, Currency: "CHF",
			Creditor: billbridge.Party{Name: "Ţăranu & Fils Sàrl", Address: billbridge.Address{Street: "Chemin de l'Œuf", BuildingNumber: "7b",
				PostalCode: "9490", City: "Vaduz", Country: "LI"}},
			Debtor: &billbridge.Party{Name: "Şerban Łukasz Ørsted-Ýmir", Address: billbridge.Address{Street: "Ulica Świętokrzyska", BuildingNumber: "12/4",
				PostalCode: "00-916", City: "Warszawa", Country: "PL"}},
			Reference: scor, Message: "Ärger über Größe? ½ € - ¿Qué? ÀÉÎÕÜ ſ ș ț"}},
		{"longest", "fr", &billbridge.QRBill{IBAN: "CH4431999123000889012", Amount: 99999999999, HasAmount: true, Currency: "CHF",
			Creditor: billbridge.Party{Name: strings.Repeat("Ä", 70), Address: billbridge.Address{Street: strings.Repeat("S", 70), BuildingNumber: strings.Repeat("9", 16),
				PostalCode: strings.Repeat("1", 16), City: strings.Repeat("T", 35), Country: "CH"}},
			Debtor: &billbridge.Party{Name: strings.Repeat("D", 70), Address: billbridge.Address{Street: strings.Repeat("é", 70), BuildingNumber: strings.Repeat("1", 16),
				PostalCode: strings.Repeat("2", 16), City: strings.Repeat("Z", 35), Country: "DE"}},
			Reference: qrr, Message: strings.Repeat("M", 60), BillingInformation: "//S1/10/" + strings.Repeat("1", 72)}},
	}
}

// sampleInvoice returns a finalized invoice of n lines with its customer.
func sampleInvoice(n int, currency string) (*billbridge.Invoice, *billbridge.Customer) {
	inv := &billbridge.Invoice{ID: "inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD", Status: billbridge.StatusDraft, Currency: currency, DueInDays: 30,
		Reference: "PO 4711/B", Notes: "Vielen Dank für Ihren Auftrag. Bei Fragen erreichen Sie uns unter +41 32 000 00 00."}
	for i := 0; i < n; i++ {
		desc := "Beratung Projekt Zürich"
		if i%3 == 1 {
			desc = "Gartenarbeiten und Entsorgung von Grünabfällen gemäss Offerte vom 12. Oktober, inklusive Anfahrt und Material"
		}
		rate := billbridge.VATRate(810)
		if i%4 == 3 {
			rate = 260
		}
		inv.Items = append(inv.Items, billbridge.LineItem{Description: desc, Quantity: billbridge.Quantity(1000 + 500*(i%3)), UnitPrice: billbridge.Money(12000 + 1005*i), VATRate: rate})
	}
	_ = inv.ComputeTotals()
	_ = inv.Finalize("INV-000042", time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC), time.UTC)
	cust := &billbridge.Customer{Name: "Pia Rutschmann", CustomerNumber: "K-1001", Kind: billbridge.KindPerson,
		Address: &billbridge.Address{Street: "Marktgasse", BuildingNumber: "28", PostalCode: "9400", City: "Rorschach", Country: "CH"}}
	return inv, cust
}

// sampleDocument is the invoice document of sampleInvoice under QR-IBAN settings.
func sampleDocument(n int, lang string) *billbridge.InvoiceDocument {
	s := &billbridge.QRBillSettings{IBAN: "CH4431999123000889012", Creditor: schneider, ReferenceType: "qrr", QRRPrefix: "310014",
		Language: lang, BillingInformation: true, VATNumber: "CHE-106.017.086 MWST"}
	inv, cust := sampleInvoice(n, "CHF")
	_ = inv.AssignPaymentReference(s, 42)
	bill, err := billbridge.InvoiceQRBill(s, inv, cust)
	if err != nil {
		panic(err)
	}
	return &billbridge.InvoiceDocument{Language: lang, Creditor: s.Creditor, VATNumber: s.VATNumber, Invoice: inv, Customer: cust,
		Bill: bill, Created: *inv.FinalizedAt}
}
