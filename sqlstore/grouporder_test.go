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

// TestGroupCommitEventsKeepWriterOrder: a writer of a SQLite group
// transaction sees what the writers before it wrote, and may build on it;
// one that appends more events than a transaction holds (an import) writes
// them before the group's commit. Its events still come after those of the
// writers it built on: 20 writers each create a customer, 20 others each
// wait until they see one (in their group or committed) and append 120
// events about it; every such event's Seq is above its customer's.
func TestGroupCommitEventsKeepWriterOrder(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	a := newAccount(t, db)
	errNotYet := errors.New("customer not written yet")
	testenv.FanOut(t, 40, func(i int) (string, error) {
		ext := fmt.Sprintf("c%d", i/2)
		if i%2 == 0 {
			return "", db.Atomic(ctx, func(tx billbridge.Tx) error {
				c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
					Name: "Order " + ext, ExternalID: ext, CreatedAt: now(), UpdatedAt: now()}
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
				_, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c)
				return err
			})
		}
		for {
			err := db.Atomic(ctx, func(tx billbridge.Tx) error {
				if _, _, err := tx.FindCustomerByKeyOrAlias(ctx, a.ID, billbridge.MatchedByExternalID, ext); err != nil {
					return errNotYet
				}
				for range 120 {
					if _, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, map[string]string{"customer": ext}); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, errNotYet) {
				return "", err
			}
		}
	})
	created := map[string]int64{}
	var after []struct {
		seq      int64
		customer string
	}
	for cursor := int64(0); ; {
		page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, After: cursor, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Data {
			var d struct {
				ExternalID string `json:"external_id"`
				Customer   string `json:"customer"`
			}
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			if e.Type == billbridge.CustomerCreated {
				created[d.ExternalID] = e.Seq
			} else {
				after = append(after, struct {
					seq      int64
					customer string
				}{e.Seq, d.Customer})
			}
			cursor = e.Seq
		}
		if !page.HasMore {
			break
		}
	}
	if len(created) != 20 || len(after) != 20*120 {
		t.Fatalf("%d customer.created and %d other events, want 20 and %d", len(created), len(after), 20*120)
	}
	wrong := 0
	for _, e := range after {
		if e.seq < created[e.customer] {
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d events have a Seq below that of the customer.created they were written after", wrong)
	}
}

// TestGroupCommitFailedImportKeepsOthersEvents: a writer that wrote the
// events of the writers before it in its group and then fails rolls them
// back with its own; they are written again with the group's: every
// acknowledged writer's event is stored once, gapless, none of the failed
// writers'.
func TestGroupCommitFailedImportKeepsOthersEvents(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	a := newAccount(t, db)
	errImport := errors.New("the import's last row is invalid")
	testenv.FanOut(t, 40, func(i int) (string, error) {
		err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			if i%4 == 3 {
				for range 120 {
					if _, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, map[string]string{"customer": "none"}); err != nil {
						return err
					}
				}
				return errImport
			}
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Kept %d", i), ExternalID: fmt.Sprintf("k%d", i), CreatedAt: now(), UpdatedAt: now()}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			_, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c)
			return err
		})
		if i%4 == 3 {
			if !errors.Is(err, errImport) {
				return "", fmt.Errorf("writer %d: %v, want its own error", i, err)
			}
			return "", nil
		}
		return "", err
	})
	page, err := db.FindEvents(ctx, a.ID, billbridge.EventFilter{Ascending: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, e := range page.Data {
		if e.Seq != int64(i+1) || e.Type != billbridge.CustomerCreated {
			t.Fatalf("event %d: seq %d type %s, want seq %d, customer.created", i, e.Seq, e.Type, i+1)
		}
		var c billbridge.Customer
		if err := json.Unmarshal(e.Data, &c); err != nil {
			t.Fatal(err)
		}
		if seen[c.ExternalID] {
			t.Fatalf("customer %s has two events", c.ExternalID)
		}
		seen[c.ExternalID] = true
	}
	if len(seen) != 30 || page.HasMore {
		t.Fatalf("%d customer.created events (more: %v), want 30", len(seen), page.HasMore)
	}
}
