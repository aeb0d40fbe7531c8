package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// appendEvents appends one event per type in one transaction.
func appendEvents(t testing.TB, db *sqlstore.DB, accountID string, types ...string) []billbridge.Event {
	t.Helper()
	out, err := tryAppendEvents(db, accountID, types...)
	if err != nil {
		t.Fatalf("atomic: %v", err)
	}
	return out
}

// tryAppendEvents is appendEvents that returns its error, for a goroutine.
func tryAppendEvents(db *sqlstore.DB, accountID string, types ...string) ([]billbridge.Event, error) {
	return tryAppendEventsCtx(context.Background(), db, accountID, types...)
}

// tryAppendEventsCtx is tryAppendEvents under ctx.
func tryAppendEventsCtx(ctx context.Context, db *sqlstore.DB, accountID string, types ...string) ([]billbridge.Event, error) {
	var appended []*billbridge.Event // their Seq is set once fn has returned
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		appended = appended[:0]
		for i, typ := range types {
			e, err := tx.AppendEvent(ctx, accountID, typ, map[string]any{"n": i, "type": typ})
			if err != nil {
				return err
			}
			appended = append(appended, e)
		}
		return nil
	})
	out := make([]billbridge.Event, len(appended))
	for i, e := range appended {
		out[i] = *e
	}
	return out, err
}

func seqs(events []billbridge.Event) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.Seq
	}
	return out
}

func testEvents(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	if n, err := db.LatestEventSeq(ctx, a.ID); err != nil || n != 0 {
		t.Fatalf("LatestEventSeq of a new account = %d, %v", n, err)
	}
	before := now()
	c := newCustomer(t, db, a, nil)
	var appended *billbridge.Event
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		var err error
		appended, err = tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c)
		return err
	})
	if appended.Seq != 1 || appended.AccountID != a.ID || appended.Type != billbridge.CustomerCreated ||
		len(appended.ID) != len("evt_")+26 || appended.ID[:4] != "evt_" ||
		appended.OccurredAt.Before(before) || appended.OccurredAt != appended.OccurredAt.Truncate(time.Millisecond).UTC() {
		t.Fatalf("AppendEvent = %+v", appended)
	}
	cj, _ := json.Marshal(c)
	if string(appended.Data) != string(cj) {
		t.Fatalf("event data = %s, want %s", appended.Data, cj)
	}
	types := []string{billbridge.InvoiceCreated, billbridge.InvoiceFinalized, billbridge.PaymentReceived, billbridge.InvoicePaid}
	for range 3 {
		appendEvents(t, db, a.ID, types...)
		appendEvents(t, db, b.ID, billbridge.InvoiceCreated)
	}
	// a: seq 1 customer.created, then 3 × (invoice.created, finalized, payment.received, paid) = 13 events.
	if n, err := db.LatestEventSeq(ctx, a.ID); err != nil || n != 13 {
		t.Fatalf("LatestEventSeq = %d, %v; want 13", n, err)
	}
	if n, err := db.LatestEventSeq(ctx, b.ID); err != nil || n != 3 {
		t.Fatalf("LatestEventSeq of b = %d, %v; want 3 (own sequence)", n, err)
	}
	all, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(all.Data); !slices.Equal(got, []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}) || all.HasMore {
		t.Fatalf("all events newest first: %v (more %v)", got, all.HasMore)
	}
	sameJSON(t, "stored event", all.Data[12], appended)
	if !all.Data[12].OccurredAt.Equal(appended.OccurredAt) || string(all.Data[12].Data) != string(appended.Data) {
		t.Fatalf("event round trip: %+v vs %+v", all.Data[12], appended)
	}
	cases := []struct {
		f    billbridge.EventFilter
		want []int64
		more bool
	}{
		{billbridge.EventFilter{Limit: 3}, []int64{13, 12, 11}, true},
		{billbridge.EventFilter{Limit: 3, Before: 4}, []int64{3, 2, 1}, false},
		{billbridge.EventFilter{Limit: 3, Before: 5}, []int64{4, 3, 2}, true},
		{billbridge.EventFilter{Limit: 5, Before: 1}, []int64{}, false},
		{billbridge.EventFilter{Ascending: true, Limit: 4}, []int64{1, 2, 3, 4}, true},
		{billbridge.EventFilter{Ascending: true, After: 9, Limit: 4}, []int64{10, 11, 12, 13}, false},
		{billbridge.EventFilter{Ascending: true, After: 8, Limit: 4}, []int64{9, 10, 11, 12}, true},
		{billbridge.EventFilter{Ascending: true, After: 13, Limit: 4}, []int64{}, false},
		{billbridge.EventFilter{Ascending: true, After: 2, Before: 6, Limit: 10}, []int64{3, 4, 5}, false},
		{billbridge.EventFilter{Types: []string{billbridge.InvoicePaid}, Limit: 10}, []int64{13, 9, 5}, false},
		{billbridge.EventFilter{Types: []string{billbridge.InvoicePaid, billbridge.CustomerCreated}, Limit: 2}, []int64{13, 9}, true},
		{billbridge.EventFilter{Types: []string{billbridge.InvoicePaid, billbridge.CustomerCreated}, Ascending: true, After: 5, Limit: 10}, []int64{9, 13}, false},
		{billbridge.EventFilter{Types: []string{billbridge.InvoiceOverdue}, Limit: 10}, []int64{}, false},
		{billbridge.EventFilter{Types: []string{billbridge.InvoicePaid, billbridge.InvoicePaid}, Limit: 10}, []int64{13, 9, 5}, false},
		{billbridge.EventFilter{Types: []string{billbridge.InvoiceOverdue, billbridge.InvoicePaid}, Before: 13, Limit: 1}, []int64{9}, true},
		{billbridge.EventFilter{}, []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, false}, // default limit 25
	}
	for _, tc := range cases {
		page, err := db.FindEvents(ctx, a.ID, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(page.Data); !slices.Equal(got, tc.want) || page.HasMore != tc.more {
			t.Fatalf("FindEvents(%+v) = %v (more %v), want %v (more %v)", tc.f, got, page.HasMore, tc.want, tc.more)
		}
		for _, e := range page.Data {
			if len(tc.f.Types) > 0 && !slices.Contains(tc.f.Types, e.Type) {
				t.Fatalf("FindEvents(%+v) returned type %s", tc.f, e.Type)
			}
		}
	}
	// A rolled-back transaction gives its seqs back.
	_ = db.Atomic(ctx, func(tx billbridge.Tx) error {
		if _, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, 1); err != nil {
			return err
		}
		return billbridge.Errorf(billbridge.ECONFLICT, "roll back")
	})
	if got := appendEvents(t, db, a.ID, billbridge.InvoiceCreated); got[0].Seq != 14 {
		t.Fatalf("seq after a rollback = %d, want 14", got[0].Seq)
	}
}

// testEventBatches: a transaction appending more events than it keeps
// (an import) for two accounts, interleaved, numbers each account's in the
// order appended, without gaps, after what the account had.
func testEventBatches(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	appendEvents(t, db, a.ID, billbridge.CustomerCreated)
	const n = 250 // more than two batches
	var appended []*billbridge.Event
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		appended = appended[:0]
		for i := range n {
			acct := a.ID
			if i%3 == 2 {
				acct = b.ID
			}
			e, err := tx.AppendEvent(ctx, acct, billbridge.InvoiceCreated, map[string]int{"i": i})
			if err != nil {
				return err
			}
			appended = append(appended, e)
		}
		return nil
	})
	want := map[string][]string{} // each account's event ids in append order
	for _, e := range appended {
		want[e.AccountID] = append(want[e.AccountID], e.ID)
	}
	for acct, first := range map[string]int64{a.ID: 2, b.ID: 1} {
		page, err := db.FindEvents(ctx, acct, billbridge.EventFilter{Ascending: true, After: first - 1, Limit: 100})
		var got []string
		for err == nil && len(page.Data) > 0 {
			for _, e := range page.Data {
				if e.Seq != first+int64(len(got)) {
					t.Fatalf("account %s: event %d has seq %d, want %d", acct, len(got), e.Seq, first+int64(len(got)))
				}
				got = append(got, e.ID)
			}
			page, err = db.FindEvents(ctx, acct, billbridge.EventFilter{Ascending: true, After: page.Data[len(page.Data)-1].Seq, Limit: 100})
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want[acct]) {
			t.Fatalf("account %s: feed holds %d events, want the %d appended in their order", acct, len(got), len(want[acct]))
		}
	}
	for _, e := range appended {
		if e.Seq == 0 {
			t.Fatalf("event %s has no seq after the commit", e.ID)
		}
	}
}

// testEventRowTakenAtTheEnd: a transaction that appended an event and is
// still at work does not hold the account's feed: a second writer of the
// account commits meanwhile, and the first one's event, committed after,
// gets the next seq (commit order). PostgreSQL only
// (TestPostgresEventRowTakenAtTheEnd):
// SQLite runs write transactions one at a time, so the second writer would
// wait there.
func testEventRowTakenAtTheEnd(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	appendEvents(t, db, a.ID, billbridge.CustomerCreated)
	var first *billbridge.Event
	var second []billbridge.Event
	mustAtomic(t, db, func(tx billbridge.Tx) error {
		var err error
		if first, err = tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, 1); err != nil {
			return err
		}
		// Still inside the first transaction. Were the account's event row
		// taken at AppendEvent, this write would wait for a commit that
		// waits for it: the deadline (a guard against hanging, not a
		// measure) ends it with an error.
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		second, err = tryAppendEventsCtx(wctx, db, a.ID, billbridge.InvoicePaid)
		if err != nil {
			return fmt.Errorf("a second writer of the account waited for the first: %w", err)
		}
		return nil
	})
	if second[0].Seq != 2 || first.Seq != 3 {
		t.Fatalf("seqs: second writer %d, first %d; want 2 and 3 (commit order)", second[0].Seq, first.Seq)
	}
}

func testHooks(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	mk := func(url string, events ...string) *billbridge.Hook {
		h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: a.ID, TargetURL: url,
			Events: events, Secret: billbridge.NewHookSecret(), CreatedAt: now()}
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertHook(ctx, h) })
		return h
	}
	h1 := mk("https://hooks.example/a", billbridge.InvoicePaid, billbridge.InvoiceCreated)
	h2 := mk("https://hooks.example/b", "*")
	h3 := mk("https://hooks.example/a", billbridge.CustomerCreated)
	got, err := db.FindHook(ctx, a.ID, h1.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindHook", got, h1)
	if got.Secret != h1.Secret || got.AccountID != a.ID {
		t.Fatalf("FindHook lost the secret or account: %+v", got)
	}
	_, err = db.FindHook(ctx, a.ID, "hook_nope")
	isNotFound(t, "FindHook of an unknown id", err)
	allPage, err := db.FindHooks(ctx, a.ID, billbridge.HookFilter{})
	all := allPage.Data
	if err != nil || !slices.Equal(ids(all, func(h billbridge.Hook) string { return h.ID }), newestFirst([]string{h1.ID, h2.ID, h3.ID})) {
		t.Fatalf("FindHooks = %v, %v", all, err)
	}
	byURLPage, err := db.FindHooks(ctx, a.ID, billbridge.HookFilter{TargetURL: "https://hooks.example/a"})
	byURL := byURLPage.Data
	if err != nil || !sameSet(ids(byURL, func(h billbridge.Hook) string { return h.ID }), []string{h1.ID, h3.ID}) {
		t.Fatalf("FindHooks by url = %v, %v", byURL, err)
	}
	nonePage, err := db.FindHooks(ctx, a.ID, billbridge.HookFilter{TargetURL: "https://nowhere.example"})
	none := nonePage.Data
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("FindHooks of an unknown url = %#v, %v; want an empty list", none, err)
	}
	for _, limit := range []int{1, 2, 3, 4} {
		checkPagination(t, newestFirst([]string{h1.ID, h2.ID, h3.ID}), limit, func(p billbridge.PageParams) ([]string, bool, error) {
			page, err := db.FindHooks(ctx, a.ID, billbridge.HookFilter{PageParams: p})
			return ids(page.Data, func(h billbridge.Hook) string { return h.ID }), page.HasMore, err
		})
	}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.DeleteHook(ctx, a.ID, h1.ID) })
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.DeleteHook(ctx, a.ID, h1.ID) }) // again: nil
	_, err = db.FindHook(ctx, a.ID, h1.ID)
	isNotFound(t, "FindHook after DeleteHook", err)
}

func testIdempotency(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	rec := &billbridge.IdempotencyRecord{AccountID: a.ID, Key: "key-1", Fingerprint: "abc", Status: 201,
		ContentType: "application/json", Body: []byte(`{"id":"cus_1"}` + "\n"), CreatedAt: now(), ExpiresAt: now().Add(time.Hour)}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, rec) })
	got, err := db.FindIdempotencyRecord(ctx, a.ID, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.AccountID != rec.AccountID || got.Key != rec.Key || got.Fingerprint != rec.Fingerprint || got.Status != rec.Status ||
		got.ContentType != rec.ContentType || string(got.Body) != string(rec.Body) ||
		!got.CreatedAt.Equal(rec.CreatedAt) || !got.ExpiresAt.Equal(rec.ExpiresAt) {
		t.Fatalf("FindIdempotencyRecord = %+v, want %+v", got, rec)
	}
	_, err = db.FindIdempotencyRecord(ctx, a.ID, "key-2")
	isNotFound(t, "FindIdempotencyRecord of an unknown key", err)
	again := *rec
	again.Body = []byte("other")
	isRetry(t, "SaveIdempotencyRecord of a live key", db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, &again) }))

	// An expired record is invisible, may be replaced, and is purged.
	old := &billbridge.IdempotencyRecord{AccountID: a.ID, Key: "old", Fingerprint: "f", Status: 200, Body: []byte("x"),
		CreatedAt: now().Add(-2 * time.Hour), ExpiresAt: now().Add(-time.Hour)}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, old) })
	_, err = db.FindIdempotencyRecord(ctx, a.ID, "old")
	isNotFound(t, "FindIdempotencyRecord of an expired key", err)
	n, err := db.PurgeExpired(ctx, now())
	if err != nil || n != 1 {
		t.Fatalf("PurgeExpired = %d, %v; want 1", n, err)
	}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, old) })
	renewed := *old
	renewed.Fingerprint, renewed.ExpiresAt = "g", now().Add(time.Hour)
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.SaveIdempotencyRecord(ctx, &renewed) })
	if got, err := db.FindIdempotencyRecord(ctx, a.ID, "old"); err != nil || got.Fingerprint != "g" {
		t.Fatalf("replaced expired record = %+v, %v", got, err)
	}
	if _, err := db.FindIdempotencyRecord(ctx, a.ID, "key-1"); err != nil {
		t.Fatalf("PurgeExpired removed a live record: %v", err)
	}
}

// testHookCap: an account gets MaxHooks hooks and no more, also when the
// last places are taken by concurrent subscribers; another account is
// unaffected.
func testHookCap(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	insert := func(acct *billbridge.Account) error {
		h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: acct.ID, TargetURL: "https://hooks.example/" + acct.ID,
			Events: []string{"*"}, Secret: billbridge.NewHookSecret(), CreatedAt: now()}
		return db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.InsertHook(ctx, h) })
	}
	for i := range billbridge.MaxHooks - 2 {
		if err := insert(a); err != nil {
			t.Fatalf("hook %d: %v", i+1, err)
		}
	}
	// Eight at once for the two places left: each is taken or refused as invalid.
	taken := testenv.FanOut(t, 8, func(int) (bool, error) {
		err := insert(a)
		if billbridge.ErrorCode(err) == billbridge.EINVALID {
			return false, nil
		}
		return err == nil, err
	})
	ok := 0
	for _, took := range taken {
		if took {
			ok++
		}
	}
	if ok != 2 {
		t.Errorf("%d of 8 concurrent inserts for the last 2 places succeeded, want 2", ok)
	}
	page, err := db.FindHooks(ctx, a.ID, billbridge.HookFilter{PageParams: billbridge.PageParams{Limit: 1000}})
	if err != nil || len(page.Data) != billbridge.MaxHooks {
		t.Fatalf("account has %d hooks (%v), want %d", len(page.Data), err, billbridge.MaxHooks)
	}
	if err := insert(a); billbridge.ErrorCode(err) != billbridge.EINVALID {
		t.Fatalf("hook %d: %v, want EINVALID", billbridge.MaxHooks+1, err)
	}
	if err := insert(b); err != nil {
		t.Fatalf("another account's hook: %v", err)
	}
}

// testOnEvents: the OnEvents function runs once after each commit of a
// transaction that appended events to an account with a hook, never for a
// rolled back one, one without events, or one whose account has no hook
// (nothing to deliver).
func testOnEvents(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	var calls atomic.Int64
	db.OnEvents(func() { calls.Add(1) })
	defer db.OnEvents(nil)
	appendEvents(t, db, a.ID, billbridge.InvoiceCreated)
	if n := calls.Load(); n != 0 {
		t.Fatalf("after a commit of an account without hooks: %d calls, want 0", n)
	}
	newHook(t, db, a, billbridge.InvoicePaid)
	appendEvents(t, db, a.ID, billbridge.InvoiceCreated, billbridge.InvoicePaid) // one transaction, two events
	if n := calls.Load(); n != 1 {
		t.Fatalf("after one commit with two events: %d calls, want 1", n)
	}
	_ = db.Atomic(ctx, func(tx billbridge.Tx) error {
		if _, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, map[string]string{}); err != nil {
			return err
		}
		return billbridge.Errorf(billbridge.ECONFLICT, "roll back")
	})
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.DeleteHook(ctx, a.ID, "hook_none") })
	if n := calls.Load(); n != 1 {
		t.Fatalf("after a rollback and a commit without events: %d calls, want 1", n)
	}
}
