// Package apitest runs the real billbridge HTTP handler for tests, on a
// real SQLite or PostgreSQL store and an in-process or Redis cache, and
// gives tests a small client. Every request and response goes through
// Server.Do, the one place a contract check can see them all.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"billbridge"
	"billbridge/camt"
	"billbridge/inmem"
	"billbridge/internal/testenv"
	"billbridge/openapi"
	"billbridge/qrbill"
	"billbridge/redisstore"
	"billbridge/routes"
	"billbridge/sheet"
	"billbridge/sqlstore"
	"billbridge/webhook"

	"github.com/prometheus/client_golang/prometheus"
)

// Stores names the databases every API test runs on.
var Stores = []string{"sqlite", "postgres"}

// Options configure a test server. The zero value is SQLite, in-process
// cache, no rate limit.
type Options struct {
	Store       string // "sqlite" (default) or "postgres"
	StoreURL    string // reuse this database instead of a fresh one (two gateways on one database)
	Redis       bool   // use the Redis at TEST_REDIS_URL with a fresh prefix
	RedisURL    string // with RedisPrefix: share one Redis namespace between servers
	RedisPrefix string
	RateLimit   billbridge.RateLimit
	// AuthFailLimit bounds failed authentication per client address.
	AuthFailLimit billbridge.RateLimit
	// TrustedProxies name the proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	Clock          billbridge.Clock
	// KeyRotationGrace is how long a rotated key works (0: the default, 24 h).
	KeyRotationGrace time.Duration
	// MetricsToken is the bearer token /metrics requires ("" none).
	MetricsToken string
	// AllowPrivate lets hooks target loopback receivers.
	AllowPrivate bool
	Logger       *slog.Logger
	// CacheBytes bounds the in-process idempotency cache (0: its default).
	CacheBytes int64
	// WrapStore, when set, wraps the store the handler uses (e.g. to
	// count calls); Server.DB stays the bare store.
	WrapStore func(billbridge.Store) billbridge.Store
}

// Server is a running gateway for one test.
type Server struct {
	URL         string
	DB          *sqlstore.DB
	StoreURL    string
	Cache       billbridge.IdempotencyCache
	RedisURL    string
	RedisPrefix string
	Key         string // API key of the first account
	AccountID   string
	Guard       webhook.Guard
	tb          testing.TB
	client      *http.Client
}

// Check, when set, sees every request and response of every Server.Do (the
// OpenAPI contract test installs one).
var Check func(tb testing.TB, req *http.Request, body []byte, resp *Response)

// Start runs a gateway for the test and stops it when the test ends.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	ctx := context.Background()
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dsn := o.StoreURL
	if dsn == "" {
		if o.Store == "postgres" {
			dsn = testenv.PostgresURL(tb)
		} else {
			dsn = "sqlite:" + filepath.Join(tb.TempDir(), "billbridge.db")
		}
	}
	db, err := sqlstore.Open(ctx, dsn, "Europe/Zurich", logger)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	db.SetClock(o.Clock)
	tb.Cleanup(func() { db.Close() })
	s := &Server{DB: db, StoreURL: dsn, tb: tb, client: &http.Client{Timeout: 60 * time.Second}}

	var limiter billbridge.RateLimiter
	var cachePing func(context.Context) error
	if o.Redis || o.RedisURL != "" {
		url, prefix := o.RedisURL, o.RedisPrefix
		if url == "" {
			url, prefix = testenv.RedisURL(tb)
		}
		rs, err := redisstore.New(ctx, url, prefix, logger)
		if err != nil {
			tb.Fatalf("redis: %v", err)
		}
		tb.Cleanup(func() { rs.Close() })
		shareCtx, stopSharing := context.WithCancel(ctx)
		tb.Cleanup(stopSharing)
		rs.ShareKeyRevocations(shareCtx, db)
		s.Cache, limiter, cachePing, s.RedisURL, s.RedisPrefix = rs, rs, rs.Ping, url, prefix
	} else {
		mem := inmem.New()
		mem.MaxBytes = o.CacheBytes
		tb.Cleanup(func() { mem.Close() })
		s.Cache, limiter = mem, mem
	}
	s.Guard = webhook.Guard{AllowPrivate: o.AllowPrivate}
	var store billbridge.Store = db
	if o.WrapStore != nil {
		store = o.WrapStore(db)
	}
	grace := o.KeyRotationGrace
	if grace == 0 {
		grace = billbridge.DefaultKeyRotationGrace
	}
	h := routes.New(routes.Deps{
		KeyRotationGrace: grace,
		Store:            store, Cache: s.Cache, Limiter: limiter, RateLimit: o.RateLimit, IdempotencyTTL: 72 * time.Hour,
		AuthFailLimit: o.AuthFailLimit, TrustedProxies: o.TrustedProxies,
		Guard: s.Guard, Logger: logger, Clock: o.Clock, Registry: prometheus.NewRegistry(), CachePing: cachePing,
		Docs: openapi.Routes, MetricsToken: o.MetricsToken, Documents: qrbill.Renderer{}, Sheets: sheet.Codec{}, Statements: camt.Reader{},
	})
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	s.AccountID, s.Key = s.NewAccount("Test AG")
	return s
}

// NewAccount creates another account and returns its id and API key.
func (s *Server) NewAccount(name string) (id, key string) {
	s.tb.Helper()
	key, hash := billbridge.NewAPIKey()
	a := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: name, Timezone: "Europe/Zurich", CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := s.DB.CreateAccount(context.Background(), a, hash); err != nil {
		s.tb.Fatalf("create account: %v", err)
	}
	return a.ID, key
}

// Response is what a request got back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body into v, failing the test on error.
func (r *Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %d response %q: %v", r.Status, r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	r.Decode(tb, &m)
	return m
}

// Do sends a request with the key (none when key is "") and body (a string
// or []byte is sent as is, anything else as JSON), plus header pairs.
func (s *Server) Do(tb testing.TB, method, path, key string, body any, headers ...string) *Response {
	tb.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			tb.Fatalf("encode body: %v", err)
		}
	}
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("request: %v", err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read: %v", method, path, err)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: out}
	if Check != nil {
		req.Body = io.NopCloser(bytes.NewReader(raw))
		Check(tb, req, raw, r)
	}
	return r
}

// Must is Do that fails the test unless the status is want.
func (s *Server) Must(tb testing.TB, want int, method, path, key string, body any, headers ...string) *Response {
	tb.Helper()
	r := s.Do(tb, method, path, key, body, headers...)
	if r.Status != want {
		tb.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	return r
}
