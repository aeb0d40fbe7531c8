package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"billbridge"
	"billbridge/internal/testenv"
)

// run runs d until the returned stop is called (or the test ends); stop
// returns once Run has returned.
func run(t *testing.T, d *Dispatcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		d.Run(ctx)
		close(done)
	}()
	stop = func() {
		cancel()
		receive(t, done)
	}
	t.Cleanup(stop)
	return stop
}

// hit is one request a test receiver got.
type hit struct {
	header http.Header
	body   []byte
}

func TestDispatcherRetriesUntilDelivered(t *testing.T) {
	hits := make(chan hit, 10)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hits <- hit{r.Header.Clone(), body}
		switch n.Add(1) {
		case 1:
			w.WriteHeader(http.StatusInternalServerError)
		case 2:
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
		case 3:
			<-r.Context().Done() // never answers: the client times out
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	t.Cleanup(srv.Close)

	clock := testenv.NewClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	del := deliveryFor(srv.URL+"/hook", "dlv_1", "evt_1")
	del.NextAttempt = clock.Now()
	q := newFakeQueue(del)
	const timeout = time.Second
	d := NewDispatcher(Config{
		Queue:        q,
		Guard:        Guard{AllowPrivate: true},
		Timeout:      timeout,
		PollInterval: 10 * time.Millisecond,
		Schedule:     []time.Duration{time.Second, time.Second, time.Second, time.Second},
		Clock:        clock.Now,
	})
	run(t, d)

	received := func(attempt int) {
		t.Helper()
		h := receive(t, hits)
		if err := verifySignature(testSecret, h.header, h.body); err != nil {
			t.Errorf("attempt %d: %v", attempt, err)
		}
		if id := h.header.Get("webhook-id"); id != "evt_1" {
			t.Errorf("attempt %d: webhook-id %q, want the event id evt_1", attempt, id)
		}
		if ts := h.header.Get("webhook-timestamp"); ts != strconv.FormatInt(clock.Now().Unix(), 10) {
			t.Errorf("attempt %d: webhook-timestamp %s, want the attempt's time %d", attempt, ts, clock.Now().Unix())
		}
		if !bytes.Equal(h.body, del.Payload) {
			t.Errorf("attempt %d: body %s, want the payload byte for byte", attempt, h.body)
		}
	}
	failed := func(attempt int, reason string) record {
		t.Helper()
		r := q.next(t)
		if r.op != "failed" || r.id != "dlv_1" || !strings.Contains(r.reason, reason) {
			t.Fatalf("attempt %d: recorded %+v, want failed with %q", attempt, r, reason)
		}
		return r
	}
	again := func(r record) {
		clock.Set(r.next)
		d.Wake()
	}

	received(1)
	r := failed(1, "HTTP 500")
	if wait := r.next.Sub(clock.Now()); wait < 800*time.Millisecond || wait > 1200*time.Millisecond {
		t.Errorf("attempt 1: next attempt after %v, want 1s ±20%%", wait)
	}
	again(r)

	received(2)
	r = failed(2, "HTTP 429")
	if wait := r.next.Sub(clock.Now()); wait != 2*time.Second {
		t.Errorf("attempt 2: next attempt after %v, want Retry-After's 2s", wait)
	}
	again(r)

	received(3)
	r = failed(3, "timeout")
	again(r)

	received(4)
	if r := q.next(t); r.op != "succeeded" || r.id != "dlv_1" {
		t.Fatalf("attempt 4: recorded %+v, want succeeded", r)
	}
	if got := n.Load(); got != 4 {
		t.Errorf("receiver got %d requests, want 4", got)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, lease := range q.leases {
		if lease <= timeout {
			t.Fatalf("claimed with lease %v, not longer than the timeout %v", lease, timeout)
		}
	}
}

func TestDispatcherOutcomes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.WriteHeader(http.StatusNoContent)
		case "/gone":
			w.WriteHeader(http.StatusGone)
		default:
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	t.Cleanup(srv.Close)

	ok := deliveryFor(srv.URL+"/ok", "dlv_ok", "evt_1")
	gone := deliveryFor(srv.URL+"/gone", "dlv_gone", "evt_2")
	retry := deliveryFor(srv.URL+"/fail", "dlv_retry", "evt_3")
	drop := deliveryFor(srv.URL+"/fail", "dlv_drop", "evt_4")
	drop.Attempts = 1 // the one-step schedule below is exhausted
	q := newFakeQueue(ok, gone, retry, drop)
	reg := prometheus.NewRegistry()
	d := NewDispatcher(Config{
		Queue:    q,
		Guard:    Guard{AllowPrivate: true},
		Metrics:  NewMetrics(reg),
		Schedule: []time.Duration{time.Minute},
	})
	run(t, d)

	got := map[string]string{}
	for range 4 {
		r := q.next(t)
		got[r.id] = r.op
	}
	want := map[string]string{"dlv_ok": "succeeded", "hook_dlv_gone": "gone", "dlv_retry": "failed", "dlv_drop": "dropped"}
	for id, op := range want {
		if got[id] != op {
			t.Errorf("%s: recorded %q, want %q (all: %v)", id, got[id], op, got)
		}
	}

	counts, observed := gatherMetrics(t, reg)
	wantCounts := map[string]float64{"succeeded": 1, "gone": 1, "failed": 2, "retried": 1, "dropped": 1}
	for result, n := range wantCounts {
		if counts[result] != n {
			t.Errorf("deliveries_total{result=%q} = %v, want %v", result, counts[result], n)
		}
	}
	if observed != 4 {
		t.Errorf("duration histogram has %d samples, want 4", observed)
	}
}

// gatherMetrics returns the delivery counters by result and the number of
// observed durations.
func gatherMetrics(t *testing.T, reg *prometheus.Registry) (map[string]float64, uint64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{}
	var observed uint64
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			switch mf.GetName() {
			case "billbridge_webhook_deliveries_total":
				for _, l := range m.GetLabel() {
					if l.GetName() == "result" {
						counts[l.GetValue()] = m.GetCounter().GetValue()
					}
				}
			case "billbridge_webhook_delivery_duration_seconds":
				observed = m.GetHistogram().GetSampleCount()
			}
		}
	}
	return counts, observed
}

func TestDispatcherDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	var rec recordingDialer
	q := newFakeQueue(deliveryFor(srv.URL+"/hook", "dlv_1", "evt_1"))
	// AllowPrivate so that the loopback receiver is reachable at all: only
	// not following the redirect keeps the metadata address out.
	stop := run(t, NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true, Dial: rec.dial}}))

	if r := q.next(t); r.op != "failed" || !strings.Contains(r.reason, "302") {
		t.Fatalf("recorded %+v, want failed with HTTP 302", r)
	}
	stop()
	u, _ := url.Parse(srv.URL)
	dialed := rec.dialed()
	if len(dialed) == 0 {
		t.Fatal("the receiver was never dialed")
	}
	for _, addr := range dialed {
		if addr != u.Host {
			t.Errorf("dialed %s, want only the receiver %s", addr, u.Host)
		}
	}
}

func TestDispatcherRefusesInternalAddressAtDelivery(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	// The name was public when the hook was created; now it points home.
	r := newFakeResolver()
	r.set("receiver.example.com", "127.0.0.1")
	var rec recordingDialer
	q := newFakeQueue(deliveryFor("http://receiver.example.com:"+u.Port()+"/hook", "dlv_1", "evt_1"))
	run(t, NewDispatcher(Config{Queue: q, Guard: Guard{Resolver: r, Dial: rec.dial}}))

	if r := q.next(t); r.op != "failed" || !strings.Contains(r.reason, "refused internal address") {
		t.Fatalf("recorded %+v, want failed because the address is refused", r)
	}
	if hits.Load() != 0 || len(rec.dialed()) != 0 {
		t.Fatalf("receiver got %d requests, dialer saw %v; want none", hits.Load(), rec.dialed())
	}
}

// gauge tracks how many requests are in progress and the most at once.
type gauge struct {
	mu       sync.Mutex
	cur, max int
}

func (g *gauge) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cur++
	g.max = max(g.max, g.cur)
}

func (g *gauge) exit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cur--
}

func (g *gauge) peak() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.max
}

func TestDispatcherBoundsConcurrency(t *testing.T) {
	const workers, perTarget, each = 3, 2, 10
	var total gauge
	receiver := func(g *gauge) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			total.enter()
			g.enter()
			defer total.exit()
			defer g.exit()
			// Hold the request a moment so that concurrent ones overlap.
			select {
			case <-time.After(30 * time.Millisecond):
			case <-r.Context().Done():
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	var ga, gb gauge
	a, b := receiver(&ga), receiver(&gb)
	var ds []billbridge.Delivery
	for i := range each {
		ds = append(ds, deliveryFor(a.URL, "dlv_a"+strconv.Itoa(i), "evt_a"+strconv.Itoa(i)))
	}
	for i := range each {
		ds = append(ds, deliveryFor(b.URL, "dlv_b"+strconv.Itoa(i), "evt_b"+strconv.Itoa(i)))
	}
	q := newFakeQueue(ds...)
	run(t, NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true}, Workers: workers, PerTarget: perTarget, PollInterval: 10 * time.Millisecond}))

	for range 2 * each {
		if r := q.next(t); r.op != "succeeded" {
			t.Fatalf("recorded %+v, want succeeded", r)
		}
	}
	if ga.peak() > perTarget || gb.peak() > perTarget {
		t.Errorf("per-target peaks %d and %d, want at most %d", ga.peak(), gb.peak(), perTarget)
	}
	if total.peak() > workers {
		t.Errorf("global peak %d, want at most %d", total.peak(), workers)
	}
}

func TestDispatcherRunWaitsForInFlight(t *testing.T) {
	arrived := make(chan string, 2)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- r.Header.Get("webhook-id")
		select {
		case <-release:
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	// Two deliveries to one target with one request at a time there: the
	// second waits for the first and must not start after the cancel.
	q := newFakeQueue(deliveryFor(srv.URL, "dlv_1", "evt_1"), deliveryFor(srv.URL, "dlv_2", "evt_2"))
	d := NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true}, PerTarget: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		d.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	first := receive(t, arrived)
	// Cancel, and only then let the receiver answer: Run must still be
	// waiting, and record the outcome before it returns.
	cancel()
	close(release)
	receive(t, done)

	select {
	case r := <-q.records:
		if r.op != "succeeded" || r.id != "dlv_"+strings.TrimPrefix(first, "evt_") {
			t.Fatalf("recorded %+v, want the delivery of %s succeeded", r, first)
		}
	default:
		t.Fatal("Run returned before recording the delivery in flight")
	}
	select {
	case r := <-q.records:
		t.Fatalf("unexpected outcome %+v after cancel", r)
	case id := <-arrived:
		t.Fatalf("delivery of %s started after cancel", id)
	default:
	}
}

func TestDispatcherShutdownBoundedByTimeout(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		// Read the body so the server notices when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done() // never answers
	}))
	t.Cleanup(srv.Close)
	q := newFakeQueue(deliveryFor(srv.URL, "dlv_1", "evt_1"))
	stop := run(t, NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true}, Timeout: 500 * time.Millisecond}))

	receive(t, arrived)
	stop() // returns once the attempt has timed out
	select {
	case r := <-q.records:
		if r.op != "failed" || !strings.Contains(r.reason, "timeout") {
			t.Fatalf("recorded %+v, want failed by timeout", r)
		}
	default:
		t.Fatal("Run returned before recording the timed-out delivery")
	}
}

// failingClaims is a queue whose claims fail until ok is set.
type failingClaims struct {
	*fakeQueue
	ok atomic.Bool
}

func (q *failingClaims) ClaimDeliveries(ctx context.Context, now time.Time, limit, perAccount int, lease time.Duration) ([]billbridge.Delivery, error) {
	if !q.ok.Load() {
		return nil, errors.New("database unreachable")
	}
	return q.fakeQueue.ClaimDeliveries(ctx, now, limit, perAccount, lease)
}

// TestDispatcherReportsEveryClaimRound: OnClaim hears of every claim round
// with what it claimed and its error, so the gateway counts the dispatcher
// in billbridge_job_runs_total like its other background jobs.
func TestDispatcherReportsEveryClaimRound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	t.Cleanup(srv.Close)
	clock := testenv.NewClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	del := deliveryFor(srv.URL+"/hook", "dlv_1", "evt_1")
	del.NextAttempt = clock.Now()
	q := &failingClaims{fakeQueue: newFakeQueue(del)}
	var mu sync.Mutex
	var failed, rounds, claimed int
	d := NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true}, PollInterval: 5 * time.Millisecond, Clock: clock.Now,
		OnClaim: func(n int, err error) {
			mu.Lock()
			defer mu.Unlock()
			rounds++
			claimed += n
			if err != nil {
				failed++
			}
		}})
	run(t, d)
	testenv.WaitFor(t, 10*time.Second, "failed claim rounds reported", func() bool { mu.Lock(); defer mu.Unlock(); return failed >= 2 })
	q.ok.Store(true)
	if r := q.next(t); r.op != "succeeded" {
		t.Fatalf("record %+v", r)
	}
	testenv.WaitFor(t, 10*time.Second, "a round after the delivery", func() bool { mu.Lock(); defer mu.Unlock(); return rounds > failed+1 })
	mu.Lock()
	defer mu.Unlock()
	if claimed != 1 {
		t.Errorf("%d deliveries reported claimed over %d rounds (%d failed), want 1", claimed, rounds, failed)
	}
}
