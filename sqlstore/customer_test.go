package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"billbridge"
	"billbridge/sqlstore"
)

func testCustomers(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.ExternalID, c.CustomerNumber, c.Name, c.ContactPerson = "hs-1", "K-100", "Müller & Söhne AG", "Anna Müller"
		c.Email, c.Phone, c.VATNumber, c.Language, c.PaymentTermsDays = " Anna@Mueller.CH ", "+41 44 000 00 00", "CHE-123.456.789 MWST", "de", 10
		c.Address = &billbridge.Address{Street: "Bahnhofstrasse", BuildingNumber: "1", PostalCode: "8001", City: "Zürich", Country: "CH"}
		c.ShippingAddress = &billbridge.Address{City: "Bern", Country: "CH"}
	})
	got, err := db.FindCustomer(ctx, a.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindCustomer", got, c)
	if got.AccountID != a.ID || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("round trip lost account or time: %+v", got)
	}
	isNotFound(t, "FindCustomer of an unknown id", func() error { _, err := db.FindCustomer(ctx, a.ID, "cus_nope"); return err }())

	// Update every field, dropping the addresses and keys.
	c.ExternalID, c.CustomerNumber, c.Email, c.Name, c.Address, c.ShippingAddress = "", "", "", "Renamed GmbH", nil, nil
	c.UpdatedAt = now()
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, c) })
	got, err = db.FindCustomer(ctx, a.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "after UpdateCustomer", got, c)
	ghost := *c
	ghost.ID = "cus_ghost"
	err = db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, &ghost) })
	isNotFound(t, "UpdateCustomer of an unknown id", err)

	// Reads inside a transaction see its own writes.
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		d := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindPerson,
			Name: "In Tx", CreatedAt: now(), UpdatedAt: now()}
		if err := tx.InsertCustomer(ctx, d); err != nil {
			return err
		}
		_, err := tx.FindCustomer(ctx, a.ID, d.ID)
		return err
	})
}

func testCustomerKeys(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.ExternalID, c.CustomerNumber, c.Email = "crm-7", "1007", "Info@Example.com"
	})
	for _, k := range []struct{ key, value string }{
		{billbridge.MatchedByExternalID, "crm-7"},
		{billbridge.MatchedByCustomerNumber, "1007"},
		{billbridge.MatchedByEmail, "  info@EXAMPLE.com"},
	} {
		got, aliased, err := db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, k.value)
		if err != nil || got.ID != c.ID || aliased {
			t.Fatalf("FindCustomerByKeyOrAlias(%s, %q) = %v, %v, %v; want the key's holder", k.key, k.value, got, aliased, err)
		}
		_, _, err = db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, "other")
		isNotFound(t, "FindCustomerByKeyOrAlias "+k.key+" of an unknown value", err)
		_, _, err = db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, "")
		isNotFound(t, "FindCustomerByKeyOrAlias "+k.key+" of an empty value", err)
	}

	// FindCustomerByKeyOrAlias: the customer holding the key, else the
	// survivor a merged customer's key reaches (aliased), else ENOTFOUND.
	merged := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.ExternalID, c.CustomerNumber, c.Email = "crm-8", "1008", "old@example.com"
	})
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		return tx.MergeCustomers(ctx, &billbridge.Merge{AccountID: a.ID, PrimaryID: c.ID, MergedID: merged.ID, MergedAt: now()},
			[]billbridge.Alias{{Key: billbridge.MatchedByExternalID, Value: "crm-8"}, {Key: billbridge.MatchedByCustomerNumber, Value: "1008"},
				{Key: billbridge.MatchedByEmail, Value: "old@example.com"}})
	})
	for _, k := range []struct {
		key, value string
		aliased    bool
	}{
		{billbridge.MatchedByExternalID, "crm-7", false},
		{billbridge.MatchedByCustomerNumber, "1007", false},
		{billbridge.MatchedByEmail, " INFO@example.com", false},
		{billbridge.MatchedByExternalID, "crm-8", true},
		{billbridge.MatchedByCustomerNumber, "1008", true},
		{billbridge.MatchedByEmail, "Old@Example.com ", true},
	} {
		got, aliased, err := db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, k.value)
		if err != nil || got.ID != c.ID || aliased != k.aliased {
			t.Fatalf("FindCustomerByKeyOrAlias(%s, %q) = %v, %v, %v; want %s, %v", k.key, k.value, got, aliased, err, c.ID, k.aliased)
		}
		if want, err := db.FindCustomer(ctx, a.ID, c.ID); err != nil || !slices.Equal(got.MergedIDs, want.MergedIDs) && aliased {
			t.Fatalf("FindCustomerByKeyOrAlias(%s, %q) MergedIDs = %v; FindCustomer: %v, %v", k.key, k.value, got.MergedIDs, want, err)
		}
		_, _, err = db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, "other")
		isNotFound(t, "FindCustomerByKeyOrAlias "+k.key+" of an unknown value", err)
		_, _, err = db.FindCustomerByKeyOrAlias(ctx, a.ID, k.key, "")
		isNotFound(t, "FindCustomerByKeyOrAlias "+k.key+" of an empty value", err)
	}

	// Each natural key is unique in the account: taking it again is a race to retry.
	for name, edit := range map[string]func(*billbridge.Customer){
		"external_id":     func(d *billbridge.Customer) { d.ExternalID = "crm-7" },
		"customer_number": func(d *billbridge.Customer) { d.CustomerNumber = "1007" },
		"email":           func(d *billbridge.Customer) { d.Email = "INFO@example.com " },
	} {
		d := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
			Name: "Dup", CreatedAt: now(), UpdatedAt: now()}
		edit(d)
		err := db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.InsertCustomer(ctx, d) })
		isRetry(t, "InsertCustomer with a taken "+name, err)
		// Updating another customer onto the key is refused the same way.
		e := newCustomer(t, db, a, nil)
		edit(e)
		err = db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, e) })
		isRetry(t, "UpdateCustomer onto a taken "+name, err)
	}
	// Empty keys are not keys: many customers may have none.
	newCustomer(t, db, a, nil)
	newCustomer(t, db, a, nil)
	// Another account may use the same keys.
	b := newAccount(t, db)
	newCustomer(t, db, b, func(d *billbridge.Customer) {
		d.ExternalID, d.CustomerNumber, d.Email = "crm-7", "1007", "info@example.com"
	})
}

func testCustomerSearch(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	dupont := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.Name, c.Email, c.CustomerNumber, c.ExternalID = "Dupont GmbH", "office@dupont.ch", "D-1", "x-1"
	})
	mueller := newCustomer(t, db, a, func(c *billbridge.Customer) {
		c.Name, c.Email, c.CustomerNumber = "Müller Holz AG", "Hans@Holz.ch", "50%_off"
	})
	percent := newCustomer(t, db, a, func(c *billbridge.Customer) { c.Name = "100% Bio" })
	cases := []struct {
		f    billbridge.CustomerFilter
		want []string
	}{
		{billbridge.CustomerFilter{}, []string{dupont.ID, mueller.ID, percent.ID}},
		{billbridge.CustomerFilter{Email: " HANS@holz.CH"}, []string{mueller.ID}},
		{billbridge.CustomerFilter{ExternalID: "x-1"}, []string{dupont.ID}},
		{billbridge.CustomerFilter{CustomerNumber: "D-1"}, []string{dupont.ID}},
		{billbridge.CustomerFilter{CustomerNumber: "d-1"}, nil},
		{billbridge.CustomerFilter{Q: "gmbh dupont"}, []string{dupont.ID}},   // name key, any order
		{billbridge.CustomerFilter{Q: "DUPONT"}, []string{dupont.ID}},        // substring, any case
		{billbridge.CustomerFilter{Q: "mueller"}, []string{mueller.ID}},      // umlaut folded in the name key
		{billbridge.CustomerFilter{Q: "müller"}, []string{mueller.ID}},       // lower(name)
		{billbridge.CustomerFilter{Q: "holz.ch"}, []string{mueller.ID}},      // email substring
		{billbridge.CustomerFilter{Q: "50%_off"}, []string{mueller.ID}},      // customer number
		{billbridge.CustomerFilter{Q: "%"}, []string{percent.ID}},            // LIKE wildcards are literal
		{billbridge.CustomerFilter{Q: "_"}, nil},                             // … and _ too
		{billbridge.CustomerFilter{Q: "dupont", Email: "hans@holz.ch"}, nil}, // filters combine
		{billbridge.CustomerFilter{Q: "nobody"}, nil},
	}
	for _, tc := range cases {
		page, err := db.FindCustomers(ctx, a.ID, tc.f)
		if err != nil {
			t.Fatalf("%+v: %v", tc.f, err)
		}
		got := ids(page.Data, func(c billbridge.Customer) string { return c.ID })
		if page.HasMore || len(got) != len(tc.want) || !sameSet(got, tc.want) {
			t.Fatalf("FindCustomers(%+v) = %v (more %v), want %v", tc.f, got, page.HasMore, tc.want)
		}
		if page.Data == nil {
			t.Fatalf("FindCustomers(%+v) returned nil data, want an empty list", tc.f)
		}
	}
}

// sameSet reports whether a and b hold the same ids.
func sameSet(a, b []string) bool { return slices.Equal(newestFirst(a), newestFirst(b)) }

func testCustomerPagination(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	b := newAccount(t, db)
	var want []string
	for range 10 {
		want = append(want, newCustomer(t, db, a, nil).ID)
		newCustomer(t, db, b, nil) // noise in another account
	}
	list := func(p billbridge.PageParams) ([]string, bool, error) {
		page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{PageParams: p})
		return ids(page.Data, func(c billbridge.Customer) string { return c.ID }), page.HasMore, err
	}
	for _, limit := range []int{1, 3, 5, 10, 11, 100} {
		checkPagination(t, want, limit, list)
	}
	// Limit 0 means the default page of 25.
	page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{})
	if err != nil || len(page.Data) != 10 || page.HasMore {
		t.Fatalf("default limit: %d items, more %v, %v", len(page.Data), page.HasMore, err)
	}
}
