package sqlstore_test

import (
	"context"
	"testing"

	"billbridge"
	"billbridge/sqlstore"
)

// testQRBill: settings round-trip per account; payment references are
// found compact or spaced, only in their account, and unique per account.
func testQRBill(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	_, err := db.FindQRBillSettings(ctx, a.ID)
	isNotFound(t, "FindQRBillSettings before any", err)
	s := &billbridge.QRBillSettings{AccountID: a.ID, IBAN: "CH4431999123000889012", ReferenceType: "qrr", QRRPrefix: "310014",
		Language: "fr", BillingInformation: true, VATNumber: "CHE-106.017.086",
		Creditor:  billbridge.Party{Name: "Şerban AG", Address: billbridge.Address{Street: "Rue du Lac", BuildingNumber: "1268", PostalCode: "2501", City: "Biel", Country: "CH"}},
		UpdatedAt: now()}
	for range 2 { // insert, then replace
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.SaveQRBillSettings(ctx, s) })
		got, err := db.FindQRBillSettings(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "FindQRBillSettings", got, s)
		s.Language, s.BillingInformation = "it", false
	}
	_, err = db.FindQRBillSettings(ctx, b.ID)
	isNotFound(t, "FindQRBillSettings of another account", err)

	ref := "RF18539007547034"
	inv := newInvoice(t, db, newCustomer(t, db, a, nil), func(inv *billbridge.Invoice) { inv.PaymentReference = ref })
	for _, q := range []string{ref, "rf18 5390 0754 7034"} {
		got, err := db.FindInvoiceByPaymentReference(ctx, a.ID, q)
		if err != nil || got.ID != inv.ID || got.PaymentReference != ref {
			t.Fatalf("FindInvoiceByPaymentReference(%q) = %+v, %v", q, got, err)
		}
	}
	_, err = db.FindInvoiceByPaymentReference(ctx, b.ID, ref)
	isNotFound(t, "FindInvoiceByPaymentReference in another account", err)
	_, err = db.FindInvoiceByPaymentReference(ctx, a.ID, "")
	isNotFound(t, "FindInvoiceByPaymentReference of nothing", err)
	page, err := db.FindInvoices(ctx, a.ID, billbridge.InvoiceFilter{PaymentReference: "RF18 5390 0754 7034", PageParams: billbridge.PageParams{Limit: 10}})
	if err != nil || len(page.Data) != 1 || page.Data[0].ID != inv.ID {
		t.Fatalf("FindInvoices by payment reference = %+v, %v", page, err)
	}
	// Unique per account; another account may hold the same text; many
	// invoices may have none.
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		dup := *inv
		dup.ID, dup.ExternalID = billbridge.NewID(billbridge.PrefixInvoice), ""
		return tx.InsertInvoice(ctx, &dup)
	})
	isRetry(t, "InsertInvoice with a taken payment reference", err)
	newInvoice(t, db, newCustomer(t, db, b, nil), func(inv *billbridge.Invoice) { inv.PaymentReference = ref })
	c := newCustomer(t, db, a, nil)
	newInvoice(t, db, c, nil)
	newInvoice(t, db, c, nil)
}
