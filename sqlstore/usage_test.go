package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testPurgeUsage: counters of hours before the cut go, the rest stay.
func testPurgeUsage(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := newAccount(t, db)
	now := time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)
	old, kept := now.Add(-91*24*time.Hour).Truncate(time.Hour), now.Add(-89*24*time.Hour).Truncate(time.Hour)
	if err := db.AddAPIUsage(ctx, []billbridge.APIUsage{
		{AccountID: a.ID, Hour: old, Requests: 7, LastRequestAt: old},
		{AccountID: a.ID, Hour: kept, Requests: 3, LastRequestAt: kept},
	}); err != nil {
		t.Fatal(err)
	}
	n, err := db.PurgeUsage(ctx, now.Add(-billbridge.MaxHealthWindow))
	if err != nil || n < 1 {
		t.Fatalf("PurgeUsage = %d, %v; want the old hour gone", n, err)
	}
	h, err := db.APIHealthSince(ctx, a.ID, old)
	if err != nil || h.Requests != 3 || h.LastRequestAt == nil || !h.LastRequestAt.Equal(kept) {
		t.Fatalf("after the purge: %+v, %v; want only the kept hour's 3 requests", h, err)
	}
}
