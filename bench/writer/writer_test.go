package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	for _, c := range []struct {
		k    int64
		rate float64
		want time.Duration
	}{{0, 20, 0}, {1, 20, 50 * time.Millisecond}, {20, 20, time.Second}, {3, 0.5, 6 * time.Second}} {
		if got := due(c.k, c.rate); got != c.want {
			t.Errorf("due(%d, %g) = %v, want %v", c.k, c.rate, got, c.want)
		}
	}
}

func ev(seq int64, email string) event {
	var e event
	e.Seq, e.Data.Email = seq, email
	return e
}

func TestSaw(t *testing.T) {
	recent := []event{ev(12, "c@x"), ev(11, "mine@x"), ev(10, "b@x")}
	for _, c := range []struct {
		name   string
		page   []event
		recent []event
		want   bool
	}{
		{"own event newest", []event{ev(11, "mine@x")}, nil, true},
		{"a later write newest", []event{ev(12, "c@x")}, recent, true},
		{"an earlier write newest: stale", []event{ev(10, "b@x")}, recent, false},
		{"empty page: stale", nil, recent, false},
		{"write not among recent: stale", []event{ev(12, "c@x")}, []event{ev(12, "c@x")}, false},
	} {
		if got := saw("mine@x", c.page, c.recent); got != c.want {
			t.Errorf("%s: saw = %v, want %v", c.name, got, c.want)
		}
	}
}

// fakeAPI answers the two requests the writer makes from one in-memory
// feed of customer.created events, shared by its instances (server). lag
// hides the newest events from the check's read (limit=1); failEvery makes
// every n-th upsert answer 500.
type fakeAPI struct {
	mu        sync.Mutex
	feed      []event
	keys      map[string]bool
	lag       int
	failEvery int
	busyEvery int // every n-th upsert answers 409 with Retry-After, its key still free
	upserts   int
	reads     map[string]int // check reads by instance
	writes    map[string]int // upserts by instance
	lastWrite string         // the instance of the last upsert
	sameRead  int            // check reads through the instance of the last upsert
}

func (f *fakeAPI) server(t *testing.T, name string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/customers/upsert":
			f.upserts++
			f.writes[name]++
			f.lastWrite = name
			idem := r.Header.Get("Idempotency-Key")
			if f.busyEvery > 0 && f.upserts%f.busyEvery == 0 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusConflict)
				return
			}
			if idem == "" || f.keys[idem] {
				t.Errorf("upsert with Idempotency-Key %q (empty or repeated)", idem)
			}
			f.keys[idem] = true
			if f.failEvery > 0 && f.upserts%f.failEvery == 0 {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			var c struct{ Email string }
			if err := json.NewDecoder(r.Body).Decode(&c); err != nil || c.Email == "" {
				w.WriteHeader(http.StatusUnprocessableEntity)
				return
			}
			f.feed = append(f.feed, ev(int64(len(f.feed)+1), c.Email))
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/events" && r.URL.Query().Get("type") == "customer.created":
			limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
			seen := f.feed
			if limit == 1 { // the check's read: the one that may lag
				f.reads[name]++
				if f.lastWrite == name {
					f.sameRead++
				}
				seen = f.feed[:max(0, len(f.feed)-f.lag)]
			}
			page := []event{}
			for i := len(seen) - 1; i >= 0 && len(page) < limit; i-- {
				page = append(page, seen[i])
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"data": page})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func newFake(lag, failEvery int) *fakeAPI {
	return &fakeAPI{keys: map[string]bool{}, lag: lag, failEvery: failEvery, reads: map[string]int{}, writes: map[string]int{}}
}

// runFake makes n writes from the given clients, unpaced (a rate no clock
// holds back), against urls.
func runFake(urls []string, clients int, n int64) result {
	return newWriter(config{urls: urls, key: "k", rate: 1e9, clients: clients, count: n, stamp: "t"}).run(context.Background())
}

func TestWriterFreshFeed(t *testing.T) {
	f := newFake(0, 0)
	res := runFake([]string{f.server(t, "a")}, 4, 200)
	if !res.ok() || len(res.lat) != 200 || res.checks != 200 || res.stale != 0 || res.failed != 0 {
		t.Fatalf("fresh feed: %v (first error %q), want 200 writes, 200 checks, none stale or failed", res, res.firstErr)
	}
}

func TestWriterCountsStaleReads(t *testing.T) {
	f := newFake(1, 0) // every check's read misses the newest event
	res := runFake([]string{f.server(t, "a")}, 4, 50)
	// The write committed last has no later event to hide instead of its own.
	if res.ok() || res.checks != 50 || res.stale == 0 {
		t.Fatalf("lagging feed: %v, want stale checks and not ok", res)
	}
}

func TestWriterCountsFailedWrites(t *testing.T) {
	f := newFake(0, 5)
	res := runFake([]string{f.server(t, "a")}, 4, 50)
	if res.ok() || res.failed != 10 || len(res.lat) != 40 || res.checks != 40 || res.firstErr == "" {
		t.Fatalf("every 5th upsert 500: %v (first error %q), want 10 failed, 40 written and checked", res, res.firstErr)
	}
}

func TestWriterChecksThroughTheOtherInstance(t *testing.T) {
	f := newFake(0, 0)
	a, b := f.server(t, "a"), f.server(t, "b")
	res := runFake([]string{a, b}, 1, 100) // one client: each check follows its own write
	if !res.ok() || res.checks != 100 {
		t.Fatalf("two instances: %v (first error %q)", res, res.firstErr)
	}
	if f.writes["a"] != 50 || f.writes["b"] != 50 || f.reads["a"] != 50 || f.reads["b"] != 50 || f.sameRead != 0 {
		t.Fatalf("writes %v, checks %v, %d checks through the writing instance: want 50 each, each checked through the other",
			f.writes, f.reads, f.sameRead)
	}
}

// TestWriterSendsABusyKeyAgain: an upsert answered 409 with Retry-After
// (its key still running) is sent again with the same key, not counted as
// failed.
func TestWriterSendsABusyKeyAgain(t *testing.T) {
	f := newFake(0, 0)
	f.busyEvery = 3
	res := runFake([]string{f.server(t, "a")}, 2, 60)
	if !res.ok() || len(res.lat) != 60 || res.busy == 0 || f.upserts != 60+res.busy {
		t.Fatalf("busy keys: %v (first error %q), %d upserts sent; want 60 writes acknowledged, none failed, each 409 sent again", res, res.firstErr, f.upserts)
	}
}
