package routes_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/openapi"
	"billbridge/routes"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// getRoutes lists the paths of every GET route the gateway serves.
func getRoutes(t *testing.T) []string {
	t.Helper()
	h := routes.New(routes.Deps{Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Docs: openapi.Routes})
	var paths []string
	for _, r := range h.(interface{ Routes() gin.RoutesInfo }).Routes() {
		if r.Method == http.MethodGet {
			paths = append(paths, r.Path)
		}
	}
	if len(paths) == 0 {
		t.Fatal("no GET routes")
	}
	return paths
}

// raw sends a request outside the contract check (HEAD is implied by
// every GET and not an operation of its own in the spec).
func raw(t *testing.T, method, url, key string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestHeadAnswersLikeGet: HEAD on every GET route answers GET's status and
// headers without a body (RFC 9110 §9.3.2), with a key and without one, and
// a 405 lists HEAD wherever it lists GET.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t, apitest.Options{RateLimit: billbridge.RateLimit{Rate: 1000, Period: time.Second, Burst: 1000}})
	c := apitest.NewClient(t, s)
	cust := c.Customer(t, "Head AG")
	inv := c.Invoice(t, cust.ID, "10")
	concrete := strings.NewReplacer(":id", cust.ID, ":file", "init.js")
	for _, route := range getRoutes(t) {
		path := concrete.Replace(route)
		if strings.HasPrefix(route, "/v1/invoices/:id") {
			path = strings.Replace(route, ":id", inv.ID, 1)
		}
		for _, key := range []string{c.Key, ""} {
			get, getBody := raw(t, "GET", s.URL+path, key)
			head, headBody := raw(t, "HEAD", s.URL+path, key)
			if head.StatusCode != get.StatusCode || len(headBody) != 0 {
				t.Errorf("HEAD %s (key %t): %d with %d body bytes; GET: %d", route, key != "", head.StatusCode, len(headBody), get.StatusCode)
			}
			for _, h := range []string{"Content-Type", "RateLimit-Policy", "WWW-Authenticate", "Cache-Control"} {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("HEAD %s: %s %q, GET's %q", route, h, head.Header.Get(h), get.Header.Get(h))
				}
			}
			// The sync health counts the requests themselves, this GET included,
			// so the HEAD after it may answer a count one digit longer.
			if cl := head.Header.Get("Content-Length"); route != "/v1/sync/health" && cl != "" && get.Header.Get("Content-Length") != "" && cl != get.Header.Get("Content-Length") {
				t.Errorf("HEAD %s: Content-Length %s, GET's %s (%d bytes)", route, cl, get.Header.Get("Content-Length"), len(getBody))
			}
		}
	}

	// A route without GET refuses HEAD; one with GET lists HEAD as allowed.
	if resp, body := raw(t, "HEAD", s.URL+"/v1/deals/won", c.Key); resp.StatusCode != 405 || len(body) != 0 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("HEAD on a POST-only route: %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if resp, _ := raw(t, "PUT", s.URL+"/v1/me", c.Key); resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("PUT /v1/me: %d Allow %q, want 405 Allow \"GET, HEAD\"", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
