package routes

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's own Prometheus metrics.
type metrics struct {
	requests               *prometheus.HistogramVec
	rateLimited            prometheus.Counter
	rateLimitFailOpen      prometheus.Counter
	idempotencyCacheErrors prometheus.Counter
	idempotentReplays      prometheus.Counter
	feedRequests           prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "billbridge_http_request_duration_seconds", Help: "HTTP requests by method, route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route", "status"}),
		rateLimited:            prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_rate_limited_total", Help: "Requests refused with 429."}),
		rateLimitFailOpen:      prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_rate_limit_fail_open_total", Help: "Requests let through because the rate limiter was unavailable."}),
		idempotencyCacheErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_idempotency_cache_errors_total", Help: "Idempotency cache calls that failed; the database answered instead."}),
		idempotentReplays:      prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_idempotent_replays_total", Help: "Responses replayed for a repeated Idempotency-Key."}),
		feedRequests:           prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_feed_requests_total", Help: "Reads of the event feed."}),
	}
	reg.MustRegister(m.requests, m.rateLimited, m.rateLimitFailOpen, m.idempotencyCacheErrors, m.idempotentReplays, m.feedRequests)
	return m
}

func (m *metrics) observeRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}
