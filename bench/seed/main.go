// Command seed fills a billbridge database for the load run: it creates an
// account with an API key and N invoices over 10 customers straight through
// the store (no HTTP), with the statuses of a typical ledger: half paid,
// 30 % open (a tenth of them overdue), 10 % partially paid, 5 % drafts and
// 5 % cancelled. With -overdue=false none is past due, so the server's
// overdue job has nothing to add when it starts on the database. It prints
// {"account_id", "api_key", "invoices"} as JSON.
//
// With -events each customer gets its customer.created event and each
// invoice its invoice.created event (the feed has something to page
// through, and customer.created is a rare type among many); then the
// events' hook fan-out runs to the end (sqlstore's FanOut, as the server's
// dispatcher would), so a server started on the database does not spend its
// first minutes on it. With -dump the invoices are written to a file as JSON
// lines, so a peer system (bench/peer) can load the same data.
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

// fanOutBatch is how many pending events one FanOut transaction of the
// seed expands: the account has no hooks, so each only marks them expanded.
const fanOutBatch = 5000

func main() {
	var o options
	flag.StringVar(&o.dsn, "db", "", "database URL: sqlite:/path.db or postgres://…")
	flag.IntVar(&o.n, "n", 1000, "invoices to create")
	flag.StringVar(&o.name, "name", "Bench AG", "account name")
	flag.BoolVar(&o.events, "events", false, "append a customer.created event per customer and an invoice.created event per invoice")
	flag.BoolVar(&o.overdue, "overdue", true, "issue a tenth of the invoices three months ago, so the unpaid ones are overdue")
	flag.StringVar(&o.dump, "dump", "", "also write the invoices to this file, one JSON object a line")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	dsn, name, dump string
	n               int
	events, overdue bool
}

// run seeds the database of o.dsn and writes the seed's JSON answer to stdout.
func run(ctx context.Context, stdout io.Writer, o options) error {
	out := json.NewEncoder(io.Discard)
	if o.dump != "" {
		f, err := os.Create(o.dump)
		if err != nil {
			return err
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		defer w.Flush()
		out = json.NewEncoder(w)
	}
	db, err := sqlstore.Open(ctx, o.dsn, "Europe/Zurich", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	key, hash := billbridge.NewAPIKey()
	acct := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: o.name, Timezone: "Europe/Zurich", CreatedAt: now}
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
			if o.events {
				if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.CustomerCreated, c); err != nil {
					return err
				}
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
	for start := 0; start < o.n; start += batch {
		err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			for i := start; i < min(start+batch, o.n); i++ {
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
					if o.overdue && i%10 == 3 {
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
				if o.events {
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
	for pending := o.events; pending; {
		done, err := db.FanOut(ctx, fanOutBatch)
		if err != nil {
			return fmt.Errorf("fan-out: %w", err)
		}
		pending = done == fanOutBatch
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"account_id": acct.ID, "api_key": key, "invoices": o.n})
}
