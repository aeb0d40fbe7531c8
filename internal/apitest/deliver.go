package apitest

import (
	"context"
	"testing"
	"time"

	"billbridge/internal/testenv"
	"billbridge/webhook"
)

// DeliverUntil runs a one-worker dispatcher on s's store with clk until
// done holds (at most 60 s), then stops it; every attempt's outcome is
// recorded when it returns. Retries are a minute apart.
func DeliverUntil(t *testing.T, s *Server, clk *testenv.Clock, done func() bool) {
	t.Helper()
	d := webhook.NewDispatcher(webhook.Config{Queue: s.DB, Guard: s.Guard, Workers: 1, PerAccount: 1, PollInterval: 10 * time.Millisecond,
		Clock: clk.Now, Rand: func() float64 { return 0.5 }, Schedule: []time.Duration{time.Minute, time.Minute, time.Minute, time.Minute}})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { d.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	testenv.WaitFor(t, 60*time.Second, "deliveries", done)
}
