package triggers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/triggers"
)

// The jobs' invoices are issued on 1 September 2026 with 10 days to pay;
// on 10 November (60 days past due) they are overdue and their level-1
// reminder is due.
var (
	batchIssued = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	batchNow    = time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC)
)

// jobStore is the store a job under test sees: it counts the transactions
// and the attempts they took (a transaction retried after a deadlock or
// another lost race takes two), and fails a write when fail says so.
type jobStore struct {
	billbridge.Store
	atomics, attempts atomic.Int64
	fail              func(op string) error // nil: no write fails
}

func (s *jobStore) Atomic(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	s.atomics.Add(1)
	return s.Store.Atomic(ctx, func(tx billbridge.Tx) error {
		s.attempts.Add(1)
		return fn(jobTx{Tx: tx, s: s})
	})
}

// jobTx is a transaction of a jobStore.
type jobTx struct {
	billbridge.Tx
	s *jobStore
}

func (t jobTx) failed(op string) error {
	if t.s.fail == nil {
		return nil
	}
	return t.s.fail(op)
}

func (t jobTx) UpdateInvoice(ctx context.Context, inv *billbridge.Invoice) error {
	if err := t.failed("UpdateInvoice"); err != nil {
		return err
	}
	return t.Tx.UpdateInvoice(ctx, inv)
}

func (t jobTx) SwapPaymentRating(ctx context.Context, accountID, customerID, rating string) (string, error) {
	if err := t.failed("SwapPaymentRating"); err != nil {
		return "", err
	}
	return t.Tx.SwapPaymentRating(ctx, accountID, customerID, rating)
}

// ledger is an account with customers and their unpaid invoices, stored
// straight through the store.
type ledger struct {
	acct      *billbridge.Account
	customers []*billbridge.Customer
	invoices  []string
	// descending makes addInvoices insert each call's invoices in the
	// reverse order of their ids, so a scan of the table meets them in
	// neither the order of their ids nor that of the id index.
	descending bool
}

// newLedger stores an account in tz with n customers.
func newLedger(t *testing.T, db billbridge.Store, tz string, customers int) *ledger {
	t.Helper()
	ctx := context.Background()
	_, hash := billbridge.NewAPIKey()
	l := &ledger{acct: &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: tz, Timezone: tz, CreatedAt: batchIssued}}
	if err := db.CreateAccount(ctx, l.acct, hash); err != nil {
		t.Fatal(err)
	}
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		l.customers = l.customers[:0]
		for i := range customers {
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: l.acct.ID, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Spät %d AG", i), ExternalID: fmt.Sprintf("crm-%d", i), PaymentTermsDays: 10, CreatedAt: batchIssued, UpdatedAt: batchIssued}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			l.customers = append(l.customers, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// addInvoices stores n open invoices of 100.00, issued on batchIssued and
// due 10 days later, one customer after the other (in the order of their
// ids, or its reverse when l.descending).
func (l *ledger) addInvoices(t *testing.T, db billbridge.Store, n int) {
	t.Helper()
	ctx := context.Background()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = billbridge.NewID(billbridge.PrefixInvoice)
	}
	if l.descending {
		slices.Sort(ids)
		slices.Reverse(ids)
	}
	var added []string
	err := db.Atomic(ctx, func(tx billbridge.Tx) error {
		added = added[:0]
		for i := range n {
			inv := &billbridge.Invoice{ID: ids[i], AccountID: l.acct.ID,
				CustomerID: l.customers[(len(l.invoices)+i)%len(l.customers)].ID, Status: billbridge.StatusDraft,
				Currency: billbridge.CHF, DueInDays: 10, CreatedAt: batchIssued, UpdatedAt: batchIssued,
				Items: []billbridge.LineItem{{Description: "Work", Quantity: 1000, UnitPrice: 10000, VATRate: 0}}}
			if err := inv.ComputeTotals(); err != nil {
				return err
			}
			number, err := tx.NextInvoiceNumber(ctx, l.acct.ID)
			if err != nil {
				return err
			}
			if err := inv.Finalize(billbridge.InvoiceNumber(number), batchIssued, l.acct.Location()); err != nil {
				return err
			}
			if err := tx.InsertInvoice(ctx, inv); err != nil {
				return err
			}
			added = append(added, inv.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	l.invoices = append(l.invoices, added...)
}

// events returns the data of the account's events of type typ, oldest first.
func (l *ledger) events(t *testing.T, db billbridge.Store, typ string) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	f := billbridge.EventFilter{Types: []string{typ}, Ascending: true, Limit: 100}
	for {
		page, err := db.FindEvents(context.Background(), l.acct.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Data {
			out = append(out, e.Data)
			f.After = e.Seq
		}
		if !page.HasMore {
			return out
		}
	}
}

// check fails unless every invoice of l has exactly one event of typ
// (invoice.overdue or invoice.reminder_due) and no other invoice has one.
func (l *ledger) check(t *testing.T, db billbridge.Store, typ string) {
	t.Helper()
	got := map[string]int{}
	for _, data := range l.events(t, db, typ) {
		var d struct {
			ID        string `json:"id"`
			InvoiceID string `json:"invoice_id"`
		}
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		if d.InvoiceID == "" { // invoice.overdue carries the invoice, reminder_due the reminder
			d.InvoiceID = d.ID
		}
		got[d.InvoiceID]++
	}
	if len(got) != len(l.invoices) {
		t.Errorf("%s: %s for %d invoices, want %d", l.acct.Timezone, typ, len(got), len(l.invoices))
	}
	for _, id := range l.invoices {
		if got[id] != 1 {
			t.Errorf("%s: invoice %s has %d %s events, want 1", l.acct.Timezone, id, got[id], typ)
		}
	}
}

// ratingChanges returns the account's payment rating changes per customer.
func (l *ledger) ratingChanges(t *testing.T, db billbridge.Store) map[string][]billbridge.PaymentRatingChange {
	t.Helper()
	out := map[string][]billbridge.PaymentRatingChange{}
	for _, data := range l.events(t, db, billbridge.CustomerPaymentRatingChanged) {
		var c billbridge.PaymentRatingChange
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		out[c.CustomerID] = append(out[c.CustomerID], c)
	}
	return out
}

// TestOverdueJobBatches: 120 overdue invoices of three customers of one
// account (three batches) and 10 of two customers of another, interleaved
// in the scan order. One run takes four transactions (one per invoice
// before) and emits one invoice.overdue per invoice and one rating change
// per customer (insufficient_data → poor: at least three overdue invoices
// each); a second run emits nothing.
func TestOverdueJobBatches(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store})
			ctx := context.Background()
			zurich, tokyo := newLedger(t, s.DB, "Europe/Zurich", 3), newLedger(t, s.DB, "Asia/Tokyo", 2)
			for range 10 {
				zurich.addInvoices(t, s.DB, 12)
				tokyo.addInvoices(t, s.DB, 1)
			}
			js := &jobStore{Store: s.DB}
			job := &triggers.OverdueJob{Store: js, Clock: func() time.Time { return batchNow }}
			if n, err := job.RunOnce(ctx); err != nil || n != 130 {
				t.Fatalf("RunOnce = %d, %v; want 130", n, err)
			}
			if n := js.atomics.Load(); n != 4 {
				t.Errorf("%d transactions, want 4 (batches of 50, 50, 20 and 10)", n)
			}
			for _, l := range []*ledger{zurich, tokyo} {
				l.check(t, s.DB, billbridge.InvoiceOverdue)
				changes := l.ratingChanges(t, s.DB)
				for _, c := range l.customers {
					ch := changes[c.ID]
					if len(ch) != 1 || ch[0].From != billbridge.RatingInsufficientData || ch[0].To != billbridge.RatingPoor || ch[0].ExternalID != c.ExternalID {
						t.Errorf("%s: customer %s rating changes %+v, want one insufficient_data → poor", l.acct.Timezone, c.ID, ch)
					}
				}
				if len(changes) != len(l.customers) {
					t.Errorf("%s: rating changes for %d customers, want %d", l.acct.Timezone, len(changes), len(l.customers))
				}
			}
			if n, err := job.RunOnce(ctx); err != nil || n != 0 {
				t.Fatalf("second RunOnce = %d, %v; want 0", n, err)
			}
		})
	}
}

// TestJobsConcurrentBatches runs two overdue jobs at once over the same
// 300 overdue invoices of two accounts, then two reminder-due jobs, as two
// gateway instances would, on both stores: exactly 300 invoice.overdue and
// 300 invoice.reminder_due, one per invoice, one rating change per
// customer (SwapPaymentRating locks the row it reads), and no transaction
// lost a race (on PostgreSQL a deadlock would be one, retried by Atomic:
// every batch locks its invoices in the order of their ids first).
func TestJobsConcurrentBatches(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store})
			ctx := context.Background()
			ledgers := []*ledger{newLedger(t, s.DB, "Europe/Zurich", 3), newLedger(t, s.DB, "Europe/Zurich", 3)}
			for range 6 { // 25 invoices of each account at a time: batches of one account span two pages
				for _, l := range ledgers {
					l.addInvoices(t, s.DB, 25)
				}
			}
			js := &jobStore{Store: s.DB}
			clock := billbridge.Clock(func() time.Time { return batchNow })
			if n := runConcurrently(ctx, t, &triggers.OverdueJob{Store: js, Clock: clock}, &triggers.OverdueJob{Store: js, Clock: clock}); n != 300 {
				t.Errorf("overdue jobs emitted %d, want 300", n)
			}
			if n := runConcurrently(ctx, t, &triggers.ReminderDueJob{Store: js, Clock: clock}, &triggers.ReminderDueJob{Store: js, Clock: clock}); n != 300 {
				t.Errorf("reminder-due jobs emitted %d, want 300", n)
			}
			if a, n := js.atomics.Load(), js.attempts.Load(); a != n {
				t.Errorf("%d transactions took %d attempts: a batch lost a race (deadlock?)", a, n)
			}
			for _, l := range ledgers {
				l.check(t, s.DB, billbridge.InvoiceOverdue)
				l.check(t, s.DB, billbridge.InvoiceReminderDue)
				for _, c := range l.customers {
					h, err := billbridge.CustomerHealth(ctx, s.DB, l.acct.ID, c.ID, batchNow, l.acct.Location())
					if err != nil || h.Rating != billbridge.RatingPoor {
						t.Errorf("customer %s: rating %q, %v; want poor", c.ID, h.Rating, err)
					}
				}
				changes := l.ratingChanges(t, s.DB)
				for _, c := range l.customers {
					if ch := changes[c.ID]; len(ch) != 1 || ch[0].From != billbridge.RatingInsufficientData || ch[0].To != billbridge.RatingPoor {
						t.Errorf("customer %s rating changes %+v, want one insufficient_data → poor", c.ID, ch)
					}
				}
				if len(changes) != len(l.customers) {
					t.Errorf("rating changes for %d customers, want %d", len(changes), len(l.customers))
				}
			}
		})
	}
}

// TestMergeAndOverdueBatchLockInOneOrder merges a customer's 50 invoices,
// stored in the reverse order of their ids, into another customer while an
// overdue job batches the account's 100 invoices, 20 rounds on PostgreSQL
// (SQLite has one writer): the merge locks the invoices it moves in the
// order of their ids, as the job's batches do (billbridge.LockInvoices),
// so one waits for the other and no transaction is retried (a deadlock
// would be, by Atomic). Every invoice is notified once and every one of the
// duplicate's moved.
func TestMergeAndOverdueBatchLockInOneOrder(t *testing.T) {
	s := apitest.Start(t, apitest.Options{Store: "postgres"})
	ctx := context.Background()
	js := &jobStore{Store: s.DB}
	clock := billbridge.Clock(func() time.Time { return batchNow })
	job := &triggers.OverdueJob{Store: js, Clock: clock}
	h := &actions.Handler{Store: js, Clock: clock}
	for round := range 20 {
		l := newLedger(t, s.DB, "Europe/Zurich", 2)
		l.descending = true
		l.addInvoices(t, s.DB, 100)
		primary, dup := l.customers[0].ID, l.customers[1].ID
		got := testenv.FanOut(t, 2, func(i int) (int, error) {
			if i == 0 {
				return job.RunOnce(ctx)
			}
			var moved int
			err := js.Atomic(ctx, func(tx billbridge.Tx) error {
				res, err := h.Merge(ctx, tx, l.acct.ID, primary, dup)
				if err == nil {
					moved = res.Moved.Invoices
				}
				return err
			})
			return moved, err
		})
		if got[0] != 100 || got[1] != 50 {
			t.Fatalf("round %d: the job emitted %d (want 100), the merge moved %d invoices (want 50)", round, got[0], got[1])
		}
	}
	if a, n := js.atomics.Load(), js.attempts.Load(); a != n {
		t.Errorf("%d transactions took %d attempts: a merge and a batch deadlocked", a, n)
	}
}

// TestOverdueJobFailedBatchRollsBack: a write failing in the middle of a
// batch (the 25th invoice's update, or the second customer's rating after
// the first customer's was recorded) rolls back the whole batch, on both
// stores: nothing marked, no event, no rating; the next run emits them all.
func TestOverdueJobFailedBatchRollsBack(t *testing.T) {
	for _, store := range apitest.Stores {
		for _, failing := range []struct {
			op string
			at int
		}{{"UpdateInvoice", 25}, {"SwapPaymentRating", 2}} {
			t.Run(store+"/"+failing.op, func(t *testing.T) {
				t.Parallel()
				s := apitest.Start(t, apitest.Options{Store: store})
				ctx := context.Background()
				l := newLedger(t, s.DB, "Europe/Zurich", 2)
				l.addInvoices(t, s.DB, 40)
				calls := 0
				diskFull := errors.New("disk full")
				js := &jobStore{Store: s.DB, fail: func(op string) error {
					if op == failing.op {
						if calls++; calls == failing.at {
							return diskFull
						}
					}
					return nil
				}}
				clock := billbridge.Clock(func() time.Time { return batchNow })
				if n, err := (&triggers.OverdueJob{Store: js, Clock: clock}).RunOnce(ctx); !errors.Is(err, diskFull) || n != 0 {
					t.Fatalf("RunOnce = %d, %v; want 0, disk full", n, err)
				}
				if got := l.events(t, s.DB, billbridge.InvoiceOverdue); len(got) != 0 {
					t.Errorf("%d invoice.overdue events after the failed batch", len(got))
				}
				if got := l.ratingChanges(t, s.DB); len(got) != 0 {
					t.Errorf("rating changes after the failed batch: %v", got)
				}
				for _, id := range l.invoices {
					inv, err := s.DB.FindInvoice(ctx, l.acct.ID, id)
					if err != nil || inv.OverdueNotified {
						t.Fatalf("invoice %s after the failed batch: notified %v, %v", id, inv != nil && inv.OverdueNotified, err)
					}
				}
				if n, err := (&triggers.OverdueJob{Store: s.DB, Clock: clock}).RunOnce(ctx); err != nil || n != 40 {
					t.Fatalf("next RunOnce = %d, %v; want 40", n, err)
				}
				l.check(t, s.DB, billbridge.InvoiceOverdue)
				if got := l.ratingChanges(t, s.DB); len(got) != 2 {
					t.Errorf("rating changes for %d customers, want 2", len(got))
				}
			})
		}
	}
}
