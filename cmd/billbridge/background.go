package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// job is periodic background work: run does one pass and returns how many
// items it handled.
type job struct {
	name     string
	interval time.Duration
	run      func(ctx context.Context) (int, error)
}

// background is the one place the gateway's background work runs: the
// periodic jobs (overdue invoices, the idempotency purge) through one loop
// that counts every run in billbridge_job_runs_total{job,result} and logs
// failures, and long-running workers (the delivery dispatcher, which polls
// on its own and is woken by commits, and reports each claim round to
// count, so it is in billbridge_job_runs_total too). Wait returns once all
// have stopped.
type background struct {
	logger *slog.Logger
	runs   *prometheus.CounterVec
	wg     sync.WaitGroup
}

// newBackground registers billbridge_job_runs_total on reg.
func newBackground(logger *slog.Logger, reg prometheus.Registerer) *background {
	runs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "billbridge_job_runs_total", Help: "Background job runs by job and result."}, []string{"job", "result"})
	reg.MustRegister(runs)
	return &background{logger: logger, runs: runs}
}

// worker runs fn until it returns; fn must return once ctx ends.
func (b *background) worker(fn func()) { b.wg.Go(fn) }

// every runs j at once and then every j.interval until ctx ends. A run in
// progress when ctx ends is not counted as failed.
func (b *background) every(ctx context.Context, j job) {
	b.wg.Go(func() {
		t := time.NewTicker(j.interval)
		defer t.Stop()
		for {
			n, err := j.run(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				b.logger.Error("background job failed", "job", j.name, "error", err)
			} else if n > 0 {
				b.logger.Info("background job done", "job", j.name, "count", n)
			}
			b.count(j.name, err)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

// count counts one run of the job name in billbridge_job_runs_total,
// result ok or error.
func (b *background) count(name string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	b.runs.WithLabelValues(name, result).Inc()
}

// wait blocks until every job and worker has stopped.
func (b *background) wait() { b.wg.Wait() }
