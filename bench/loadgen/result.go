package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// result sums up a run.
type result struct {
	label    string
	clients  int
	took     time.Duration
	lat      []time.Duration // sorted
	statuses map[int]int
	errors   int
}

// pct returns the p-th latency quantile (0 ≤ p ≤ 1) of the sorted
// latencies, 0 without requests.
func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
}

// rps returns the responses per second.
func (r result) rps() float64 {
	return float64(len(r.lat)) / r.took.Seconds()
}

// ok reports whether every request got a 2xx response.
func (r result) ok() bool {
	if r.errors > 0 {
		return false
	}
	for s, n := range r.statuses {
		if n > 0 && (s < 200 || s > 299) {
			return false
		}
	}
	return true
}

// String is the text line: the label (if any), requests, req/s, p50, p99,
// max, statuses and errors.
func (r result) String() string {
	prefix := ""
	if r.label != "" {
		prefix = r.label + ": "
	}
	return fmt.Sprintf("%srequests %d in %v: %.0f req/s, p50 %v, p99 %v, max %v, statuses %v, errors %d",
		prefix, len(r.lat), r.took.Round(time.Millisecond), r.rps(),
		r.pct(0.50).Round(time.Microsecond), r.pct(0.99).Round(time.Microsecond), r.pct(1).Round(time.Microsecond), r.statuses, r.errors)
}

// writeJSON writes the result as one JSON line with the fields bench/load.sh
// reads: label, clients, seconds, requests, rps, p50_ms, p99_ms, statuses
// (keyed by status code) and errors.
func (r result) writeJSON(w io.Writer) error {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return json.NewEncoder(w).Encode(struct {
		Label    string      `json:"label"`
		Clients  int         `json:"clients"`
		Seconds  float64     `json:"seconds"`
		Requests int         `json:"requests"`
		RPS      float64     `json:"rps"`
		P50      float64     `json:"p50_ms"`
		P99      float64     `json:"p99_ms"`
		Statuses map[int]int `json:"statuses"`
		Errors   int         `json:"errors"`
	}{r.label, r.clients, r.took.Seconds(), len(r.lat), r.rps(), ms(r.pct(0.50)), ms(r.pct(0.99)), r.statuses, r.errors})
}
