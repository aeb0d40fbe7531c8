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

// upsertNew upserts a new customer "Peer n" (a new email and
// Idempotency-Key each, as bench/peer's post.lua) from RunParallel's
// goroutines, b.N in all.
func (g *benchGateway) upsertNew(b *testing.B) {
	var n atomic.Int64
	run := time.Now().UnixNano()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			g.serve(b, "POST", "/v1/customers/upsert",
				fmt.Sprintf(`{"name":"Peer %d","email":"peer%d-%d@bench.example","address":{"city":"Zürich","country":"CH"}}`, i, run, i),
				http.StatusCreated, "Idempotency-Key", fmt.Sprintf("bench-%d-%d", run, i))
		}
	})
}
