package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// TestSeed checks what the bench scripts rely on, on both stores: with
// -events every customer and invoice has its event and none is left
// pending for the server's fan-out; with -overdue=false no invoice is
// overdue, with the default some are.
func TestSeed(t *testing.T) {
	stores := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "seed.db") },
		"postgres": func(t *testing.T) string { return testenv.PostgresURL(t) },
	}
	for name, dsn := range stores {
		for _, overdue := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/overdue=%v", name, overdue), func(t *testing.T) {
				ctx := context.Background()
				o := options{dsn: dsn(t), name: "Seed AG", n: 45, events: true, overdue: overdue}
				var out bytes.Buffer
				if err := run(ctx, &out, o); err != nil {
					t.Fatal(err)
				}
				var answer struct {
					AccountID string `json:"account_id"`
					APIKey    string `json:"api_key"`
					Invoices  int    `json:"invoices"`
				}
				if err := json.Unmarshal(out.Bytes(), &answer); err != nil || answer.APIKey == "" || answer.Invoices != o.n {
					t.Fatalf("answer %q: %v", out.String(), err)
				}
				db, err := sqlstore.Open(ctx, o.dsn, "Europe/Zurich", slog.New(slog.NewTextHandler(io.Discard, nil)))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if seq, err := db.LatestEventSeq(ctx, answer.AccountID); err != nil || seq != int64(o.n+10) {
					t.Errorf("latest seq %d (%v), want %d: an event per customer and per invoice", seq, err, o.n+10)
				}
				created, err := db.FindEvents(ctx, answer.AccountID, billbridge.EventFilter{Types: []string{billbridge.CustomerCreated}, Limit: 100})
				if err != nil || len(created.Data) != 10 {
					t.Errorf("%d customer.created events (%v), want 10", len(created.Data), err)
				}
				if n, err := db.FanOut(ctx, 100); err != nil || n != 0 {
					t.Errorf("%d events were left pending (%v)", n, err)
				}
				today := billbridge.Today(time.Now(), time.UTC)
				late, err := db.FindInvoices(ctx, answer.AccountID, billbridge.InvoiceFilter{Status: billbridge.StatusOverdue, Today: today})
				if err != nil {
					t.Fatal(err)
				}
				// Invoices 13 and 33 are open and issued three months ago.
				if want := map[bool]int{false: 0, true: 2}[overdue]; len(late.Data) != want {
					t.Errorf("overdue %v: %d overdue invoices, want %d", overdue, len(late.Data), want)
				}
			})
		}
	}
}
