package main

import (
	"fmt"
	"slices"
	"time"
)

// result sums up a run.
type result struct {
	target   float64
	clients  int
	took     time.Duration
	lat      []time.Duration // of acknowledged writes, sorted by sortLatencies
	checks   int
	stale    int
	failed   int // non-2xx answers and transport errors, of writes or checks
	busy     int // writes sent again because their key was still running (409, Retry-After)
	firstErr string
}

func (r *result) sortLatencies() { slices.Sort(r.lat) }

// pct returns the p-th quantile (0 ≤ p ≤ 1) of the write latencies, 0
// without writes.
func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
}

// rate returns the acknowledged writes a second.
func (r result) rate() float64 {
	if r.took <= 0 {
		return 0
	}
	return float64(len(r.lat)) / r.took.Seconds()
}

// ok reports whether every write was acknowledged and every check saw it.
func (r result) ok() bool { return r.stale == 0 && r.failed == 0 }

// String is the result line bench scripts read:
// "N writes in S s (R/s, target T/s, C clients), write p50 X ms p99 Y ms, K checks, Z stale, F failed, B sent again (key busy)".
func (r result) String() string {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return fmt.Sprintf("%d writes in %.1f s (%.1f/s, target %g/s, %d clients), write p50 %.2f ms p99 %.2f ms, %d checks, %d stale, %d failed, %d sent again (key busy)",
		len(r.lat), r.took.Seconds(), r.rate(), r.target, r.clients, ms(r.pct(0.5)), ms(r.pct(0.99)), r.checks, r.stale, r.failed, r.busy)
}
