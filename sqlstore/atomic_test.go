package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

var errRollback = errors.New("roll back on purpose")

func testAtomicRollback(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	c := newCustomer(t, db, a, nil)
	var cus *billbridge.Customer
	var inv *billbridge.Invoice
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		cus = &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
			Name: "Ghost", ExternalID: "ghost", CreatedAt: now(), UpdatedAt: now()}
		if err := tx.InsertCustomer(ctx, cus); err != nil {
			return err
		}
		inv = &billbridge.Invoice{ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: c.ID, Status: billbridge.StatusOpen,
			Currency: billbridge.EUR, ExternalID: "ghost", CreatedAt: now(), UpdatedAt: now()}
		if err := tx.InsertInvoice(ctx, inv); err != nil {
			return err
		}
		if _, err := tx.NextInvoiceNumber(ctx, a.ID); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, cus); err != nil {
			return err
		}
		if err := tx.InsertHook(ctx, &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: a.ID, TargetURL: "https://x.example",
			Events: []string{"*"}, Secret: "s", CreatedAt: now()}); err != nil {
			return err
		}
		return tx.SaveIdempotencyRecord(ctx, &billbridge.IdempotencyRecord{AccountID: a.ID, Key: "k", Body: []byte("x"), CreatedAt: now(), ExpiresAt: now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	// That one committed; now the same again, but rolled back.
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		c2 := *cus
		c2.ID, c2.ExternalID = billbridge.NewID(billbridge.PrefixCustomer), "ghost-2"
		if err := tx.InsertCustomer(ctx, &c2); err != nil {
			return err
		}
		if _, err := tx.NextInvoiceNumber(ctx, a.ID); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c2); err != nil {
			return err
		}
		cus.Name = "Changed"
		if err := tx.UpdateCustomer(ctx, cus); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Atomic returned %v, want fn's error", err)
	}
	_, _, err = db.FindCustomerByKeyOrAlias(ctx, a.ID, billbridge.MatchedByExternalID, "ghost-2")
	isNotFound(t, "customer of a rolled-back transaction", err)
	if got, err := db.FindCustomer(ctx, a.ID, cus.ID); err != nil || got.Name != "Ghost" {
		t.Fatalf("rolled-back update is visible: %+v, %v", got, err)
	}
	if n, err := db.LatestEventSeq(ctx, a.ID); err != nil || n != 1 {
		t.Fatalf("LatestEventSeq after rollback = %d, %v", n, err)
	}
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		n, err := tx.NextInvoiceNumber(ctx, a.ID)
		if err == nil && n != 2 {
			t.Errorf("invoice number after a rollback = %d, want 2", n)
		}
		return err
	})
}

func testAtomicRetry(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	runs := 0
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		runs++
		c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
			Name: "Retry", ExternalID: "r-1", CreatedAt: now(), UpdatedAt: now()}
		if err := tx.InsertCustomer(ctx, c); err != nil {
			return err
		}
		if runs < 3 {
			return fmt.Errorf("lost: %w", billbridge.ErrRetry)
		}
		return nil
	})
	if err != nil || runs != 3 {
		t.Fatalf("Atomic = %v after %d runs; want nil after 3", err, runs)
	}
	page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{})
	if err != nil || len(page.Data) != 1 {
		t.Fatalf("%d customers after retries, want 1 (%v)", len(page.Data), err)
	}
	// A race that never ends is given up after a few runs.
	runs = 0
	err = db.Atomic(ctx, func(tx billbridge.Tx) error { runs++; return billbridge.ErrRetry })
	if !errors.Is(err, billbridge.ErrRetry) || runs < 3 || runs > 10 {
		t.Fatalf("endless race: %v after %d runs", err, runs)
	}
	// Other errors are not retried.
	runs = 0
	err = db.Atomic(ctx, func(tx billbridge.Tx) error { runs++; return errRollback })
	if !errors.Is(err, errRollback) || runs != 1 {
		t.Fatalf("plain error: %v after %d runs", err, runs)
	}
}

// testConcurrentUpsert races 10 find-or-create transactions on one
// external_id: the unique violation makes the losers retry and find the
// winner, so exactly one customer exists and everyone sees it.
func testConcurrentUpsert(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	got := testenv.FanOut(t, 10, func(int) (string, error) {
		var id string
		err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			c, _, err := tx.FindCustomerByKeyOrAlias(ctx, a.ID, billbridge.MatchedByExternalID, "same")
			if err == nil {
				id = c.ID
				return nil
			} else if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
				return err
			}
			c = &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
				Name: "Same", ExternalID: "same", CreatedAt: now(), UpdatedAt: now()}
			time.Sleep(time.Millisecond)
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			id = c.ID
			return nil
		})
		return id, err
	})
	page, err := db.FindCustomers(ctx, a.ID, billbridge.CustomerFilter{})
	if err != nil || len(page.Data) != 1 {
		t.Fatalf("%d customers, want 1 (%v)", len(page.Data), err)
	}
	for _, id := range got {
		if id != page.Data[0].ID {
			t.Fatalf("a racer saw %s, the customer is %s", id, page.Data[0].ID)
		}
	}
}

func testInvoiceNumbers(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	taken := testenv.FanOut(t, 20, func(i int) ([]int64, error) {
		// Every third transaction first takes two numbers and rolls back.
		if i%3 == 0 {
			_ = db.Atomic(ctx, func(tx billbridge.Tx) error {
				for range 2 {
					if _, err := tx.NextInvoiceNumber(ctx, a.ID); err != nil {
						return err
					}
				}
				return errRollback
			})
		}
		// Transactions take one to three numbers: the row is written by
		// the first, the last value by the commit.
		var mine []int64
		err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			mine = nil // a retried attempt takes its numbers again
			for range i%3 + 1 {
				n, err := tx.NextInvoiceNumber(ctx, a.ID)
				if err != nil {
					return err
				}
				mine = append(mine, n)
			}
			if _, err := tx.NextInvoiceNumber(ctx, b.ID); err != nil {
				return err
			}
			time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
			return nil
		})
		return mine, err
	})
	got := slices.Concat(taken...)
	slices.Sort(got)
	var want []int64
	for i := range 20 {
		for range i%3 + 1 {
			want = append(want, int64(len(want)+1))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("invoice numbers %v, want 1..%d once each", got, len(want))
	}
}

func testLockInvoice(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	inv := newInvoice(t, db, newCustomer(t, db, a, nil), func(inv *billbridge.Invoice) { inv.Status = billbridge.StatusOpen })
	testenv.FanOut(t, 50, func(int) (struct{}, error) {
		return struct{}{}, db.Atomic(ctx, func(tx billbridge.Tx) error {
			got, err := tx.LockInvoice(ctx, a.ID, inv.ID)
			if err != nil {
				return err
			}
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
			got.AmountPaid++
			return tx.UpdateInvoice(ctx, got)
		})
	})
	got, err := db.FindInvoice(ctx, a.ID, inv.ID)
	if err != nil || got.AmountPaid != 50 {
		t.Fatalf("amount_paid after 50 locked increments = %v, %v; want 0.50", got.AmountPaid, err)
	}
}

// testEventFeedUnderLoad is the property of issue 4 ("no skipped event,
// ever"): while 8 writers commit and roll back event-appending transactions
// that sleep inside, 2 readers walking forward with After in pages of 7 each
// collect every committed event exactly once and in seq order, and a newest
// first page never starts before an event known to be committed.
func testEventFeedUnderLoad(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	const changes, writers, readers = 1000, 8, 2
	var next atomic.Int64       // changes handed to writers
	var committed atomic.Int64  // highest seq known committed
	var writersDone atomic.Bool // set when every writer returned
	var committedCount atomic.Int64
	max := func(v int64) {
		for {
			cur := committed.Load()
			if v <= cur || committed.CompareAndSwap(cur, v) {
				return
			}
		}
	}
	var writersLeft atomic.Int64
	writersLeft.Store(writers)
	// write commits or rolls back changes until all are handed out; the
	// last writer to return sets writersDone.
	write := func() error {
		defer func() {
			if writersLeft.Add(-1) == 0 {
				writersDone.Store(true)
			}
		}()
		for next.Add(1) <= changes {
			n := 1 + rand.IntN(3)
			rollback := rand.IntN(5) == 0
			var last *billbridge.Event // its Seq is set once fn has returned
			err := db.Atomic(ctx, func(tx billbridge.Tx) error {
				for i := range n {
					e, err := tx.AppendEvent(ctx, a.ID, billbridge.EventTypes[rand.IntN(len(billbridge.EventTypes))], map[string]int{"i": i})
					if err != nil {
						return err
					}
					last = e
					time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				}
				if rollback {
					return errRollback
				}
				return nil
			})
			switch {
			case rollback && errors.Is(err, errRollback):
			case err != nil:
				return err
			default:
				committedCount.Add(int64(n))
				max(last.Seq)
			}
		}
		return nil
	}
	// walk follows the feed forward in pages of 7 until the writers are
	// done and a page after that is empty, and returns what it collected.
	walk := func() ([]billbridge.Event, error) {
		var walked []billbridge.Event
		var after int64
		for {
			done := writersDone.Load() // read before the page: a page after done sees every commit
			page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, After: after, Limit: 7})
			if err != nil {
				return walked, err
			}
			walked = append(walked, page.Data...)
			if len(page.Data) > 0 {
				after = page.Data[len(page.Data)-1].Seq
			}
			if done && len(page.Data) == 0 {
				return walked, nil
			}
			if !page.HasMore {
				time.Sleep(50 * time.Microsecond) // caught up: let the writers run
			}
		}
	}
	// pollNewest reads the newest-first page 1, as Zapier and Make poll,
	// until the writers are done.
	pollNewest := func() error {
		for !writersDone.Load() {
			known := committed.Load()
			page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Limit: 5})
			if err != nil {
				return err
			}
			if known > 0 && (len(page.Data) == 0 || page.Data[0].Seq < known) {
				return fmt.Errorf("desc page 1 starts at %v, but seq %d was committed before the read", seqs(page.Data), known)
			}
			for i := 1; i < len(page.Data); i++ {
				if page.Data[i].Seq != page.Data[i-1].Seq-1 {
					return fmt.Errorf("desc page 1 has a gap: %v", seqs(page.Data))
				}
			}
			time.Sleep(100 * time.Microsecond)
		}
		return nil
	}
	// Writers, then readers, then the newest-first poller, all at once.
	walks := testenv.FanOut(t, writers+readers+1, func(i int) ([]billbridge.Event, error) {
		switch {
		case i < writers:
			return nil, write()
		case i < writers+readers:
			return walk()
		default:
			return nil, pollNewest()
		}
	})[writers : writers+readers]

	var all []billbridge.Event
	for after := int64(0); ; {
		page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, After: after, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Data...)
		if !page.HasMore {
			break
		}
		after = page.Data[len(page.Data)-1].Seq
	}
	if int64(len(all)) != committedCount.Load() {
		t.Fatalf("%d events stored, %d committed", len(all), committedCount.Load())
	}
	for i, e := range all {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: the sequence has a gap or repeat", i, e.Seq)
		}
	}
	for r, walk := range walks {
		if len(walk) != len(all) {
			t.Fatalf("reader %d collected %d events, want %d", r, len(walk), len(all))
		}
		for i := range walk {
			if walk[i].ID != all[i].ID || walk[i].Seq != all[i].Seq {
				t.Fatalf("reader %d: event %d is %s/%d, want %s/%d", r, i, walk[i].ID, walk[i].Seq, all[i].ID, all[i].Seq)
			}
		}
	}
	t.Logf("%d events committed; readers walked them all", len(all))
}
