package routes

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the gateway's own Prometheus metrics.
type metrics struct {
	requests               *prometheus.HistogramVec
	rateLimited            prometheus.Counter
	rateLimitFailOpen      prometheus.Counter
	authFailLimited        prometheus.Counter
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
		authFailLimited:        prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_auth_fail_limited_total", Help: "Requests refused with 429 because their address failed authentication too often."}),
		idempotencyCacheErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_idempotency_cache_errors_total", Help: "Idempotency cache calls that failed; the database answered instead."}),
		idempotentReplays:      prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_idempotent_replays_total", Help: "Responses replayed for a repeated Idempotency-Key."}),
		feedRequests:           prometheus.NewCounter(prometheus.CounterOpts{Name: "billbridge_feed_requests_total", Help: "Reads of the event feed."}),
	}
	reg.MustRegister(m.requests, m.rateLimited, m.rateLimitFailOpen, m.authFailLimited, m.idempotencyCacheErrors, m.idempotentReplays, m.feedRequests)
	return m
}

func (m *metrics) observeRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// metricsRoute serves the registry on GET /metrics, behind the bearer
// token when one is configured.
func (s *server) metricsRoute(r gin.IRoutes) {
	r.GET("/metrics", s.metricsAuth, gin.WrapH(promhttp.HandlerFor(s.deps.Registry, promhttp.HandlerOpts{})))
}

// metricsAuth asks for `Authorization: Bearer <MetricsToken>` when a token
// is configured (401 otherwise), compared in constant time.
func (s *server) metricsAuth(c *gin.Context) {
	want := s.deps.MetricsToken
	if want == "" {
		c.Next()
		return
	}
	scheme, got, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) != 1 {
		c.Header("WWW-Authenticate", `Bearer realm="billbridge metrics"`)
		renderError(c, s.logger, billbridge.Errorf(billbridge.EUNAUTHORIZED, "/metrics needs the metrics token: send Authorization: Bearer <token>."))
		return
	}
	c.Next()
}

// NewMetrics returns a handler that serves only /metrics (and HEAD on it),
// for a listener of its own (BILLBRIDGE_METRICS_ADDR) when Deps has
// SeparateMetrics set.
func NewMetrics(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &server{deps: d, logger: d.Logger}
	r := gin.New()
	r.Use(requestID, s.recoverPanic)
	r.NoRoute(s.handle(func(c *gin.Context) error {
		return billbridge.Errorf(billbridge.ENOTFOUND, "Only /metrics is served here.")
	}))
	s.metricsRoute(r)
	return headAsGet{r}
}
