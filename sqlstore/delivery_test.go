package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

func newHook(t testing.TB, db *sqlstore.DB, a *billbridge.Account, events ...string) *billbridge.Hook {
	t.Helper()
	h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: a.ID, TargetURL: "https://hooks.example/" + billbridge.NewID(""),
		Events: events, Secret: billbridge.NewHookSecret(), CreatedAt: now()}
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertHook(context.Background(), h) })
	return h
}

// claimAll claims every delivery due at at, in pages of 10.
func claimAll(t testing.TB, db *sqlstore.DB, at time.Time) []billbridge.Delivery {
	t.Helper()
	var out []billbridge.Delivery
	for {
		got, err := db.ClaimDeliveries(context.Background(), at, 10, 0, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			return out
		}
		out = append(out, got...)
	}
}

func testDeliveries(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	paid := newHook(t, db, a, billbridge.InvoicePaid)
	star := newHook(t, db, a, "*")
	newHook(t, db, a, billbridge.CustomerCreated)
	newHook(t, db, b, "*") // another account's hook never gets a's events
	events := appendEvents(t, db, a.ID, billbridge.InvoicePaid, billbridge.InvoiceCreated)

	got := claimAll(t, db, time.Now().Add(time.Second))
	if len(got) != 3 {
		t.Fatalf("claimed %d deliveries, want 3 (paid→2 hooks, created→1)", len(got))
	}
	byHook := map[string][]billbridge.Delivery{}
	for _, d := range got {
		byHook[d.HookID] = append(byHook[d.HookID], d)
		var hook *billbridge.Hook
		switch d.HookID {
		case paid.ID:
			hook = paid
		case star.ID:
			hook = star
		default:
			t.Fatalf("delivery for unexpected hook %s", d.HookID)
		}
		var ev billbridge.Event
		for _, e := range events {
			if e.ID == d.EventID {
				ev = e
			}
		}
		feed, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, After: ev.Seq - 1, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(feed.Data[0])
		if string(d.Payload) != string(want) {
			t.Fatalf("payload %s, want the feed's %s", d.Payload, want)
		}
		if d.AccountID != a.ID || d.TargetURL != hook.TargetURL || d.Secret != hook.Secret || d.Attempts != 0 || d.ID[:4] != "dlv_" || d.CreatedAt.IsZero() {
			t.Fatalf("delivery = %+v", d)
		}
	}
	if len(byHook[paid.ID]) != 1 || len(byHook[star.ID]) != 2 {
		t.Fatalf("deliveries per hook: %v", byHook)
	}
	// Leased deliveries are not handed out again until the lease ends.
	if again := claimAll(t, db, time.Now().Add(30*time.Second)); len(again) != 0 {
		t.Fatalf("claimed %d leased deliveries", len(again))
	}
	later := now().Add(2 * time.Minute)
	if again := claimAll(t, db, later); len(again) != 3 {
		t.Fatalf("after the lease: claimed %d, want 3", len(again))
	}

	// A failed attempt is counted and waits for its next time.
	d := byHook[paid.ID][0]
	next := later.Add(time.Hour)
	if err := db.DeliveryFailed(ctx, d.ID, next, "HTTP 500"); err != nil {
		t.Fatal(err)
	}
	for _, x := range claimAll(t, db, next.Add(-time.Second)) {
		if x.ID == d.ID {
			t.Fatal("a failed delivery was claimed before its next attempt")
		}
	}
	retried := claimAll(t, db, next)
	if len(retried) != 1 || retried[0].ID != d.ID || retried[0].Attempts != 1 || !retried[0].NextAttempt.Equal(next) {
		t.Fatalf("retried = %+v", retried)
	}

	// Delivered and dropped deliveries are gone.
	for i, x := range byHook[star.ID] {
		var err error
		if i == 0 {
			err = db.DeliverySucceeded(ctx, x.ID)
		} else {
			err = db.DropDelivery(ctx, x.ID, "expired")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// What is left: the failed delivery, and the drop's own alert.fired
	// event on its way to the hook that takes every event.
	left := claimAll(t, db, next.Add(time.Hour))
	var retry, alert int
	for _, x := range left {
		var ev struct {
			Type string `json:"type"`
			Data struct {
				Kind    string `json:"kind"`
				Subject string `json:"subject"`
			} `json:"data"`
		}
		_ = json.Unmarshal(x.Payload, &ev)
		switch {
		case x.ID == d.ID:
			retry++
		case x.HookID == star.ID && ev.Type == billbridge.AlertFired && ev.Data.Kind == "delivery_dropped" && ev.Data.Subject == star.ID:
			alert++
		}
	}
	if len(left) != 2 || retry != 1 || alert != 1 {
		t.Fatalf("left after success and drop: %+v, want the failed delivery and the drop's alert.fired", left)
	}

	// A hook gone (410) takes its deliveries along; so does DeleteHook.
	if err := db.HookGone(ctx, paid.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.HookGone(ctx, paid.ID); err != nil {
		t.Fatalf("HookGone again: %v", err)
	}
	_, err := db.FindHook(ctx, a.ID, paid.ID)
	isNotFound(t, "FindHook after HookGone", err)
	appendEvents(t, db, a.ID, billbridge.InvoicePaid)
	mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.DeleteHook(ctx, a.ID, star.ID) })
	if left := claimAll(t, db, next.Add(24*time.Hour)); len(left) != 0 {
		t.Fatalf("deliveries of deleted hooks: %+v", left)
	}
}

func testConcurrentClaims(t *testing.T, db *sqlstore.DB) {
	a := newAccount(t, db)
	newHook(t, db, a, "*")
	const total = 120
	for range total / 12 {
		appendEvents(t, db, a.ID, make12()...)
	}
	at := time.Now().Add(time.Second)
	// Four claimers take batches of 7 until nothing is left.
	claims := testenv.FanOut(t, 4, func(int) ([]string, error) {
		var ids []string
		for {
			got, err := db.ClaimDeliveries(context.Background(), at, 7, 0, time.Hour)
			if err != nil || len(got) == 0 {
				return ids, err
			}
			for _, d := range got {
				ids = append(ids, d.ID)
			}
		}
	})
	seen := map[string]int{}
	for _, id := range slices.Concat(claims...) {
		seen[id]++
	}
	if len(seen) != total {
		t.Fatalf("claimed %d distinct deliveries, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("delivery %s handed out %d times", id, n)
		}
	}
}

func make12() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = billbridge.EventTypes[i%len(billbridge.EventTypes)]
	}
	return out
}
