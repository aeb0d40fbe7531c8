package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testAccountIsolation checks that account b never reaches account a's rows:
// a's ids answer ENOTFOUND, and b's lists, searches and feed stay empty.
func testAccountIsolation(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	c := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.Name, c.ExternalID, c.CustomerNumber, c.Email = "Secret AG", "ext-a", "N-1", "boss@secret.ch"
	})
	inv := newInvoice(t, db, c, func(inv *billbridge.Invoice) {
		inv.Status, inv.ExternalID, inv.DueDate = billbridge.StatusOpen, "inv-ext-a", date(t, "2020-01-01")
	})
	pay := &billbridge.Payment{ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: a.ID, InvoiceID: inv.ID, CustomerID: c.ID,
		ExternalID: "pay-ext-a", Amount: 100, Currency: billbridge.CHF, PaidAt: *date(t, "2025-01-01"), Method: "cash", CreatedAt: now()}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertPayment(ctx, pay) })
	hook := newHook(t, db, a, "*")
	appendEvents(t, db, a.ID, billbridge.CustomerCreated)
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		return tx.SaveIdempotencyRecord(ctx, &billbridge.IdempotencyRecord{AccountID: a.ID, Key: "k", Fingerprint: "f", Status: 201,
			Body: []byte("{}"), CreatedAt: now(), ExpiresAt: now().Add(time.Hour)})
	})
	today := *date(t, "2025-06-15")

	_, err := db.FindCustomer(ctx, b.ID, c.ID)
	isNotFound(t, "FindCustomer", err)
	for key, value := range map[string]string{billbridge.MatchedByExternalID: "ext-a", billbridge.MatchedByCustomerNumber: "N-1", billbridge.MatchedByEmail: "boss@secret.ch"} {
		_, _, err = db.FindCustomerByKeyOrAlias(ctx, b.ID, key, value)
		isNotFound(t, "FindCustomerByKeyOrAlias "+key, err)
	}
	_, err = db.FindInvoice(ctx, b.ID, inv.ID)
	isNotFound(t, "FindInvoice", err)
	_, err = db.FindInvoiceByExternalID(ctx, b.ID, "inv-ext-a")
	isNotFound(t, "FindInvoiceByExternalID", err)
	_, err = db.FindPaymentByExternalID(ctx, b.ID, "pay-ext-a")
	isNotFound(t, "FindPaymentByExternalID", err)
	_, err = db.FindHook(ctx, b.ID, hook.ID)
	isNotFound(t, "FindHook", err)
	_, err = db.FindIdempotencyRecord(ctx, b.ID, "k")
	isNotFound(t, "FindIdempotencyRecord", err)
	isNotFound(t, "LockInvoice", db.Atomic(ctx, func(tx billbridge.Tx) error { _, err := tx.LockInvoice(ctx, b.ID, inv.ID); return err }))
	stolen := *c
	stolen.AccountID, stolen.Name = b.ID, "Stolen"
	isNotFound(t, "UpdateCustomer", db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, &stolen) }))
	stolenInv := *inv
	stolenInv.AccountID = b.ID
	isNotFound(t, "UpdateInvoice", db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.UpdateInvoice(ctx, &stolenInv) }))
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.DeleteHook(ctx, b.ID, hook.ID) })
	if _, err := db.FindHook(ctx, a.ID, hook.ID); err != nil {
		t.Fatalf("b's DeleteHook removed a's hook: %v", err)
	}
	if got, err := db.FindCustomer(ctx, a.ID, c.ID); err != nil || got.Name != "Secret AG" {
		t.Fatalf("b's UpdateCustomer changed a's customer: %+v, %v", got, err)
	}

	for _, f := range []billbridge.CustomerFilter{{}, {Q: "secret"}, {Q: "N-1"}, {Email: "boss@secret.ch"}, {ExternalID: "ext-a"}} {
		if page, err := db.FindCustomers(ctx, b.ID, f); err != nil || len(page.Data) != 0 {
			t.Fatalf("FindCustomers(%+v) as b: %d rows, %v", f, len(page.Data), err)
		}
	}
	for _, s := range []string{"", billbridge.StatusUnpaid, billbridge.StatusOverdue} {
		if page, err := db.FindInvoices(ctx, b.ID, billbridge.InvoiceFilter{Status: s, Today: today}); err != nil || len(page.Data) != 0 {
			t.Fatalf("FindInvoices(%q) as b: %d rows, %v", s, len(page.Data), err)
		}
	}
	if page, err := db.FindInvoices(ctx, b.ID, billbridge.InvoiceFilter{CustomerID: c.ID, Today: today}); err != nil || len(page.Data) != 0 {
		t.Fatalf("FindInvoices by a's customer as b: %d rows, %v", len(page.Data), err)
	}
	if page, err := db.FindPayments(ctx, b.ID, inv.ID, billbridge.PageParams{}); err != nil || len(page.Data) != 0 {
		t.Fatalf("FindPayments as b: %d rows, %v", len(page.Data), err)
	}
	if page, err := db.FindEvents(ctx, b.ID, billbridge.EventFilter{Limit: 10}); err != nil || len(page.Data) != 0 {
		t.Fatalf("FindEvents as b: %d rows, %v", len(page.Data), err)
	}
	if page, err := db.FindEvents(ctx, b.ID, billbridge.EventFilter{Ascending: true, Limit: 10}); err != nil || len(page.Data) != 0 {
		t.Fatalf("FindEvents asc as b: %d rows, %v", len(page.Data), err)
	}
	if n, err := db.LatestEventSeq(ctx, b.ID); err != nil || n != 0 {
		t.Fatalf("LatestEventSeq as b = %d, %v", n, err)
	}
	if hooks, err := db.FindHooks(ctx, b.ID, billbridge.HookFilter{}); err != nil || len(hooks.Data) != 0 {
		t.Fatalf("FindHooks as b: %d, %v", len(hooks.Data), err)
	}
	// b's own invoice numbers and events start at 1.
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		if _, err := tx.NextInvoiceNumber(ctx, a.ID); err != nil {
			return err
		}
		n, err := tx.NextInvoiceNumber(ctx, b.ID)
		if err == nil && n != 1 {
			t.Errorf("b's first invoice number = %d", n)
		}
		return err
	})
	if e := appendEvents(t, db, b.ID, billbridge.CustomerCreated); e[0].Seq != 1 {
		t.Fatalf("b's first seq = %d", e[0].Seq)
	}
}
