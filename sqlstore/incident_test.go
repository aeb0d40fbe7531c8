package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// testRecentIncidents checks that RecentIncidents lists the account's
// incidents newest first, honours the limit and never returns another
// account's incidents, even newer ones.
func testRecentIncidents(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a, b := newAccount(t, db), newAccount(t, db)
	base := now()
	report := func(acct *billbridge.Account, msg string, at time.Time) billbridge.Incident {
		in := billbridge.Incident{ID: billbridge.NewID("inc"), AccountID: acct.ID, Source: "n8n", Workflow: "wf " + msg,
			ExecutionURL: "https://n8n.example.ch/e/" + msg, Message: msg, CreatedAt: at}
		mustAtomic(t, db, func(tx billbridge.Tx) error { return tx.InsertIncident(ctx, &in) })
		return in
	}
	// Stored out of order, so only ORDER BY can put them newest first.
	second := report(a, "second", base.Add(-2*time.Hour))
	newest := report(a, "newest", base.Add(-time.Minute))
	oldest := report(a, "oldest", base.Add(-72*time.Hour))
	report(b, "other", base) // newer than all of a's

	got, err := db.RecentIncidents(ctx, a.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []billbridge.Incident{newest, second, oldest}
	if len(got) != len(want) {
		t.Fatalf("RecentIncidents = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("RecentIncidents[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got, err := db.RecentIncidents(ctx, a.ID, 2); err != nil || len(got) != 2 || got[0].ID != newest.ID || got[1].ID != second.ID {
		t.Errorf("RecentIncidents limit 2 = %+v, %v; want newest, second", got, err)
	}
	got, err = db.RecentIncidents(ctx, b.ID, 10)
	if err != nil || len(got) != 1 || got[0].Message != "other" || got[0].AccountID != b.ID {
		t.Errorf("RecentIncidents of b = %+v, %v; want only b's incident", got, err)
	}
	if got, err := db.RecentIncidents(ctx, newAccount(t, db).ID, 5); err != nil || len(got) != 0 {
		t.Errorf("RecentIncidents of an account without incidents = %+v, %v", got, err)
	}
}
