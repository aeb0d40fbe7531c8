package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billbridge"
)

// benchQueue hands out n deliveries as fast as asked and signals done when
// all have succeeded; any other outcome is counted as an error.
type benchQueue struct {
	mu      sync.Mutex
	pending []billbridge.Delivery
	left    atomic.Int64
	errs    atomic.Int64
	done    chan struct{}
}

func (q *benchQueue) ClaimDeliveries(_ context.Context, _ time.Time, limit, _ int, _ time.Duration) ([]billbridge.Delivery, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(limit, len(q.pending))
	out := q.pending[:n:n]
	q.pending = q.pending[n:]
	return out, nil
}

func (q *benchQueue) DeliverySucceeded(context.Context, string) error {
	if q.left.Add(-1) == 0 {
		close(q.done)
	}
	return nil
}

func (q *benchQueue) fail() error {
	q.errs.Add(1)
	return q.DeliverySucceeded(context.Background(), "")
}

func (q *benchQueue) DeliveryFailed(context.Context, string, time.Time, string) error {
	return q.fail()
}
func (q *benchQueue) DropDelivery(context.Context, string, string) error { return q.fail() }
func (q *benchQueue) HookGone(context.Context, string) error             { return q.fail() }

// BenchmarkDispatcher measures deliveries per second to one local receiver
// with the default Workers (8), for the default PerTarget (2) and for
// PerTarget 8.
func BenchmarkDispatcher(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(srv.Close)
	for _, perTarget := range []int{2, 8} {
		b.Run("per_target="+strconv.Itoa(perTarget), func(b *testing.B) {
			q := &benchQueue{done: make(chan struct{})}
			for i := range b.N {
				id := strconv.Itoa(i)
				q.pending = append(q.pending, deliveryFor(srv.URL+"/hook", "dlv_"+id, "evt_"+id))
			}
			q.left.Store(int64(b.N))
			d := NewDispatcher(Config{Queue: q, Guard: Guard{AllowPrivate: true}, PerTarget: perTarget, PollInterval: time.Millisecond})
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			b.ResetTimer()
			go func() {
				d.Run(ctx)
				close(stopped)
			}()
			<-q.done
			b.StopTimer()
			cancel()
			<-stopped
			if n := q.errs.Load(); n > 0 {
				b.Fatalf("%d of %d deliveries failed", n, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}
