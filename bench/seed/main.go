// Command seed fills a billbridge database for the load run: it creates an
// account with an API key and N invoices over 10 customers straight through
// the store (no HTTP), with the statuses of a typical ledger: half paid,
// 30 % open (a tenth of them overdue), 10 % partially paid, 5 % drafts and
// 5 % cancelled. It prints {"account_id", "api_key", "invoices"} as JSON.
// With -events each invoice also gets its invoice.created event (the feed
// has something to page through); with -dump the invoices are written to a
// file as JSON lines, so a peer system (bench/peer) can load the same data.
//
//	go run ./bench/seed -db sqlite:/tmp/bench.db -n 100000
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

func main() {
	dsn := flag.String("db", "", "database URL: sqlite:/path.db or postgres://…")
	n := flag.Int("n", 1000, "invoices to create")
	name := flag.String("name", "Bench AG", "account name")
	events := flag.Bool("events", false, "append an invoice.created event per invoice")
	dump := flag.String("dump", "", "also write the invoices to this file, one JSON object a line")
	flag.Parse()
	if err := run(context.Background(), *dsn, *n, *name, *events, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, n int, name string, events bool, dump string) error {
	out := json.NewEncoder(io.Discard)
	if dump != "" {
		f, err := os.Create(dump)
		if err != nil {
			return err
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		defer w.Flush()
		out = json.NewEncoder(w)
	}
	db, err := sqlstore.Open(ctx, dsn, "Europe/Zurich", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	key, hash := billbridge.NewAPIKey()
	acct := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: name, Timezone: "Europe/Zurich", CreatedAt: now}
	if err := db.CreateAccount(ctx, acct, hash); err != nil {
		return err
	}
	customers := make([]*billbridge.Customer, 10)
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		for i := range customers {
			c := &billbridge.Customer{
				ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: acct.ID, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Customer %d", i), Email: fmt.Sprintf("customer%d@bench.example", i),
				PaymentTermsDays: 30, CreatedAt: now, UpdatedAt: now,
			}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			customers[i] = c
		}
		return nil
	})
	if err != nil {
		return err
	}
	statuses := []string{"paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid", "paid",
		"open", "open", "open", "open", "open", "open", "partially_paid", "partially_paid", "draft", "cancelled"}
	loc := acct.Location()
	const batch = 1000
	number := int64(0)
	for start := 0; start < n; start += batch {
		err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				inv := &billbridge.Invoice{
					ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: acct.ID, CustomerID: customers[i%len(customers)].ID,
					Status: billbridge.StatusDraft, Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now, UpdatedAt: now,
					Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}},
				}
				if err := inv.ComputeTotals(); err != nil {
					return err
				}
				st := statuses[i%len(statuses)]
				if st != billbridge.StatusDraft {
					issued := now
					if i%10 == 3 {
						issued = now.AddDate(0, -3, 0) // past due: overdue when unpaid
					}
					number++
					if err := inv.Finalize(billbridge.InvoiceNumber(number), issued, loc); err != nil {
						return err
					}
				}
				switch st {
				case billbridge.StatusPaid:
					_, err = inv.ApplyPayment(inv.AmountDue, now)
				case billbridge.StatusPartiallyPaid:
					_, err = inv.ApplyPayment(inv.AmountDue/2, now)
				case billbridge.StatusCancelled:
					err = inv.Cancel(now)
				}
				if err != nil {
					return err
				}
				if err := tx.InsertInvoice(ctx, inv); err != nil {
					return err
				}
				if events {
					if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceCreated, inv); err != nil {
						return err
					}
				}
				if err := out.Encode(inv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"account_id": acct.ID, "api_key": key, "invoices": n})
}
