package webhook

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"billbridge"
)

// Config configures a Dispatcher. Only Queue is required; zero fields take
// the defaults named on them.
type Config struct {
	// Queue hands out due deliveries and records their outcomes.
	Queue billbridge.DeliveryQueue
	// Guard checks every connection a delivery makes.
	Guard Guard
	// Logger logs failed, dropped and gone deliveries (never secrets or
	// bodies); nil discards.
	Logger *slog.Logger
	// Metrics counts deliveries; nil counts nothing.
	Metrics *Metrics
	// Timeout bounds one attempt, from connecting to the response headers
	// and at most 64 KiB of body; default 15s.
	Timeout time.Duration
	// Workers bounds the deliveries in progress in this process; default 8.
	Workers int
	// PerTarget bounds the concurrent requests to one target host (the
	// URL's host and port); default 2.
	PerTarget int
	// PerAccount bounds the deliveries of one account in progress at once,
	// across every instance (the queue counts their leases); default
	// Workers/4, at least 1. An account whose receivers never answer holds
	// at most PerAccount workers, so while fewer than Workers/PerAccount
	// accounts tarpit at once another account's due delivery is claimed in
	// the next claim round.
	PerAccount int
	// PollInterval is how often the queue is asked for due deliveries when
	// it had none; default 1s.
	PollInterval time.Duration
	// Batch is the most deliveries claimed at once; default Workers.
	Batch int
	// Lease is how long a claimed delivery stays hidden from other
	// dispatchers. It covers waiting for a per-target slot and the attempt;
	// default (Workers/PerTarget + 2) × Timeout, which also replaces a Lease
	// not longer than Timeout.
	Lease time.Duration
	// Schedule is the wait after each failed attempt; default DefaultSchedule.
	Schedule []time.Duration
	// Clock tells the time; nil is the system clock.
	Clock billbridge.Clock
	// OnClaim, when set, is told of every claim round: how many deliveries
	// it claimed and its error (nil when the queue answered). The gateway
	// counts the rounds in billbridge_job_runs_total{job="deliveries"}
	// with its other background jobs. It must not block.
	OnClaim func(claimed int, err error)
	// Rand returns a number in [0, 1) for jitter; default math/rand/v2.
	Rand func() float64
}

// Dispatcher delivers due hook deliveries from a DeliveryQueue: at most
// Workers at once, at most PerAccount at once of one account (claimed
// round-robin across accounts) and at most PerTarget at once to one target
// host, each
// signed per Standard Webhooks, redirects not followed. 2xx removes the
// delivery, 410 removes the hook, anything else (or a timeout or connection
// error) schedules the next attempt by the Schedule with jitter and no
// earlier than Retry-After, and drops the delivery when the schedule is
// exhausted. A delivery is sent at least once: when the process dies
// mid-attempt its lease expires and another attempt follows.
type Dispatcher struct {
	cfg     Config
	log     *slog.Logger
	client  *http.Client
	slots   chan struct{} // one token per delivery in progress
	wake    chan struct{}
	targets targets
}

// NewDispatcher returns a Dispatcher for cfg, filling in defaults. It
// panics when cfg.Queue is nil.
func NewDispatcher(cfg Config) *Dispatcher {
	if cfg.Queue == nil {
		panic("webhook: Config.Queue is nil")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.PerTarget <= 0 {
		cfg.PerTarget = 2
	}
	if cfg.PerAccount <= 0 {
		cfg.PerAccount = max(1, cfg.Workers/4)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Batch <= 0 || cfg.Batch > cfg.Workers {
		cfg.Batch = cfg.Workers
	}
	if cfg.Lease <= cfg.Timeout {
		cfg.Lease = time.Duration(cfg.Workers/cfg.PerTarget+2) * cfg.Timeout
	}
	if cfg.Schedule == nil {
		cfg.Schedule = DefaultSchedule
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{
		cfg:     cfg,
		log:     log.With("component", "webhook"),
		client:  newClient(cfg.Guard, cfg.PerTarget),
		slots:   make(chan struct{}, cfg.Workers),
		wake:    make(chan struct{}, 1),
		targets: targets{limit: cfg.PerTarget, m: map[string]*target{}},
	}
}

// Wake makes Run poll the queue now rather than at the next interval, e.g.
// right after a commit that enqueued deliveries. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due deliveries until ctx is cancelled, then stops claiming,
// lets the attempts in flight finish (each bounded by Timeout) and records
// their outcomes before it returns. Deliveries claimed but not yet started
// are left to their lease and attempted again later.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	tick := time.NewTicker(d.cfg.PollInterval)
	defer tick.Stop()
	for {
		n, ok := d.acquire(ctx)
		if !ok {
			return
		}
		claimed, err := d.cfg.Queue.ClaimDeliveries(ctx, d.cfg.Clock.Now(), n, d.cfg.PerAccount, d.cfg.Lease)
		if err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "claiming deliveries", "err", err)
		}
		if d.cfg.OnClaim != nil && ctx.Err() == nil {
			d.cfg.OnClaim(len(claimed), err)
		}
		if len(claimed) > n { // a queue handing out more than asked: the rest return after their lease
			claimed = claimed[:n]
		}
		for range n - len(claimed) {
			<-d.slots
		}
		for _, del := range claimed {
			wg.Go(func() {
				defer func() { <-d.slots }()
				d.handle(ctx, del)
			})
		}
		if err == nil && len(claimed) == n {
			continue // the queue may hold more due deliveries
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-d.wake:
		}
	}
}

// acquire waits for at least one free delivery slot and takes up to Batch;
// ok is false when ctx ends first.
func (d *Dispatcher) acquire(ctx context.Context) (n int, ok bool) {
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, false
	}
	for n = 1; n < d.cfg.Batch; n++ {
		select {
		case d.slots <- struct{}{}:
		default:
			return n, true
		}
	}
	return n, true
}

// targets limits concurrent requests per target host.
type targets struct {
	limit int
	mu    sync.Mutex
	m     map[string]*target
}

// target is the semaphore of one host, kept while anyone uses it.
type target struct {
	slots chan struct{}
	users int
}

// acquire waits for a request slot of host; ok is false (and nothing is
// held) when ctx ends first. A true ok must be followed by release(host).
func (t *targets) acquire(ctx context.Context, host string) (ok bool) {
	t.mu.Lock()
	tg := t.m[host]
	if tg == nil {
		tg = &target{slots: make(chan struct{}, t.limit)}
		t.m[host] = tg
	}
	tg.users++
	t.mu.Unlock()
	select {
	case tg.slots <- struct{}{}:
		if ctx.Err() == nil {
			return true
		}
		<-tg.slots
	case <-ctx.Done():
	}
	t.done(host, tg)
	return false
}

// release frees the request slot of host taken by acquire.
func (t *targets) release(host string) {
	t.mu.Lock()
	tg := t.m[host]
	t.mu.Unlock()
	<-tg.slots
	t.done(host, tg)
}

// done forgets one user of tg, and tg when it was the last.
func (t *targets) done(host string, tg *target) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tg.users--; tg.users == 0 {
		delete(t.m, host)
	}
}
