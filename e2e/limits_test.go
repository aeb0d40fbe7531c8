package e2e

import (
	"net"
	"strings"
	"testing"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServerLimitsAndMetricsListener: the real binary refuses a request
// line and headers beyond its limit with 431 before any handler runs (a
// 60 kB method name, as the probe of issue 10 sent), and with
// BILLBRIDGE_METRICS_ADDR and BILLBRIDGE_METRICS_TOKEN serves /metrics only
// on that address and only with the token.
func TestServerLimitsAndMetricsListener(t *testing.T) {
	t.Parallel()
	metricsAddr := freeAddr(t)
	g := startGateway(t, "BILLBRIDGE_DATABASE_URL=sqlite:"+t.TempDir()+"/b.db",
		"BILLBRIDGE_METRICS_ADDR="+metricsAddr, "BILLBRIDGE_METRICS_TOKEN=m3trics")
	key := g.firstStartKey(t)

	if r, err := do(g.URL, strings.Repeat("A", 60_000), "/v1/me", key, nil); err != nil || r.status != 431 {
		t.Errorf("60 kB method: %v %v, want 431", r, err)
	}
	if r, err := do(g.URL, "GET", "/v1/me", key, nil, "X-Padding", strings.Repeat("p", 30_000)); err != nil || r.status != 431 {
		t.Errorf("30 kB header: %v %v, want 431", r, err)
	}
	must(t, 200, g.URL, "GET", "/v1/me", key, nil, nil)

	must(t, 404, g.URL, "GET", "/metrics", key, nil, nil)
	must(t, 401, "http://"+metricsAddr, "GET", "/metrics", key, nil, nil)
	r := must(t, 200, "http://"+metricsAddr, "GET", "/metrics", "m3trics", nil, nil)
	if !strings.Contains(string(r.body), `billbridge_http_request_duration_seconds_count{method="GET",route="/v1/me",status="200"} `) {
		t.Errorf("the metrics listener does not count the API's requests:\n%.2000s", r.body)
	}
}
