package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
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

// testNoFanOutWithoutHooks: the events of an account without hooks are
// written with nothing to fan out (FanOut finds none), and its first hook
// gets every event appended after it.
func testNoFanOutWithoutHooks(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	drainFanOut(t, db)
	a := newAccount(t, db)
	appendEvents(t, db, a.ID, billbridge.InvoiceCreated, billbridge.InvoicePaid)
	if n, err := db.FanOut(ctx, 100); err != nil || n != 0 {
		t.Fatalf("FanOut = %d, %v; want no pending event for an account without hooks", n, err)
	}
	h := newHook(t, db, a, "*")
	after := appendEvents(t, db, a.ID, billbridge.CustomerCreated)
	if n, err := db.FanOut(ctx, 100); err != nil || n != 1 {
		t.Fatalf("FanOut = %d, %v; want the one event appended after the hook", n, err)
	}
	got := claimAll(t, db, time.Now().Add(time.Second))
	if len(got) != 1 || got[0].HookID != h.ID || got[0].EventID != after[0].ID {
		t.Fatalf("deliveries %+v, want %s to %s", got, after[0].ID, h.ID)
	}
}

// testHookSubscribedWhileAppending subscribes an account's first hook while
// a transaction of that account has written its events (without hooks:
// nothing pending) and not committed: the hook starts after those events,
// or it is seen by them. Either way it gets exactly the events above the
// Seq it was subscribed after: none is lost between the two.
func testHookSubscribedWhileAppending(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	drainFanOut(t, db)
	a := newAccount(t, db)
	appendEvents(t, db, a.ID, billbridge.InvoiceCreated)
	written, release := make(chan struct{}), make(chan struct{})
	appended := make(chan error, 1)
	go func() {
		appended <- db.Atomic(ctx, func(tx billbridge.Tx) error {
			for range 100 { // the hundredth append writes them (eventBatch)
				if _, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, map[string]any{}); err != nil {
					return err
				}
			}
			select {
			case written <- struct{}{}:
			default: // a retried attempt
			}
			<-release
			return nil
		})
	}()
	<-written
	h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: a.ID, TargetURL: "https://hooks.example/x",
		Events: []string{"*"}, Secret: billbridge.NewHookSecret(), CreatedAt: now()}
	subscribed := make(chan error, 1)
	go func() {
		subscribed <- db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.InsertHook(ctx, h) })
	}()
	select { // the subscriber waits for the appending transaction, or not
	case err := <-subscribed:
		subscribed <- err
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-appended; err != nil {
		t.Fatalf("appending: %v", err)
	}
	if err := <-subscribed; err != nil {
		t.Fatalf("subscribing: %v", err)
	}
	appendEvents(t, db, a.ID, billbridge.InvoicePaid)
	afterSeq, err := db.HookAfterSeq(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	drainFanOut(t, db)
	var want, got []string
	for after := int64(0); ; {
		page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, After: after, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Data {
			if e.Seq > afterSeq {
				want = append(want, e.ID)
			}
			after = e.Seq
		}
		if !page.HasMore {
			break
		}
	}
	for _, d := range claimAll(t, db, time.Now().Add(time.Second)) {
		if d.HookID == h.ID {
			got = append(got, d.EventID)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("hook subscribed after Seq %d got %d events, want %d: %v, want %v", afterSeq, len(got), len(want), got, want)
	}
}

// drainFanOut runs FanOut until no event is pending.
func drainFanOut(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	for {
		n, err := db.FanOut(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}
