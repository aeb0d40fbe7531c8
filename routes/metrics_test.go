package routes_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/routes"

	"github.com/prometheus/client_golang/prometheus"
)

// requestSeries matches the series of the request histogram's count.
var requestSeries = regexp.MustCompile(`(?m)^billbridge_http_request_duration_seconds_count\{method="([^"]*)",route="([^"]*)",status="([^"]*)"\}`)

// TestMetricLabelsAreBounded: methods and paths a client makes up never
// become metric label values or log fields. Unknown methods count as
// "other", unmatched paths and refused methods as route "unmatched", so 50
// requests with 50 made-up methods on made-up paths add no series after
// the first.
func TestMetricLabelsAreBounded(t *testing.T) {
	t.Parallel()
	logs := &testenv.Buffer{}
	s := apitest.Start(t, apitest.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	series := func() map[string]bool {
		_, body := raw(t, "GET", s.URL+"/metrics", "")
		out := map[string]bool{}
		for _, m := range requestSeries.FindAllStringSubmatch(string(body), -1) {
			out[m[1]+" "+m[2]+" "+m[3]] = true
		}
		return out
	}
	made := func(i int) string {
		return "MADEUP" + strings.Repeat("X", 1000) + string(rune('A'+i%26)) + string(rune('A'+i/26))
	}
	send := func(i int) {
		for _, path := range []string{"/v1/me", "/no/such/path/" + made(i), "/healthz"} {
			raw(t, made(i), s.URL+path, s.Key)
		}
		raw(t, "PUT", s.URL+"/v1/me", s.Key)          // 405
		raw(t, "GET", s.URL+"/v1/"+made(i), s.Key)    // 404
		raw(t, "HEAD", s.URL+"/healthz", "")          // counted as HEAD
		raw(t, "PROPFIND", s.URL+"/v1/customers", "") // a real method, not ours
	}
	send(0)
	series() // the scrape itself is one series
	before := series()
	for i := 1; i < 50; i++ {
		send(i)
	}
	after := series()
	if len(after) != len(before) {
		t.Errorf("50 made-up methods and paths grew the request series from %d to %d", len(before), len(after))
	}
	known := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true, "other": true}
	routesServed := map[string]bool{"unmatched": true}
	for _, r := range getRoutes(t) {
		routesServed[r] = true
	}
	for k := range after {
		f := strings.Fields(k)
		if !known[f[0]] || !(routesServed[f[1]] || strings.HasPrefix(f[1], "/v1/")) || strings.Contains(f[1], "MADEUP") {
			t.Errorf("series with method %.40q route %.60q", f[0], f[1])
		}
	}
	for _, want := range []string{"other unmatched 405", "other unmatched 404", "PUT unmatched 405", "HEAD /healthz 200"} {
		if !after[want] {
			t.Errorf("no series %q in %v", want, after)
		}
	}
	if strings.Contains(logs.String(), "MADEUP") {
		t.Error("a made-up method or path reached the log")
	}
}

// TestMetricsToken: with a token configured, /metrics answers 401 without
// it or with another one, and 200 with it; a separate metrics handler
// serves /metrics and nothing else, and the API handler then has none.
func TestMetricsToken(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t, apitest.Options{MetricsToken: "m3trics-t0ken"})
	for _, auth := range []string{"", "Bearer wrong", "Basic m3trics-t0ken", "Bearer m3trics-t0ken"} {
		req, _ := http.NewRequest("GET", s.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := 401
		if auth == "Bearer m3trics-t0ken" {
			want = 200
		}
		if resp.StatusCode != want || (want == 401 && resp.Header.Get("Content-Type") != "application/problem+json") {
			t.Errorf("Authorization %q: %d %s, want %d", auth, resp.StatusCode, resp.Header.Get("Content-Type"), want)
		}
	}

	deps := routes.Deps{Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), SeparateMetrics: true}
	api := httptest.NewServer(routes.New(deps))
	t.Cleanup(api.Close)
	metrics := httptest.NewServer(routes.NewMetrics(deps))
	t.Cleanup(metrics.Close)
	for _, c := range []struct {
		url  string
		want int
	}{{api.URL + "/metrics", 404}, {metrics.URL + "/metrics", 200}, {metrics.URL + "/v1/me", 404}, {metrics.URL + "/healthz", 404}} {
		if resp, _ := raw(t, "GET", c.url, ""); resp.StatusCode != c.want {
			t.Errorf("GET %s: %d, want %d", c.url, resp.StatusCode, c.want)
		}
	}
	if resp, body := raw(t, "HEAD", metrics.URL+"/metrics", ""); resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD /metrics on the metrics listener: %d, %d bytes", resp.StatusCode, len(body))
	}
}
