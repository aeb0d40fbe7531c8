package routes_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"billbridge/internal/apitest"
)

// httpClient sends the concurrent requests of these tests; every request
// is bounded so a stuck gateway fails the test instead of hanging CI.
var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}

// send is Server.Do for other goroutines: it returns an error instead of
// failing the test, so it may run on any goroutine. (Server.Do checks
// exchanges against the OpenAPI contract; these are checked by the test.)
func send(s *apitest.Server, method, path, key string, body []byte, headers ...string) (*apitest.Response, error) {
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	return &apitest.Response{Status: resp.StatusCode, Header: resp.Header, Body: out}, nil
}

// eachCache runs fn as a parallel subtest on every combination of store
// (SQLite, PostgreSQL) and idempotency cache (in-process, Redis).
func eachCache(t *testing.T, o apitest.Options, fn func(t *testing.T, s *apitest.Server)) {
	t.Helper()
	for _, store := range apitest.Stores {
		for _, redis := range []bool{false, true} {
			name := store + "/inmem"
			if redis {
				name = store + "/redis"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				o := o
				o.Store, o.Redis = store, redis
				fn(t, apitest.Start(t, o))
			})
		}
	}
}

// metric reads one unlabelled counter or gauge from the server's /metrics.
func metric(t *testing.T, s *apitest.Server, name string) float64 {
	t.Helper()
	r, err := send(s, "GET", "/metrics", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(r.Body))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == name {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				t.Fatalf("metric %s: %v", name, err)
			}
			return v
		}
	}
	t.Fatalf("metric %s not on /metrics", name)
	return 0
}

// rateLimitHeader is the IETF httpapi draft RateLimit field billbridge sends.
var rateLimitHeader = regexp.MustCompile(`^"default";r=(\d+);t=(\d+)$`)
