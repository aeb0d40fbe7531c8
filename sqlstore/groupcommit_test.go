package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
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
		if _, err := db.FindCustomerByKey(ctx, a.ID, billbridge.MatchedByExternalID, c.ExternalID); err != nil {
			t.Errorf("customer %s: %v", c.ExternalID, err)
		}
		delete(want, c.ExternalID)
	}
	if len(want) != 0 {
		t.Errorf("acknowledged but not stored: %v", want)
	}
}
