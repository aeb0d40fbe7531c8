package sqlstore_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

func TestBackupUnderLoadSQLite(t *testing.T) {
	dir := t.TempDir()
	testBackupUnderLoad(t, "sqlite:"+filepath.Join(dir, "live.db"), "sqlite:"+filepath.Join(dir, "restored", "billbridge.db"))
}

func TestBackupUnderLoadPostgres(t *testing.T) {
	testBackupUnderLoad(t, testenv.PostgresURL(t), testenv.PostgresURL(t))
}

// testBackupUnderLoad takes a backup while four writers add customers,
// invoices and events, restores it into an empty database and checks that
// the copy is what the source was at one instant: every write acknowledged
// before the backup began is in it, its event feed is gapless, and its
// customer, invoice and event lists equal the source's lists cut at the
// copy's last event.
func testBackupUnderLoad(t *testing.T, srcDSN, dstDSN string) {
	ctx := context.Background()
	src := mustOpen(t, srcDSN)
	a := newAccount(t, src)

	var acked sync.Map // customer id → true once its transaction committed
	var stop atomic.Bool
	var writes atomic.Int64
	// Four writers commit a customer and an invoice with their events,
	// over and over, until stopped.
	wait := testenv.Start(t, 4, func(int) (struct{}, error) {
		for !stop.Load() {
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
				Name: "Kunde " + billbridge.NewID(""), PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
			inv := &billbridge.Invoice{ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: a.ID, CustomerID: c.ID,
				Status: billbridge.StatusDraft, Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now(), UpdatedAt: now(),
				Items: []billbridge.LineItem{{Description: "Beratung", Quantity: 1000, UnitPrice: 10000, VATRate: 810}}}
			if err := inv.ComputeTotals(); err != nil {
				return struct{}{}, err
			}
			err := src.Atomic(ctx, func(tx billbridge.Tx) error {
				if err := tx.InsertCustomer(ctx, c); err != nil {
					return err
				}
				if _, err := tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c); err != nil {
					return err
				}
				if err := tx.InsertInvoice(ctx, inv); err != nil {
					return err
				}
				_, err := tx.AppendEvent(ctx, a.ID, billbridge.InvoiceCreated, inv)
				return err
			})
			if err != nil {
				return struct{}{}, err
			}
			acked.Store(c.ID, true)
			writes.Add(1)
		}
		return struct{}{}, nil
	})
	testenv.WaitFor(t, 30*time.Second, "writes before the backup", func() bool { return writes.Load() >= 40 })
	var before []string
	acked.Range(func(k, _ any) bool { before = append(before, k.(string)); return true })
	file := filepath.Join(t.TempDir(), "backups", "billbridge.backup")
	if err := src.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	during := writes.Load()
	testenv.WaitFor(t, 30*time.Second, "writes after the backup", func() bool { return writes.Load() >= during+20 })
	stop.Store(true)
	wait()

	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v, want 0600", st.Mode().Perm())
	}
	if strings.HasPrefix(srcDSN, "sqlite:") {
		if err := sqlstore.IntegrityCheck(ctx, file); err != nil {
			t.Fatal(err)
		}
	}
	if err := sqlstore.Restore(ctx, dstDSN, file, false); err != nil {
		t.Fatal(err)
	}
	dst := mustOpen(t, dstDSN)

	for _, id := range before {
		if _, err := dst.FindCustomer(ctx, a.ID, id); err != nil {
			t.Fatalf("customer %s acknowledged before the backup began: %v", id, err)
		}
	}
	head, err := dst.LatestEventSeq(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	srcEvents, dstEvents := allEvents(t, src, a.ID), allEvents(t, dst, a.ID)
	if int64(len(dstEvents)) != head || int64(len(srcEvents)) <= head {
		t.Fatalf("restored feed: %d events up to seq %d; source %d (writes went on after the backup)", len(dstEvents), head, len(srcEvents))
	}
	t.Logf("%d writes acknowledged before the backup, %d events in the copy, %d in the source", len(before), head, len(srcEvents))
	inCopy := map[string]bool{}
	for i, e := range dstEvents {
		if e.Seq != int64(i+1) {
			t.Fatalf("restored feed has a gap at %d: seq %d", i+1, e.Seq)
		}
		var obj struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(e.Data, &obj); err != nil {
			t.Fatal(err)
		}
		inCopy[obj.ID] = true
	}
	sameJSON(t, "restored events", dstEvents, srcEvents[:head])
	sameJSON(t, "restored customers", allCustomers(t, dst, a.ID), cut(allCustomers(t, src, a.ID), inCopy, func(c billbridge.Customer) string { return c.ID }))
	sameJSON(t, "restored invoices", allInvoices(t, dst, a.ID), cut(allInvoices(t, src, a.ID), inCopy, func(i billbridge.Invoice) string { return i.ID }))
	if len(allCustomers(t, dst, a.ID)) < len(before) {
		t.Fatal("fewer customers than acknowledged")
	}

	t.Run("the restored database takes writes that continue its feed", func(t *testing.T) {
		c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: a.ID, Kind: billbridge.KindCompany,
			Name: "Nach der Wiederherstellung AG", PaymentTermsDays: 30, CreatedAt: now(), UpdatedAt: now()}
		var e *billbridge.Event // its Seq is set once fn has returned
		err := dst.Atomic(ctx, func(tx billbridge.Tx) error {
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			var err error
			e, err = tx.AppendEvent(ctx, a.ID, billbridge.CustomerCreated, c)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if e.Seq != head+1 {
			t.Fatalf("first event after the restore has seq %d, want %d", e.Seq, head+1)
		}
		if _, err := dst.FindCustomer(ctx, a.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(dstDSN, "sqlite:") {
			if err := sqlstore.IntegrityCheck(ctx, strings.TrimPrefix(dstDSN, "sqlite:")); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("restore refuses a database that holds accounts", func(t *testing.T) {
		err := sqlstore.Restore(ctx, dstDSN, file, false)
		if err == nil || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("got %v", err)
		}
	})
}

// cut keeps the items whose id is in keep.
func cut[T any](items []T, keep map[string]bool, id func(T) string) []T {
	var out []T
	for _, it := range items {
		if keep[id(it)] {
			out = append(out, it)
		}
	}
	return out
}

func allEvents(t *testing.T, db *sqlstore.DB, accountID string) []billbridge.Event {
	t.Helper()
	var out []billbridge.Event
	var after int64
	for {
		p, err := db.FindEvents(context.Background(), accountID, billbridge.EventFilter{After: after, Ascending: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Data...)
		if !p.HasMore || len(p.Data) == 0 {
			return out
		}
		after = p.Data[len(p.Data)-1].Seq
	}
}

func allCustomers(t *testing.T, db *sqlstore.DB, accountID string) []billbridge.Customer {
	return allPages(t, func(after string) (billbridge.Page[billbridge.Customer], error) {
		return db.FindCustomers(context.Background(), accountID, billbridge.CustomerFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
	}, func(c billbridge.Customer) string { return c.ID })
}

func allInvoices(t *testing.T, db *sqlstore.DB, accountID string) []billbridge.Invoice {
	return allPages(t, func(after string) (billbridge.Page[billbridge.Invoice], error) {
		return db.FindInvoices(context.Background(), accountID, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
	}, func(i billbridge.Invoice) string { return i.ID })
}

// allPages walks a list page by page, each starting after the last item's id.
func allPages[T any](t *testing.T, page func(after string) (billbridge.Page[T], error), id func(T) string) []T {
	t.Helper()
	var out []T
	after := ""
	for {
		p, err := page(after)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Data...)
		if !p.HasMore {
			return out
		}
		after = id(p.Data[len(p.Data)-1])
	}
}
