package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// TestGroupCommit: 60 writers at once on SQLite, whose transactions the
// store commits in groups. Every third fails after writing and every
// twentieth panics: exactly the others are stored, each with its event,
// the event seqs have no gap, the failures get their own error back and the
// panics are raised in their own goroutine.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	a := newAccount(t, db)
	errOwn := errors.New("this writer's own failure")
	results := testenv.FanOut(t, 60, func(i int) (string, error) {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("recovered: %v", r)
				}
			}()
			err = db.Atomic(ctx, func(tx billbridge.Tx) error {
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
					Name: fmt.Sprintf("Writer %d", i), ExternalID: fmt.Sprintf("w%d", i), CreatedAt: now(), UpdatedAt: now()}
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
				if _, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c); err != nil {
					return err
				}
				switch {
				case i%20 == 7:
					panic(fmt.Sprintf("writer %d panics", i))
				case i%3 == 1:
					return fmt.Errorf("writer %d: %w", i, errOwn)
				}
				return nil
			})
		}()
		switch {
		case i%20 == 7:
			if err == nil || err.Error() != fmt.Sprintf("recovered: writer %d panics", i) {
				return "", fmt.Errorf("writer %d: %v, want its own panic", i, err)
			}
			return "", nil
		case i%3 == 1:
			if !errors.Is(err, errOwn) {
				return "", fmt.Errorf("writer %d: %v, want its own error", i, err)
			}
			return "", nil
		}
		return fmt.Sprintf("w%d", i), err
	})
	want := map[string]bool{}
	for _, r := range results {
		if r != "" {
			want[r] = true
		}
	}
	page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != len(want) {
		t.Fatalf("%d events, want %d", len(page.Data), len(want))
	}
	for i, e := range page.Data {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: a gap", i, e.Seq)
		}
		var c billbridge.Customer
		if err := json.Unmarshal(e.Data, &c); err != nil {
			t.Fatal(err)
		}
		if !want[c.ExternalID] {
			t.Errorf("event of %s stored, whose writer failed", c.ExternalID)
		}
		if _, _, err := db.FindCustomerByKeyOrAlias(ctx, a.ID, billbridge.MatchedByExternalID, c.ExternalID); err != nil {
			t.Errorf("customer %s: %v", c.ExternalID, err)
		}
		delete(want, c.ExternalID)
	}
	if len(want) != 0 {
		t.Errorf("acknowledged but not stored: %v", want)
	}
}

// TestGroupCommitRunsAgainIsolated: a group runs its writers without
// savepoints; when one fails, the group's transaction is rolled back, the
// failed writer keeps its error without running again, and the writers
// before it run again, each in its own savepoint, with those after it. The
// next GroupIsolatedRuns groups start isolated (a failure there costs no
// second run), the one after without savepoints again.
func TestGroupCommitRunsAgainIsolated(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	a := newAccount(t, db)          // the last write before the groups below
	db.SetGroupMaxTime(time.Minute) // each GroupOf one group, however slow the machine
	failed := errors.New("this writer fails after writing")
	var names []string
	// group runs an ok, a failing and an ok writer, each inserting a
	// customer, and returns how often each fn ran.
	group := func(n int) [3]int {
		var runs [3]int
		writer := func(i int) func(tx billbridge.Tx) error {
			name := fmt.Sprintf("Group %d writer %d", n, i)
			return func(tx billbridge.Tx) error {
				runs[i]++
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
					Name: name, PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
				if i == 1 {
					return failed
				}
				return nil
			}
		}
		errs := db.GroupOf(ctx, writer(0), writer(1), writer(2))
		if errs[0] != nil || !errors.Is(errs[1], failed) || errs[2] != nil {
			t.Fatalf("group %d: %v, want nil, its own failure, nil", n, errs)
		}
		names = append(names, fmt.Sprintf("Group %d writer 0", n), fmt.Sprintf("Group %d writer 2", n))
		return runs
	}
	if got := group(0); got != [3]int{2, 1, 1} {
		t.Errorf("runs of a group without savepoints whose second writer fails: %v, want [2 1 1]", got)
	}
	for n := 1; n <= sqlstore.GroupIsolatedRuns; n++ {
		if got := group(n); got != [3]int{1, 1, 1} {
			t.Errorf("runs of isolated group %d: %v, want [1 1 1]", n, got)
		}
	}
	if got := group(sqlstore.GroupIsolatedRuns + 1); got != [3]int{2, 1, 1} {
		t.Errorf("runs of the group after the isolated ones: %v, want [2 1 1]", got)
	}
	page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{PageParams: billbridge.PageParams{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range page.Data {
		got = append(got, c.Name)
	}
	slices.Sort(got)
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("customers %v, want exactly the writers that did not fail %v", got, names)
	}
}

// TestGroupCommitSharesPurgedBlocks: the writers of one group commit see
// the blocks the writers before them marked as over MaxBlockSize (so a large
// block is counted once, not once a writer), yet no detection is lost: a
// writer that takes entries out of a purged block makes the next one count
// it again, and the mark a failed writer made is rolled back with its
// savepoint.
func TestGroupCommitSharesPurgedBlocks(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	b := newAccount(t, db)
	if err := db.SeedBlock(ctx, b.ID, "d:handelshaus.ch", billbridge.MaxBlockSize-2); err != nil {
		t.Fatal(err)
	}
	company := func(name, email string) *billbridge.Customer {
		return &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: b.ID, Kind: billbridge.KindCompany,
			Name: name, Email: email, PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
	}
	insert := func(cs ...*billbridge.Customer) func(tx billbridge.Tx) error {
		return func(tx billbridge.Tx) error {
			for _, c := range cs {
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
			}
			return nil
		}
	}
	x := company("Alpha Consulting", "jean.morel@handelshaus.ch")
	w1, w2 := company("Beta Services", "jean.morell@handelshaus.ch"), company("Gamma Treuhand", "jean.morrel@handelshaus.ch")
	w3 := company("Theta Druck", "jean.morels@handelshaus.ch")
	v := company("Delta Immobilien", "jean.morrell@handelshaus.ch")
	failed := errors.New("this writer fails after writing")
	errs := db.GroupOf(ctx,
		insert(x),      // the block holds MaxBlockSize-1
		insert(w1, w2), // MaxBlockSize+1 at w2: purged
		insert(w3),     // MaxBlockSize+2: not counted again
		func(tx billbridge.Tx) error { // three leave it: MaxBlockSize-1
			for _, c := range []*billbridge.Customer{w1, w2, w3} {
				c.Email = strings.Replace(c.Email, "handelshaus", "anderswo", 1)
				if err := tx.UpdateCustomer(ctx, c); err != nil {
					return err
				}
			}
			return nil
		},
		func(tx billbridge.Tx) error { // purged at MaxBlockSize+1, then rolled back
			if err := insert(company("Epsilon Bau", "jean.moreau@handelshaus.ch"), company("Zeta Garten", "jean.moreaux@handelshaus.ch"))(tx); err != nil {
				return err
			}
			return failed
		},
		insert(v), // MaxBlockSize: read, so v pairs with x by the domain
	)
	for i, err := range errs {
		if i == 4 {
			if !errors.Is(err, failed) {
				t.Errorf("writer %d: %v, want its own failure", i, err)
			}
		} else if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	got := pairIDs(findDuplicates(t, db, b.ID, billbridge.DuplicateFilter{CustomerID: v.ID, MinScore: 0.01}))
	if !slices.Contains(got, sortedPair(x.ID, v.ID)) {
		t.Errorf("pairs of v %v, want x through the domain block of %d", got, billbridge.MaxBlockSize)
	}
}

// TestGroupCommitWriterOutlivesItsContext: a writer whose context ends
// while its fn runs (its client went away) still runs its statements to the
// end and commits; a statement interrupted half-way would roll back the
// group's whole SQLite transaction, the other writers' work with it.
func TestGroupCommitWriterOutlivesItsContext(t *testing.T) {
	db := openSQLite(t)
	a := newAccount(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		for i := range 2 {
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Gone %d", i), ExternalID: fmt.Sprintf("gone%d", i), CreatedAt: now(), UpdatedAt: now()}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c); err != nil {
				return err
			}
			cancel() // the request ends after the first customer
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomic: %v, want nil: the writer had begun", err)
	}
	bg := context.Background()
	for i := range 2 {
		if _, _, err := db.FindCustomerByKeyOrAlias(bg, a.ID, billbridge.MatchedByExternalID, fmt.Sprintf("gone%d", i)); err != nil {
			t.Errorf("customer gone%d: %v", i, err)
		}
	}
	page, err := db.FindEvents(bg, a.ID, billbridge.EventFilter{Ascending: true, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 2 || page.Data[1].Seq != 2 {
		t.Errorf("%d events, want 2 with seqs 1 and 2", len(page.Data))
	}
	// A writer whose context ended before its turn does not run.
	ran := false
	if err := db.Atomic(ctx, func(billbridge.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("Atomic after the context ended: %v (fn ran: %v), want context.Canceled and fn not run", err, ran)
	}
}
