package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
)

// BenchmarkUpsert measures issue 11's upsert as bench/peer drives it: a new
// customer "Peer n" (new email on one domain) with a new Idempotency-Key,
// from 16 goroutines at once (wrk's 16 connections), on an account that
// already holds 1,200 such customers, so the name block "n:peer" and the
// domain block are over billbridge.MaxBlockSize, as they are after the
// bench's first seconds. SQLite commits with synchronous=FULL: the figure
// includes the fsyncs the group commit shares.
//
//	go test -run='^$' -bench=Upsert -cpuprofile=/tmp/upsert.pprof ./routes/
func BenchmarkUpsert(b *testing.B) {
	g := newBenchGateway(b, 0)
	ctx := context.Background()
	now := time.Now().UTC()
	err := g.db.Atomic(ctx, func(tx billbridge.Tx) error {
		for i := range billbridge.MaxBlockSize + 200 {
			c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: g.acct, Kind: billbridge.KindCompany,
				Name: fmt.Sprintf("Peer seed %d", i), Email: fmt.Sprintf("seed%d@bench.example", i), PaymentTermsDays: 30, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // 16 goroutines
	b.ResetTimer()
	g.upsertNew(b)
}

// BenchmarkUpsertCandidates is BenchmarkUpsert while the domain block is
// still within billbridge.MaxBlockSize, as in bench/peer's first seconds:
// every 500 customers share a domain, so each new one is compared with the
// MaxDuplicateCandidates newest of its domain (the name block "n:peer" is
// purged after the first thousand).
//
//	go test -run='^$' -bench=UpsertCandidates -cpuprofile=/tmp/upsert.pprof ./routes/
func BenchmarkUpsertCandidates(b *testing.B) {
	g := newBenchGateway(b, 0)
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // 16 goroutines
	b.ResetTimer()
	g.upsertNewOn(b, func(run, i int64) string { return fmt.Sprintf("d%d-%d.bench.example", run, i/500) })
}

// upsertNew upserts a new customer "Peer n" (a new email and
// Idempotency-Key each, as bench/peer's post.lua) from RunParallel's
// goroutines, b.N in all.
func (g *benchGateway) upsertNew(b *testing.B) {
	g.upsertNewOn(b, func(int64, int64) string { return "bench.example" })
}

// upsertNewOn is upsertNew with the email domain of the i-th customer of a
// run.
func (g *benchGateway) upsertNewOn(b *testing.B, domain func(run, i int64) string) {
	var n atomic.Int64
	run := time.Now().UnixNano()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			g.serve(b, "POST", "/v1/customers/upsert",
				fmt.Sprintf(`{"name":"Peer %d","email":"peer%d-%d@%s","address":{"city":"Zürich","country":"CH"}}`, i, run, i, domain(run, i)),
				http.StatusCreated, "Idempotency-Key", fmt.Sprintf("bench-%d-%d", run, i))
		}
	})
}
