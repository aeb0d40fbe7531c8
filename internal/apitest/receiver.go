package apitest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// Receiver is a hook receiver for tests that can go down: it answers 204
// while up and 503 while down, and counts every request it gets.
type Receiver struct {
	// URL is the receiver's base address; any path under it is accepted.
	URL  string
	down atomic.Bool
	hits atomic.Int64
}

// NewReceiver starts a Receiver that is up, closed when the test ends.
func NewReceiver(t *testing.T) *Receiver {
	r := &Receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		r.hits.Add(1)
		if r.down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// SetDown makes the receiver answer 503 (true) or 204 (false) from now on.
func (r *Receiver) SetDown(down bool) { r.down.Store(down) }

// Hits is how many requests the receiver has had.
func (r *Receiver) Hits() int64 { return r.hits.Load() }
