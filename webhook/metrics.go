package webhook

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Delivery results counted by billbridge_webhook_deliveries_total. Every
// attempt counts once as succeeded, gone or failed; every failed attempt
// counts once more as retried or dropped, saying what followed.
const (
	ResultSucceeded = "succeeded" // 2xx: delivered
	ResultFailed    = "failed"    // any other status, a timeout or a connection error
	ResultRetried   = "retried"   // a failed attempt that was scheduled again
	ResultDropped   = "dropped"   // a failed attempt after the schedule was exhausted
	ResultGone      = "gone"      // 410: the hook was removed
)

// Metrics counts deliveries. A nil *Metrics counts nothing.
type Metrics struct {
	deliveries *prometheus.CounterVec
	duration   prometheus.Histogram
}

// NewMetrics registers the webhook metrics on reg (and nowhere else; a nil
// reg registers nothing): billbridge_webhook_deliveries_total{result} and
// billbridge_webhook_delivery_duration_seconds. It panics when they are
// already registered on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		deliveries: f.NewCounterVec(prometheus.CounterOpts{
			Name: "billbridge_webhook_deliveries_total",
			Help: "Hook delivery attempts by result: succeeded, failed, gone; failed ones again as retried or dropped.",
		}, []string{"result"}),
		duration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "billbridge_webhook_delivery_duration_seconds",
			Help:    "Duration of hook delivery HTTP attempts, until the response status or the error.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15, 30},
		}),
	}
	for _, r := range []string{ResultSucceeded, ResultFailed, ResultRetried, ResultDropped, ResultGone} {
		m.deliveries.WithLabelValues(r)
	}
	return m
}

// count adds one delivery with result.
func (m *Metrics) count(result string) {
	if m != nil {
		m.deliveries.WithLabelValues(result).Inc()
	}
}

// observe records the duration of one HTTP attempt.
func (m *Metrics) observe(d time.Duration) {
	if m != nil {
		m.duration.Observe(d.Seconds())
	}
}
