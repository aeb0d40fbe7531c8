package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// tarpitRun is what one tarpit scenario observed.
type tarpitRun struct {
	wait     time.Duration // from the neighbour's event to its delivery
	ended    int64         // tarpit attempts ended (timed out) when the neighbour's arrived
	peak     int           // most tarpit requests open at once
	tarpited int64         // tarpit requests received in all
}

// runTarpit runs a dispatcher (8 workers, timeout, defaults otherwise) on a
// real store with two accounts: one whose hooks receivers accept and never
// answer, each on its own server, with an event appended first, and a
// neighbour with one hook at a prompt receiver, its event appended after.
// It returns once the neighbour's delivery arrived and the dispatcher has
// stopped.
func runTarpit(tb testing.TB, store string, hooks int, timeout time.Duration) tarpitRun {
	tb.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(tb.TempDir(), "tarpit.db")
	if store == "postgres" {
		dsn = testenv.PostgresURL(tb)
	}
	db, err := sqlstore.Open(ctx, dsn, "UTC", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	account := func(name string) string {
		_, hash := billbridge.NewAPIKey()
		a := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: name, Timezone: "UTC", CreatedAt: time.Now().UTC()}
		if err := db.CreateAccount(ctx, a, hash); err != nil {
			tb.Fatal(err)
		}
		return a.ID
	}
	subscribe := func(accountID, url string) {
		h := &billbridge.Hook{ID: billbridge.NewID(billbridge.PrefixHook), AccountID: accountID, TargetURL: url,
			Events: []string{"*"}, Secret: billbridge.NewHookSecret(), CreatedAt: time.Now().UTC()}
		if err := db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.InsertHook(ctx, h) }); err != nil {
			tb.Fatal(err)
		}
	}
	appendEvent := func(accountID string) {
		if err := db.Atomic(ctx, func(tx billbridge.Tx) error {
			_, err := tx.AppendEvent(ctx, accountID, billbridge.InvoicePaid, map[string]string{"id": "inv_1"})
			return err
		}); err != nil {
			tb.Fatal(err)
		}
	}

	var (
		run      tarpitRun
		mu       sync.Mutex
		open     int
		ended    atomic.Int64
		tarpited atomic.Int64
		arrived  = make(chan int64, 1)
	)
	slow, fast := account("Tarpit AG"), account("Neighbour GmbH")
	for range hooks {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tarpited.Add(1)
			mu.Lock()
			open++
			run.peak = max(run.peak, open)
			mu.Unlock()
			_, _ = io.Copy(io.Discard, r.Body) // then the server notices when the client hangs up
			<-r.Context().Done()               // accept, never answer
			mu.Lock()
			open--
			mu.Unlock()
			ended.Add(1)
		}))
		tb.Cleanup(srv.Close)
		subscribe(slow, srv.URL+"/hook")
	}
	neighbour := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- ended.Load():
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	tb.Cleanup(neighbour.Close)
	subscribe(fast, neighbour.URL+"/hook")

	appendEvent(slow)
	time.Sleep(10 * time.Millisecond) // the neighbour's event is the younger
	appendEvent(fast)
	start := time.Now()
	d := NewDispatcher(Config{Queue: db, Guard: Guard{AllowPrivate: true}, Workers: 8, Timeout: timeout, PollInterval: 20 * time.Millisecond})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(rctx); close(done) }()
	select {
	case run.ended = <-arrived:
		run.wait = time.Since(start)
	case <-time.After(10*timeout + 30*time.Second): // only a broken dispatcher gets here
		cancel()
		<-done
		tb.Fatal("the neighbour's delivery never arrived")
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	run.tarpited = tarpited.Load()
	return run
}

// TestTarpitCannotStarveNeighbour: one account with 16 hooks at receivers
// that accept and never answer, and its event older than the neighbour's,
// cannot keep the neighbour's delivery waiting for its attempts: claims go
// round-robin across accounts and the tarpit holds at most PerAccount (2 of
// 8) workers, so the neighbour's delivery is sent in the first claim round,
// before any tarpit attempt has timed out. (Before, oldest-first claims gave
// all 8 workers to the tarpit and the neighbour waited two timeouts.)
func TestTarpitCannotStarveNeighbour(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			run := runTarpit(t, store, 16, 3*time.Second)
			if run.ended != 0 {
				t.Errorf("the neighbour's delivery arrived after %d tarpit attempts had timed out, want before any", run.ended)
			}
			if run.peak > 2 {
				t.Errorf("the tarpit held %d requests open at once, more than PerAccount 2", run.peak)
			}
			t.Logf("%s: neighbour delivered after %v; tarpit peak %d open, %d requests", store, run.wait.Round(time.Millisecond), run.peak, run.tarpited)
		})
	}
}

// BenchmarkTarpitNeighbour measures how long the neighbour's delivery waits
// while 16 hooks of another account tarpit, with the default 15 s timeout
// and 8 workers (the setting of issue 10).
//
//	go test -run '^$' -bench TarpitNeighbour -benchtime 1x ./webhook/
func BenchmarkTarpitNeighbour(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			for range b.N {
				run := runTarpit(b, store, 16, 15*time.Second)
				b.ReportMetric(float64(run.wait.Milliseconds()), "neighbour-ms")
				b.ReportMetric(float64(run.peak), "tarpit-open")
			}
		})
	}
}
