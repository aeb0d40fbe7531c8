package triggers_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/triggers"
)

// TestOverdueJobTwoInstances runs two overdue jobs at once, as two gateway
// instances would, on one PostgreSQL database with a test clock: every
// unpaid invoice past its due date in its account's time zone gets exactly
// one invoice.overdue; paid, draft and not yet due invoices get none.
//
// The binary has no clock override, so this is the in-process proof; the
// e2e suite checks two real processes on invoices made overdue in SQL.
func TestOverdueJobTwoInstances(t *testing.T) {
	t.Parallel()
	// 10:30 UTC: 00:30 next day in Kiritimati (UTC+14), 23:30 the day
	// before in Pago Pago (UTC-11), 11:30 in Zurich.
	t0 := time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC)
	clk := testenv.NewClock(t0)
	s := apitest.Start(t, apitest.Options{Store: "postgres", Clock: billbridge.Clock(clk.Now)})
	ctx := context.Background()

	type acct struct {
		id, key, tz string
		open        []string // unpaid invoices due today (due_in_days 0)
	}
	accounts := []*acct{{tz: "Europe/Zurich"}, {tz: "Pacific/Kiritimati"}, {tz: "Pacific/Pago_Pago"}}
	for _, a := range accounts {
		key, hash := billbridge.NewAPIKey()
		a.id, a.key = billbridge.NewID(billbridge.PrefixAccount), key
		if err := s.DB.CreateAccount(ctx, &billbridge.Account{ID: a.id, Name: a.tz, Timezone: a.tz, CreatedAt: t0}, hash); err != nil {
			t.Fatal(err)
		}
		var c billbridge.Customer
		s.Must(t, 201, "POST", "/v1/customers", key, map[string]any{"name": "Late Payer AG"}).Decode(t, &c)
		invoice := func(finalize bool, days int) billbridge.Invoice {
			var inv billbridge.Invoice
			s.Must(t, 201, "POST", "/v1/invoices", key, map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": finalize, "due_in_days": days,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 0}}}).Decode(t, &inv)
			return inv
		}
		for range 8 {
			a.open = append(a.open, invoice(true, 0).ID)
		}
		partly := invoice(true, 0)
		s.Must(t, 201, "POST", "/v1/invoices/"+partly.ID+"/payments", key, map[string]any{"amount": 40})
		a.open = append(a.open, partly.ID)
		paid := invoice(true, 0)
		s.Must(t, 201, "POST", "/v1/invoices/"+paid.ID+"/payments", key, map[string]any{"amount": 100})
		invoice(false, 0) // a draft is never overdue
		invoice(true, 30) // not due for a month
	}

	jobs := []*triggers.OverdueJob{
		{Store: s.DB, Clock: billbridge.Clock(clk.Now)},
		{Store: s.DB, Clock: billbridge.Clock(clk.Now)},
	}
	runBoth := func() int { return runConcurrently(ctx, t, jobs[0], jobs[1]) }
	// overdue returns the invoice.overdue events of a, by invoice id.
	overdue := func(a *acct) map[string]int {
		out := map[string]int{}
		for _, e := range events(t, s, a.key, "?type=invoice.overdue&limit=100").Data {
			var inv billbridge.Invoice
			if err := json.Unmarshal(e.Data, &inv); err != nil {
				t.Fatal(err)
			}
			if inv.Status != billbridge.StatusOverdue {
				t.Errorf("invoice.overdue of %s with status %q", inv.ID, inv.Status)
			}
			out[inv.ID]++
		}
		return out
	}
	check := func(step string, a *acct, wantOverdue bool) {
		t.Helper()
		got := overdue(a)
		if !wantOverdue {
			if len(got) != 0 {
				t.Errorf("%s: %s has %d invoice.overdue events, want none yet", step, a.tz, len(got))
			}
			return
		}
		if len(got) != len(a.open) {
			t.Errorf("%s: %s has invoice.overdue for %d invoices, want %d", step, a.tz, len(got), len(a.open))
		}
		for _, id := range a.open {
			if got[id] != 1 {
				t.Errorf("%s: %s invoice %s has %d invoice.overdue events, want 1", step, a.tz, id, got[id])
			}
		}
		var l struct{ Data []billbridge.Invoice }
		s.Must(t, 200, "GET", "/v1/invoices?status=overdue&limit=100", a.key, nil).Decode(t, &l)
		if len(l.Data) != len(a.open) {
			t.Errorf("%s: %s lists %d overdue invoices, want %d", step, a.tz, len(l.Data), len(a.open))
		}
	}

	if n := runBoth(); n != 0 {
		t.Errorf("on the due date: %d events, want 0", n)
	}
	// An hour later it is the next day in Pago Pago only.
	clk.Set(t0.Add(time.Hour))
	if n := runBoth(); n != len(accounts[2].open) {
		t.Errorf("an hour later: %d events, want %d (Pago Pago only)", n, len(accounts[2].open))
	}
	for i, a := range accounts {
		check("an hour later", a, i == 2)
	}
	// Two days later every account is past the due date.
	clk.Set(t0.Add(48 * time.Hour))
	if n := runBoth(); n != len(accounts[0].open)+len(accounts[1].open) {
		t.Errorf("two days later: %d events, want %d", n, len(accounts[0].open)+len(accounts[1].open))
	}
	for _, a := range accounts {
		check("two days later", a, true)
	}
	if n := runBoth(); n != 0 {
		t.Errorf("once more: %d events, want 0", n)
	}
}

// TestOverdueJobReachesOverdueBehindNotYetOverdue: 201 invoices due today
// in Zurich (not overdue there yet) sort before an invoice of a Kiritimati
// account due on the same date, which is overdue there (already the next
// day). One run emits the Kiritimati event at once, on both stores, and a
// run on Zurich's next day emits the 201.
func TestOverdueJobReachesOverdueBehindNotYetOverdue(t *testing.T) {
	// 10:30 UTC: 11:30 on 10 March in Zurich, 00:30 on 11 March in Kiritimati.
	t0 := time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC)
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(t0)
			s := apitest.Start(t, apitest.Options{Store: store, Clock: billbridge.Clock(clk.Now)})
			ctx := context.Background()
			key := func(tz string) string {
				key, hash := billbridge.NewAPIKey()
				if err := s.DB.CreateAccount(ctx, &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: tz, Timezone: tz, CreatedAt: t0}, hash); err != nil {
					t.Fatal(err)
				}
				return key
			}
			invoice := func(key string, extra map[string]any) billbridge.Invoice {
				var c billbridge.Customer
				s.Must(t, 201, "POST", "/v1/customers", key, map[string]any{"name": "Late Payer AG"}).Decode(t, &c)
				body := map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": true, "due_in_days": 0,
					"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 0}}}
				for k, v := range extra {
					body[k] = v
				}
				var inv billbridge.Invoice
				s.Must(t, 201, "POST", "/v1/invoices", key, body).Decode(t, &inv)
				return inv
			}
			zurich, kiritimati := key("Europe/Zurich"), key("Pacific/Kiritimati")
			for range 201 {
				invoice(zurich, nil)
			}
			time.Sleep(2 * time.Millisecond) // a later id: it sorts after every Zurich invoice
			late := invoice(kiritimati, map[string]any{"issue_date": "2026-03-10"})
			if late.DueDate == nil || late.DueDate.String() != "2026-03-10" {
				t.Fatalf("Kiritimati invoice due %v, want 2026-03-10", late.DueDate)
			}

			job := &triggers.OverdueJob{Store: s.DB, Clock: billbridge.Clock(clk.Now)}
			if n, err := job.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("RunOnce = %d, %v; want the one Kiritimati invoice", n, err)
			}
			f := events(t, s, kiritimati, "?type=invoice.overdue")
			if len(f.Data) != 1 {
				t.Fatalf("Kiritimati has %d invoice.overdue events, want 1", len(f.Data))
			}
			if got := events(t, s, zurich, "?type=invoice.overdue"); len(got.Data) != 0 {
				t.Fatalf("Zurich has %d invoice.overdue events before its next day", len(got.Data))
			}
			clk.Set(time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)) // 00:30 on 11 March in Zurich
			if n, err := job.RunOnce(ctx); err != nil || n != 201 {
				t.Fatalf("RunOnce on Zurich's next day = %d, %v; want 201", n, err)
			}
		})
	}
}

// runConcurrently runs each job three times, the jobs at once as two
// gateway processes would (testenv.FanOut), and returns how many events
// they emitted together.
func runConcurrently(ctx context.Context, t *testing.T, jobs ...interface {
	RunOnce(context.Context) (int, error)
}) int {
	counts := testenv.FanOut(t, len(jobs), func(i int) (int, error) {
		total := 0
		for range 3 {
			n, err := jobs[i].RunOnce(ctx)
			if err != nil {
				return total, err
			}
			total += n
		}
		return total, nil
	})
	total := 0
	for _, n := range counts {
		total += n
	}
	return total
}
