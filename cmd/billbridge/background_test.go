package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"billbridge/internal/testenv"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// TestBackgroundCountsRunsAndStops: every run of every job is counted by
// job and result in billbridge_job_runs_total, a failing run does not stop
// its job, and wait returns once ctx ends, workers included.
func TestBackgroundCountsRunsAndStops(t *testing.T) {
	reg := prometheus.NewRegistry()
	bg := newBackground(slog.New(slog.DiscardHandler), reg)
	ctx, cancel := context.WithCancel(context.Background())
	var okRuns, badRuns atomic.Int64
	bg.every(ctx, job{name: "good", interval: time.Millisecond, run: func(context.Context) (int, error) {
		okRuns.Add(1)
		return 1, nil
	}})
	bg.every(ctx, job{name: "flaky", interval: time.Millisecond, run: func(context.Context) (int, error) {
		if badRuns.Add(1)%2 == 1 {
			return 0, errors.New("boom")
		}
		return 0, nil
	}})
	workerDone := make(chan struct{})
	bg.worker(func() { <-ctx.Done(); close(workerDone) })
	testenv.WaitFor(t, 10*time.Second, "several runs of each job", func() bool { return okRuns.Load() >= 3 && badRuns.Load() >= 4 })
	cancel()
	bg.wait()
	<-workerDone
	c := bg.runs
	runs := func(m prometheus.Counter) float64 {
		var out dto.Metric
		if err := m.Write(&out); err != nil {
			t.Fatal(err)
		}
		return out.GetCounter().GetValue()
	}
	good, flakyOK, flakyErr := runs(c.WithLabelValues("good", "ok")), runs(c.WithLabelValues("flaky", "ok")), runs(c.WithLabelValues("flaky", "error"))
	if good < 3 || good > float64(okRuns.Load()) {
		t.Errorf("good runs counted %v, ran %d", good, okRuns.Load())
	}
	if flakyErr < 2 || flakyOK < 1 || flakyOK+flakyErr > float64(badRuns.Load()) {
		t.Errorf("flaky runs counted ok=%v error=%v, ran %d", flakyOK, flakyErr, badRuns.Load())
	}
	before := okRuns.Load()
	time.Sleep(20 * time.Millisecond)
	if okRuns.Load() != before {
		t.Errorf("a job ran after wait returned")
	}
}
