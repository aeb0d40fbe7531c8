package routes_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/inmem"
	"billbridge/routes"
	"billbridge/sqlstore"

	"github.com/prometheus/client_golang/prometheus"
)

// benchGateway is the gateway as cmd/billbridge serves it on the embedded
// default (SQLite, in-process cache, JSON access log at info, no rate
// limit), answering in process: what a request costs the server alone,
// without a client or the network.
type benchGateway struct {
	h    http.Handler
	key  string
	db   *sqlstore.DB
	acct string
}

// newBenchGateway seeds a SQLite database with an account holding n
// invoices over 10 customers (as bench/seed: half paid, 30 % open, 10 %
// partially paid, the rest draft or cancelled) and an invoice.created event
// each.
func newBenchGateway(b *testing.B, n int) *benchGateway {
	b.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), "Europe/Zurich", logger)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	key, hash := billbridge.NewAPIKey()
	acct := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: "Bench AG", Timezone: "Europe/Zurich", CreatedAt: now}
	if err := db.CreateAccount(ctx, acct, hash); err != nil {
		b.Fatal(err)
	}
	statuses := []string{"paid", "paid", "paid", "paid", "paid", "open", "open", "open", "partially_paid", "draft"}
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		var customers []*billbridge.Customer
		for i := range 10 {
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: acct.ID, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Customer %d", i), Email: fmt.Sprintf("customer%d@bench.example", i), PaymentTermsDays: 30, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
			customers = append(customers, c)
		}
		for i := range n {
			inv := &billbridge.Invoice{ID: billbridge.NewID(billbridge.PrefixInvoice), AccountID: acct.ID, CustomerID: customers[i%10].ID,
				Status: billbridge.StatusDraft, Currency: billbridge.CHF, DueInDays: 30, CreatedAt: now, UpdatedAt: now,
				Items: []billbridge.LineItem{{Description: "Consulting", Quantity: 1000, UnitPrice: 10000, VATRate: 810}}}
			if err := inv.ComputeTotals(); err != nil {
				return err
			}
			st := statuses[i%len(statuses)]
			if st != billbridge.StatusDraft {
				if err := inv.Finalize(billbridge.InvoiceNumber(int64(i+1)), now, acct.Location()); err != nil {
					return err
				}
			}
			switch st {
			case billbridge.StatusPaid:
				_, err = inv.ApplyPayment(inv.AmountDue, now)
			case billbridge.StatusPartiallyPaid:
				_, err = inv.ApplyPayment(inv.AmountDue/2, now)
			}
			if err != nil {
				return err
			}
			if err := tx.InsertInvoice(ctx, inv); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, acct.ID, billbridge.InvoiceCreated, inv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	mem := inmem.New()
	b.Cleanup(func() { mem.Close() })
	h := routes.New(routes.Deps{
		Store: db, Cache: mem, Limiter: mem, IdempotencyTTL: 72 * time.Hour, KeyRotationGrace: billbridge.DefaultKeyRotationGrace,
		Logger: logger, Registry: prometheus.NewRegistry(),
	})
	return &benchGateway{h: h, key: key, db: db, acct: acct.ID}
}

// serve answers one request in process and fails unless its status is want.
func (g *benchGateway) serve(b *testing.B, method, target, body string, want int, header ...string) http.Header {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	// A served request's context ends when its client goes away (net/http
	// cancels it): the store's statements see a context that can end.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, method, target, r)
	req.Header.Set("Authorization", "Bearer "+g.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	g.h.ServeHTTP(w, req)
	if w.Code != want {
		b.Fatalf("%s %s: %d, want %d: %.300s", method, target, w.Code, want, w.Body.String())
	}
	return w.Header()
}

// write upserts a new customer rate times a second from its own goroutine
// (bench/peer's writer rounds: every write a new version of the account)
// until the returned stop is called.
func (g *benchGateway) write(b *testing.B, rate int) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	run := time.Now().UnixNano()
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second / time.Duration(rate))
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
			}
			g.serve(b, "POST", "/v1/customers/upsert", fmt.Sprintf(`{"name":"Writer %d","email":"writer%d-%d@bench.example"}`, i, run, i),
				http.StatusCreated, "Idempotency-Key", fmt.Sprintf("writer-%d-%d", run, i))
		}
	}()
	return func() { close(done); <-finished }
}

// BenchmarkPoll measures what issue 11's polls and upsert cost the server
// on the embedded default, 2,000 invoices, requests answered in process from
// parallel goroutines: the unpaid list and the event feed (page of 50,
// answered from the page rendered at the account's head, 304 with its
// ETag, and while a writer changes the account 20 times a second), GET /v1/me (authentication alone) and the upsert of a new
// customer with a new Idempotency-Key.
//
//	go test -run='^$' -bench=Poll -count=5 -cpuprofile=/tmp/poll.pprof ./routes/
func BenchmarkPoll(b *testing.B) {
	g := newBenchGateway(b, 2000)
	for _, target := range []string{"/v1/invoices?status=unpaid&limit=50", "/v1/events?limit=50"} {
		name := strings.TrimPrefix(target[:strings.IndexByte(target, '?')], "/v1/")
		etag := g.serve(b, "GET", target, "", http.StatusOK).Get("ETag")
		b.Run(name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					g.serve(b, "GET", target, "", http.StatusOK)
				}
			})
		})
		b.Run(name+"-304", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					g.serve(b, "GET", target, "", http.StatusNotModified, "If-None-Match", etag)
				}
			})
		})
		b.Run(name+"-writer", func(b *testing.B) {
			defer g.write(b, 20)()
			b.SetParallelism(8) // 16 pollers on 2 cores, as wrk's 16 connections
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					g.serve(b, "GET", target, "", http.StatusOK)
				}
			})
		})
	}
	b.Run("me", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				g.serve(b, "GET", "/v1/me", "", http.StatusOK)
			}
		})
	})
	b.Run("upsert", g.upsertNew)
}
