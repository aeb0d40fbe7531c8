package redisstore

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"billbridge"
	"billbridge/internal/conformance"
	"billbridge/internal/testenv"
)

func TestIdempotencyCacheConformance(t *testing.T) {
	conformance.IdempotencyCache(t, func(t *testing.T) billbridge.IdempotencyCache {
		return openTest(t)
	})
}

func TestRateLimiterConformance(t *testing.T) {
	conformance.RateLimiter(t, func(t *testing.T) billbridge.RateLimiter {
		return openTest(t)
	})
}

// openTest returns a Store on TEST_REDIS_URL under a fresh prefix; the keys
// it wrote are deleted and the Store closed when the test ends.
func openTest(tb testing.TB) *Store {
	tb.Helper()
	u, prefix := testenv.RedisURL(tb)
	return open(tb, u, prefix)
}

// open returns a Store that must answer at once, deleting the keys under
// prefix and closing it when the test ends.
func open(tb testing.TB, rawURL, prefix string) *Store {
	tb.Helper()
	ctx := context.Background()
	s, err := New(ctx, rawURL, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		tb.Fatalf("Redis at %s does not answer: %v", rawURL, err)
	}
	tb.Cleanup(func() {
		defer s.Close()
		iter := s.rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		for _, k := range keys {
			s.rdb.Del(ctx, k)
		}
	})
	return s
}

func TestKeysLiveUnderPrefix(t *testing.T) {
	ctx := context.Background()
	u, prefix := testenv.RedisURL(t)
	s := open(t, u, prefix)
	if _, _, err := s.Begin(ctx, "acct", "key-1", "fp", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Allow(ctx, "api-key-1", billbridge.RateLimit{Rate: 1, Period: time.Minute, Burst: 1}); err != nil {
		t.Fatal(err)
	}
	keys, err := s.rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{prefix + "idem:{4:acct:key-1}": true, prefix + "rate:{api-key-1}": true}
	if len(keys) != len(want) {
		t.Fatalf("keys under prefix = %q, want %d keys", keys, len(want))
	}
	for _, k := range keys {
		if !want[k] {
			t.Fatalf("unexpected key %q (all: %q)", k, keys)
		}
		if ttl := s.rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > time.Minute {
			t.Fatalf("key %q has TTL %v, want within (0, 1m]", k, ttl)
		}
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		url     string
		cluster bool
		addrs   []string
		tls     bool
	}{
		{url: "redis://127.0.0.1:6379/0", addrs: []string{"127.0.0.1:6379"}},
		{url: "redis://localhost", addrs: []string{"localhost:6379"}},
		{url: "rediss://user:pw@cache.example:6380/2", addrs: []string{"cache.example:6380"}, tls: true},
		{url: "redis+cluster://10.0.0.1:7000", cluster: true, addrs: []string{"10.0.0.1:7000"}},
		{url: "rediss+cluster://10.0.0.1:7000?addr=10.0.0.2:7001&addr=10.0.0.3:7002", cluster: true, addrs: []string{"10.0.0.1:7000", "10.0.0.2:7001", "10.0.0.3:7002"}, tls: true},
		{url: "redis://10.0.0.1:7000?addr=10.0.0.2:7001", cluster: true, addrs: []string{"10.0.0.1:7000", "10.0.0.2:7001"}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, mode, err := newClient(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			switch c := c.(type) {
			case *redis.Client:
				o := c.Options()
				if tt.cluster || mode != "single" || o.Addr != tt.addrs[0] || (o.TLSConfig != nil) != tt.tls {
					t.Fatalf("single client %q (mode %s, TLS %v), want cluster %v %q TLS %v", o.Addr, mode, o.TLSConfig != nil, tt.cluster, tt.addrs, tt.tls)
				}
				checkTimeouts(t, o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, o.MaxRetries)
			case *redis.ClusterClient:
				o := c.Options()
				if !tt.cluster || mode != "cluster" || strings.Join(o.Addrs, ",") != strings.Join(tt.addrs, ",") || (o.TLSConfig != nil) != tt.tls {
					t.Fatalf("cluster client %q (mode %s, TLS %v), want cluster %v %q TLS %v", o.Addrs, mode, o.TLSConfig != nil, tt.cluster, tt.addrs, tt.tls)
				}
				checkTimeouts(t, o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, o.MaxRetries)
			default:
				t.Fatalf("client %T", c)
			}
		})
	}
}

func checkTimeouts(t *testing.T, dial, read, write, pool time.Duration, retries int) {
	t.Helper()
	if dial != DefaultDialTimeout || read != DefaultReadTimeout || write != DefaultWriteTimeout || pool != DefaultPoolTimeout || retries != DefaultMaxRetries {
		t.Fatalf("timeouts dial %v read %v write %v pool %v retries %d, want the defaults", dial, read, write, pool, retries)
	}
}

func TestURLTimeoutsWin(t *testing.T) {
	c, _, err := newClient("redis://127.0.0.1:6379/0?dial_timeout=2s&read_timeout=1s")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	o := c.(*redis.Client).Options()
	if o.DialTimeout != 2*time.Second || o.ReadTimeout != time.Second || o.WriteTimeout != DefaultWriteTimeout {
		t.Fatalf("dial %v read %v write %v; want 2s, 1s and the default", o.DialTimeout, o.ReadTimeout, o.WriteTimeout)
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, u := range []string{
		"http://127.0.0.1:6379",
		"redis://127.0.0.1:6379/zero",
		"redis://:s3cret-pw@127.0.0.1:6379/0?nonsense=1",
		"redis+cluster://:s3cret-pw@127.0.0.1:7000?addr=bad",
		"redis://:s3cret-pw@[::1",
	} {
		_, err := New(context.Background(), u, "p:", slog.New(slog.DiscardHandler))
		if err == nil {
			t.Errorf("New(%q): want an error", u)
			continue
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("New(%q): error %q shows the password", u, err)
		}
	}
}

func TestDriverLogger(t *testing.T) {
	var buf strings.Builder
	l := DriverLogger{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	var _ interface {
		Printf(context.Context, string, ...any)
	} = l
	l.Printf(context.Background(), "failed to dial after %d attempts", 1)
	if got := buf.String(); !strings.Contains(got, "level=DEBUG") || !strings.Contains(got, `msg="failed to dial after 1 attempts"`) || !strings.Contains(got, "component=go-redis") {
		t.Fatalf("logged %q", got)
	}
}
