package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// testFanOut appends events for an account with hooks: the writer's
// transaction enqueues nothing, FanOut expands each event once into one
// delivery per hook that wants it, a second FanOut finds nothing, and a
// hook subscribed later gets only the events appended after it.
func testFanOut(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	paid := newHook(t, db, a, billbridge.InvoicePaid)
	star := newHook(t, db, a, "*")
	events := appendEvents(t, db, a.ID, billbridge.InvoicePaid, billbridge.InvoiceCreated, billbridge.InvoicePaid)
	late := newHook(t, db, a, "*") // subscribed after those three
	after := appendEvents(t, db, a.ID, billbridge.CustomerCreated)

	n, err := db.FanOut(ctx, 100)
	if err != nil || n != 4 {
		t.Fatalf("FanOut = %d, %v; want the 4 pending events", n, err)
	}
	if n, err := db.FanOut(ctx, 100); err != nil || n != 0 {
		t.Fatalf("second FanOut = %d, %v; want nothing left", n, err)
	}
	got := map[string]bool{}
	for _, d := range claimAll(t, db, time.Now().Add(time.Second)) {
		pair := d.HookID + "/" + d.EventID
		if got[pair] {
			t.Fatalf("two deliveries of event %s to hook %s", d.EventID, d.HookID)
		}
		got[pair] = true
	}
	want := map[string]bool{
		paid.ID + "/" + events[0].ID: true, paid.ID + "/" + events[2].ID: true,
		star.ID + "/" + events[0].ID: true, star.ID + "/" + events[1].ID: true, star.ID + "/" + events[2].ID: true,
		star.ID + "/" + after[0].ID: true, late.ID + "/" + after[0].ID: true,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("deliveries %v, want %v", got, want)
	}
}

// testConcurrentFanOut appends events of two accounts in many writer
// transactions while four dispatchers (goroutines, each on its own
// connection on PostgreSQL) run FanOut in small batches: in the end every
// event reached every hook that wants it exactly once.
func testConcurrentFanOut(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	wants := map[string][]*billbridge.Hook{}
	var accounts []*billbridge.Account
	for range 2 {
		a := newAccount(t, db)
		accounts = append(accounts, a)
		for _, types := range [][]string{{"*"}, {billbridge.InvoicePaid}, {billbridge.CustomerCreated, billbridge.InvoicePaid}} {
			wants[a.ID] = append(wants[a.ID], newHook(t, db, a, types...))
		}
	}
	want := map[string]bool{} // written by the writer alone, read once all returned
	written := make(chan struct{})
	// write appends 120 events, 6 at a time, alternating between the
	// accounts, and notes which hook must get each.
	write := func() error {
		defer close(written)
		for i := range 20 {
			a := accounts[i%2]
			events, err := tryAppendEvents(db, a.ID, make12()[:6]...)
			if err != nil {
				return err
			}
			for _, e := range events {
				for _, h := range wants[a.ID] {
					if h.Wants(e.Type) {
						want[h.ID+"/"+e.ID] = true
					}
				}
			}
		}
		return nil
	}
	// expand runs FanOut in batches of 7 until the writing is over and a
	// batch after it finds nothing, and returns how many events it expanded.
	expand := func() (int, error) {
		total := 0
		for {
			n, err := db.FanOut(ctx, 7)
			if err != nil {
				return total, err
			}
			total += n
			if n > 0 {
				continue
			}
			select {
			case <-written:
				if n, err = db.FanOut(ctx, 7); err == nil && n == 0 {
					return total, nil
				}
				total += n
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}
	// One writer and four expanders at once.
	expanded := testenv.FanOut(t, 5, func(i int) (int, error) {
		if i == 0 {
			return 0, write()
		}
		return expand()
	})
	sum := 0
	for _, n := range expanded {
		sum += n
	}
	if sum != 120 {
		t.Fatalf("the FanOuts expanded %d events in all, want each of the 120 once", sum)
	}
	got := map[string]bool{}
	for _, d := range claimAll(t, db, time.Now().Add(time.Second)) {
		pair := d.HookID + "/" + d.EventID
		if got[pair] {
			t.Fatalf("two deliveries of event %s to hook %s", d.EventID, d.HookID)
		}
		got[pair] = true
	}
	if len(got) != len(want) {
		t.Fatalf("%d deliveries, want %d", len(got), len(want))
	}
	for pair := range want {
		if !got[pair] {
			t.Fatalf("no delivery %s", pair)
		}
	}
}
