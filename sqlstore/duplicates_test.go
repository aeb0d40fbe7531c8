package sqlstore_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

func findDuplicates(t *testing.T, db *sqlstore.DB, accountID string, f billbridge.DuplicateFilter) billbridge.Page[billbridge.Duplicate] {
	t.Helper()
	p, err := db.FindDuplicates(context.Background(), accountID, f)
	if err != nil {
		t.Fatalf("FindDuplicates(%+v): %v", f, err)
	}
	return p
}

// pairIDs renders a page as "a|b score" strings with a before b by name.
func pairIDs(p billbridge.Page[billbridge.Duplicate]) [][2]string {
	var out [][2]string
	for _, d := range p.Data {
		out = append(out, [2]string{d.A.ID, d.B.ID})
	}
	return out
}

func sortedPair(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

func testDuplicates(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	named := func(name, email, zip string) *billbridge.Customer {
		return newCustomer(t, db, a, func(c *billbridge.Customer) {
			c.Name, c.Email = name, email
			if zip != "" {
				c.Address = &billbridge.Address{PostalCode: zip, Country: "CH"}
			}
		})
	}
	update := func(t *testing.T, c *billbridge.Customer) {
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, c) })
	}
	// purged tells whether block of the account is marked as over MaxBlockSize.
	purged := func(t *testing.T, accountID, block string) bool {
		got, err := db.PurgedBlocks(ctx, accountID)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Contains(got, block)
	}
	dupont := named("Dupont GmbH", "billing@dupont.ch", "8001")
	gmbh := named("GmbH  Dupont", "", "8001")
	named("Keller Treuhand AG", "info@keller.ch", "9000")
	favre := named("Boulangerie Favre SA", "contact@favre.ch", "1950")
	favre2 := named("SA Boulangerie Favre", "compta@favre.ch", "1003")

	t.Run("pairs are stored at write time with score and reasons, best first", func(t *testing.T) {
		p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{MinScore: 0.85})
		want := [][2]string{sortedPair(dupont.ID, gmbh.ID), sortedPair(favre.ID, favre2.ID)}
		if got := pairIDs(p); !slices.Equal(got, want) || p.HasMore {
			t.Fatalf("pairs %v (has_more %v), want %v", got, p.HasMore, want)
		}
		d := p.Data[0]
		if d.Score != 0.95 || !slices.Equal(d.Reasons, []string{billbridge.ReasonSameName, billbridge.ReasonSamePostalCode}) {
			t.Errorf("Dupont pair %v %v, want 0.95 same_name, same_postal_code", d.Score, d.Reasons)
		}
		if d.A.Name == "" || d.B.Name == "" || d.A.AccountID != a.ID {
			t.Errorf("pair customers not loaded: %+v", d)
		}
	})
	t.Run("min_score, one customer's pairs, keyset pages, unknown cursor", func(t *testing.T) {
		if p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{MinScore: 0.96}); len(p.Data) != 0 {
			t.Errorf("min 0.96: %v", pairIDs(p))
		}
		p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{CustomerID: favre2.ID, MinScore: 0.5})
		if got := pairIDs(p); !slices.Equal(got, [][2]string{sortedPair(favre.ID, favre2.ID)}) {
			t.Errorf("pairs of favre2 %v", got)
		}
		first := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{MinScore: 0.85, PageParams: billbridge.PageParams{Limit: 1}})
		if len(first.Data) != 1 || !first.HasMore {
			t.Fatalf("page 1 %v has_more %v", pairIDs(first), first.HasMore)
		}
		cur := billbridge.DuplicateCursor(first.Data[0].A.ID, first.Data[0].B.ID)
		second := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{MinScore: 0.85, PageParams: billbridge.PageParams{Limit: 1, StartingAfter: cur}})
		if got := pairIDs(second); !slices.Equal(got, [][2]string{sortedPair(favre.ID, favre2.ID)}) || second.HasMore {
			t.Errorf("page 2 %v has_more %v", got, second.HasMore)
		}
		_, err := db.FindDuplicates(ctx, a.ID, billbridge.DuplicateFilter{PageParams: billbridge.PageParams{StartingAfter: "cus_x~cus_y"}})
		if billbridge.ErrorCode(err) != billbridge.ECURSORINVALID {
			t.Errorf("unknown cursor: %v, want %s", err, billbridge.ECURSORINVALID)
		}
	})
	t.Run("an update rescores: renamed apart, the pair is gone", func(t *testing.T) {
		renamed := *gmbh
		renamed.Name = "Keller Transporte"
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, &renamed) })
		if p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{CustomerID: dupont.ID}); len(p.Data) != 0 {
			t.Errorf("pairs of dupont after the rename: %v", pairIDs(p))
		}
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.UpdateCustomer(ctx, gmbh) })
		if p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{CustomerID: dupont.ID}); len(p.Data) != 1 {
			t.Errorf("pairs of dupont after renaming back: %v", pairIDs(p))
		}
	})
	t.Run("another account's look-alike is never paired", func(t *testing.T) {
		other := newAccount(t, db)
		newCustomer(t, db, other, func(c *billbridge.Customer) {
			c.Name, c.Address = "Dupont GmbH", &billbridge.Address{PostalCode: "8001"}
		})
		if p := findDuplicates(t, db, other.ID, billbridge.DuplicateFilter{}); len(p.Data) != 0 {
			t.Errorf("other account's pairs: %v", pairIDs(p))
		}
		if p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{CustomerID: dupont.ID}); len(p.Data) != 1 {
			t.Errorf("dupont pairs across accounts: %v", pairIDs(p))
		}
	})
	t.Run("customers written at once still pair", func(t *testing.T) {
		b := newAccount(t, db)
		testenv.FanOut(t, 8, func(i int) (*billbridge.Customer, error) {
			return insertCustomer(db, b, func(c *billbridge.Customer) {
				c.Name, c.Address = []string{"Rossi Costruzioni SA", "Costruzioni Rossi Sagl"}[i%2], &billbridge.Address{PostalCode: "6900"}
			})
		})
		p := findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{PageParams: billbridge.PageParams{Limit: 100}})
		if len(p.Data) != 8*7/2 {
			t.Fatalf("%d pairs among 8 concurrent look-alikes, want 28", len(p.Data))
		}
		// Pages of 3 walk the same list, over pairs of equal score, for the
		// account and for one customer.
		for _, f := range []billbridge.DuplicateFilter{{}, {CustomerID: p.Data[0].A.ID}} {
			all := findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: f.CustomerID, PageParams: billbridge.PageParams{Limit: 100}})
			var walked [][2]string
			for page := f; ; {
				page.Limit = 3
				got := findDuplicates(t, db, b.ID, page)
				walked = append(walked, pairIDs(got)...)
				if !got.HasMore || len(walked) > 28 {
					break
				}
				last := got.Data[len(got.Data)-1]
				page.StartingAfter = billbridge.DuplicateCursor(last.A.ID, last.B.ID)
			}
			if !slices.Equal(walked, pairIDs(all)) {
				t.Errorf("pages of 3 of %+v walked %v, want %v", f, walked, pairIDs(all))
			}
		}
	})
	t.Run("a block shared by more than MaxBlockSize customers makes no candidates", func(t *testing.T) {
		b := newAccount(t, db)
		at := func(name, email string) *billbridge.Customer {
			return newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = name, email })
		}
		pairsOf := func(c *billbridge.Customer) [][2]string {
			return pairIDs(findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: c.ID, MinScore: 0.01}))
		}
		// Similar local parts on one company domain: 0.85, found through the domain block only.
		x := at("Alpha Consulting", "jean.morel@grosshandel.ch")
		y := at("Beta Services", "jean.morell@grosshandel.ch")
		if got := pairsOf(y); !slices.Equal(got, [][2]string{sortedPair(x.ID, y.ID)}) {
			t.Fatalf("pairs of y %v, want x", got)
		}
		// z makes the block MaxBlockSize customers: still read.
		if err := db.SeedBlock(ctx, b.ID, "d:grosshandel.ch", billbridge.MaxBlockSize-3); err != nil {
			t.Fatal(err)
		}
		z := at("Gamma Treuhand", "jean.morrel@grosshandel.ch")
		if got := pairsOf(z); len(got) != 2 {
			t.Errorf("pairs of z in a block of %d: %v, want x and y", billbridge.MaxBlockSize, got)
		}
		// w makes it one more: the domain says nothing any more.
		w := at("Delta Immobilien", "jean.morrell@grosshandel.ch")
		if got := pairsOf(w); len(got) != 0 {
			t.Errorf("pairs of w in a block of %d: %v, want none", billbridge.MaxBlockSize+1, got)
		}
		// A rarer block still pairs: the compact name.
		v := at("Alpha  Consulting", "j.morel@grosshandel.ch")
		if got := pairsOf(v); !slices.Equal(got, [][2]string{sortedPair(x.ID, v.ID)}) {
			t.Errorf("pairs of v %v, want x by name", got)
		}
	})
	t.Run("in one transaction a purged block is counted again once an entry leaves it", func(t *testing.T) {
		b := newAccount(t, db)
		if err := db.SeedBlock(ctx, b.ID, "d:handelshaus.ch", billbridge.MaxBlockSize-2); err != nil {
			t.Fatal(err)
		}
		company := func(name, email string) *billbridge.Customer {
			return &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: b.ID, Kind: billbridge.KindCompany,
				Name: name, Email: email, PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
		}
		x := company("Alpha Consulting", "jean.morel@handelshaus.ch")
		w1, w2 := company("Beta Services", "jean.morell@handelshaus.ch"), company("Gamma Treuhand", "jean.morrel@handelshaus.ch")
		v := company("Delta Immobilien", "jean.morrell@handelshaus.ch")
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			for _, c := range []*billbridge.Customer{x, w1, w2} { // the block reaches MaxBlockSize+1 at w2
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
			}
			for _, c := range []*billbridge.Customer{w1, w2} { // two leave it: MaxBlockSize-1
				c.Email = strings.Replace(c.Email, "handelshaus", "anderswo", 1)
				if err := tx.UpdateCustomer(ctx, c); err != nil {
					return err
				}
			}
			return tx.InsertCustomer(ctx, v) // MaxBlockSize again: read
		})
		got := pairIDs(findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: v.ID, MinScore: 0.01}))
		if !slices.Contains(got, sortedPair(x.ID, v.ID)) {
			t.Errorf("pairs of v %v, want x through the domain block of %d", got, billbridge.MaxBlockSize)
		}
	})
	t.Run("a purged block stays marked across transactions until an entry leaves it", func(t *testing.T) {
		b := newAccount(t, db)
		if err := db.SeedBlock(ctx, b.ID, "d:lagerhaus.ch", billbridge.MaxBlockSize-2); err != nil {
			t.Fatal(err)
		}
		at := func(name, email string) *billbridge.Customer {
			return newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = name, email })
		}
		marked := func() bool { return purged(t, b.ID, "d:lagerhaus.ch") }
		x := at("Alpha Consulting", "jean.morel@lagerhaus.ch") // MaxBlockSize-1
		w1 := at("Beta Services", "jean.morell@lagerhaus.ch")  // MaxBlockSize
		if marked() {
			t.Fatalf("a block of %d marked", billbridge.MaxBlockSize)
		}
		w2 := at("Gamma Treuhand", "jean.morrel@lagerhaus.ch") // MaxBlockSize+1
		if !marked() {
			t.Fatalf("a block of %d not marked", billbridge.MaxBlockSize+1)
		}
		x.Name = "Alpha Consulting Partner" // x keeps its domain: the block keeps its size
		update(t, x)
		if !marked() {
			t.Errorf("the mark went with an update that kept the block")
		}
		for _, c := range []*billbridge.Customer{w1, w2} { // two leave it: MaxBlockSize-1
			c.Email = strings.Replace(c.Email, "lagerhaus", "anderswo", 1)
			update(t, c)
		}
		if marked() {
			t.Errorf("the mark stayed after entries left the block")
		}
		v := at("Delta Immobilien", "jean.morrell@lagerhaus.ch") // MaxBlockSize again: read
		got := pairIDs(findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: v.ID, MinScore: 0.01}))
		if !slices.Contains(got, sortedPair(x.ID, v.ID)) {
			t.Errorf("pairs of v %v, want x through the domain block of %d", got, billbridge.MaxBlockSize)
		}
	})
	t.Run("a block marked as purged is not read", func(t *testing.T) {
		b := newAccount(t, db)
		x := newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = "Alpha Consulting", "jean.morel@kontor.ch" })
		if err := db.MarkPurged(ctx, b.ID, "d:kontor.ch"); err != nil {
			t.Fatal(err)
		}
		y := newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = "Beta Services", "jean.morell@kontor.ch" })
		if got := pairIDs(findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: y.ID, MinScore: 0.01})); len(got) != 0 {
			t.Errorf("pairs of y %v through a marked block, want none (x %s)", got, x.ID)
		}
	})
	t.Run("a customer enters only unmarked blocks and keeps its entries through an update", func(t *testing.T) {
		b := newAccount(t, db)
		const domain = "d:speicher.ch"
		entries := func(c *billbridge.Customer) []string {
			got, err := db.EntriesOf(ctx, b.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// want is c's blocks, without the marked domain when skip is true.
		want := func(c *billbridge.Customer, skip bool) []string {
			blocks := billbridge.DuplicateBlocks(billbridge.KeysOf(c))
			if !slices.Contains(blocks, domain) {
				t.Fatalf("%s has no block %s: %v", c.Name, domain, blocks)
			}
			if skip {
				return slices.DeleteFunc(blocks, func(b string) bool { return b == domain })
			}
			return blocks
		}
		marked := func() bool { return purged(t, b.ID, domain) }
		y := newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = "Beta Services", "jean.morell@speicher.ch" })
		if err := db.MarkPurged(ctx, b.ID, domain); err != nil {
			t.Fatal(err)
		}
		x := newCustomer(t, db, b, func(c *billbridge.Customer) { c.Name, c.Email = "Alpha Consulting", "jean.morel@speicher.ch" })
		if got := entries(x); !slices.Equal(got, want(x, true)) {
			t.Errorf("x written into a marked block has entries %v, want %v", got, want(x, true))
		}
		y.Name = "Gamma Treuhand" // its name blocks change; its entry of the marked block, written before the mark, stays
		update(t, y)
		if got := entries(y); !slices.Equal(got, want(y, false)) {
			t.Errorf("y after a new name has entries %v, want %v", got, want(y, false))
		}
		if !marked() {
			t.Fatal("the mark went with an update that kept the block")
		}
		y.Email = "jean.morell@anderswo.ch" // y leaves the block: the mark goes
		update(t, y)
		if marked() {
			t.Fatal("the mark stayed after an entry left the block")
		}
		x.Phone = "044 123 45 67" // x's next write enters the block counted again
		update(t, x)
		if got := entries(x); !slices.Equal(got, want(x, false)) {
			t.Errorf("x written once the mark went has entries %v, want %v", got, want(x, false))
		}
	})
	t.Run("a candidate is read with every field its keys come from", func(t *testing.T) {
		b := newAccount(t, db)
		x := newCustomer(t, db, b, func(c *billbridge.Customer) {
			c.Name, c.Phone, c.VATNumber = "Alpha Consulting AG", "044 123 45 67", "CHE-116.281.710 MWST"
			c.Address = &billbridge.Address{PostalCode: "8001", Country: "CH"}
		})
		y := newCustomer(t, db, b, func(c *billbridge.Customer) {
			c.Name, c.Phone, c.VATNumber = "Beta Services GmbH", "+41 44 123 45 67", "che116281710"
			c.Address = &billbridge.Address{PostalCode: "8001"}
		})
		z := newCustomer(t, db, b, func(c *billbridge.Customer) { // a person is never paired with a company
			c.Kind, c.Name, c.Phone = billbridge.KindPerson, "Carla Beta", "0041 44 123 45 67"
		})
		p := findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{MinScore: 0.01})
		if got := pairIDs(p); !slices.Equal(got, [][2]string{sortedPair(x.ID, y.ID)}) {
			t.Fatalf("pairs %v, want only x and y (z %s)", got, z.ID)
		}
		want := []string{billbridge.ReasonSameUID, billbridge.ReasonSamePostalCode, billbridge.ReasonSamePhone}
		if d := p.Data[0]; d.Score != 1 || !slices.Equal(d.Reasons, want) {
			t.Errorf("x and y: %v %v, want 1 %v", d.Score, d.Reasons, want)
		}
	})
	t.Run("FindPairsOf lists what FindDuplicates reads, also right after the write", func(t *testing.T) {
		b := newAccount(t, db)
		muller := func(zip, vat string) func(c *billbridge.Customer) {
			return func(c *billbridge.Customer) {
				c.Name, c.VATNumber = "Müller Bau AG", vat
				c.Address = &billbridge.Address{PostalCode: zip, Country: "CH"}
			}
		}
		for range 12 {
			newCustomer(t, db, b, muller("8001", "")) // 0.95 with x: more than a page of 10
		}
		for range 3 {
			newCustomer(t, db, b, muller("3000", "")) // 0.75: under DefaultMinScore
		}
		newCustomer(t, db, b, muller("8001", "CHE-116.281.710")) // 1.0: the same UID
		check := func(tx billbridge.Tx, id, when string) {
			t.Helper()
			for _, q := range []struct {
				min   float64
				limit int
			}{{billbridge.DefaultMinScore, 10}, {0.5, 25}, {1, 10}, {0.5, 3}} {
				page, err := tx.FindDuplicates(ctx, b.ID, billbridge.DuplicateFilter{CustomerID: id, MinScore: q.min,
					PageParams: billbridge.PageParams{Limit: q.limit}})
				if err != nil {
					t.Fatal(err)
				}
				want := []billbridge.PairOf{}
				for _, d := range page.Data {
					other := d.A.ID
					if other == id {
						other = d.B.ID
					}
					want = append(want, billbridge.PairOf{ID: other, Match: d.Match})
				}
				got, err := tx.FindPairsOf(ctx, b.ID, id, q.min, q.limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 || !reflect.DeepEqual(append([]billbridge.PairOf{}, got...), want) {
					t.Errorf("%s, min %v limit %d: FindPairsOf\n%v\nFindDuplicates\n%v", when, q.min, q.limit, got, want)
				}
			}
		}
		mustAtomic(t, db, func(tx billbridge.Tx) error {
			x := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: b.ID, CreatedAt: now(), UpdatedAt: now()}
			muller("8001", "CHE-116.281.710")(x)
			if err := tx.InsertCustomer(ctx, x); err != nil {
				return err
			}
			check(tx, x.ID, "after InsertCustomer")
			x.Email = "info@mueller-bau.ch"
			if err := tx.UpdateCustomer(ctx, x); err != nil {
				return err
			}
			check(tx, x.ID, "after UpdateCustomer")
			y := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: b.ID, CreatedAt: now(), UpdatedAt: now()}
			muller("8001", "CHE-116.281.710")(y)
			if err := tx.InsertCustomer(ctx, y); err != nil {
				return err
			}
			check(tx, x.ID, "after another customer's write")
			check(tx, y.ID, "after InsertCustomer of another")
			return nil
		})
	})
	t.Run("a store opened with older keys rekeys its customers", func(t *testing.T) {
		before := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{})
		if err := db.ForgetKeys(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if p := findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{}); len(p.Data) != 0 {
			t.Fatalf("pairs left after ForgetKeys: %v", pairIDs(p))
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := pairIDs(findDuplicates(t, db, a.ID, billbridge.DuplicateFilter{})); !slices.Equal(got, pairIDs(before)) {
			t.Errorf("after rekey %v, want %v", got, pairIDs(before))
		}
	})
}
