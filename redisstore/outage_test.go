package redisstore

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/conformance"
)

// hangBound is how long a call against a dead or frozen Redis may take. The
// tests are about not hanging, not speed: with the default timeouts a call
// gives up in well under a second.
const hangBound = 3 * time.Second

// calls exercises every operation of the Store once.
var calls = []struct {
	name string
	call func(ctx context.Context, s *Store) error
}{
	{"Ping", func(ctx context.Context, s *Store) error { return s.Ping(ctx) }},
	{"Begin", func(ctx context.Context, s *Store) error {
		_, _, err := s.Begin(ctx, "acct", "key", "fp", time.Minute)
		return err
	}},
	{"Complete", func(ctx context.Context, s *Store) error {
		return s.Complete(ctx, &billbridge.IdempotencyRecord{AccountID: "acct", Key: "done", Fingerprint: "fp", Status: 201, Body: []byte("x")}, time.Minute)
	}},
	{"Release", func(ctx context.Context, s *Store) error { return s.Release(ctx, "acct", "key") }},
	{"Allow", func(ctx context.Context, s *Store) error {
		_, err := s.Allow(ctx, "api-key", billbridge.RateLimit{Rate: 10, Period: time.Second, Burst: 10})
		return err
	}},
}

// failFast checks that every call fails, each within hangBound.
func failFast(t *testing.T, s *Store, why string) {
	t.Helper()
	for _, c := range calls {
		start := time.Now()
		err := c.call(context.Background(), s)
		took := time.Since(start)
		if err == nil {
			t.Errorf("%s with %s: no error", c.name, why)
		}
		if took > hangBound {
			t.Errorf("%s with %s took %v, want an error within %v", c.name, why, took, hangBound)
		}
		t.Logf("%s with %s: %v after %v", c.name, why, err, took.Round(time.Millisecond))
	}
}

// TestRedisStoppedAndRestarted kills the Redis under a Store: calls fail
// fast; once Redis is back the same Store works again.
func TestRedisStoppedAndRestarted(t *testing.T) {
	ctx := context.Background()
	url, stop, restart := conformance.StartRedis(t)
	s := open(t, url, "outage:")
	for _, c := range calls {
		if err := c.call(ctx, s); err != nil {
			t.Fatalf("%s before the outage: %v", c.name, err)
		}
	}

	stop()
	failFast(t, s, "Redis stopped")
	failFast(t, s, "Redis still stopped") // the pool is now empty: fresh dials fail too

	restart()
	back := time.Now()
	for _, c := range calls {
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := c.call(ctx, s)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still fails 10s after Redis came back: %v", c.name, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("every call works again %v after Redis came back", time.Since(back).Round(time.Millisecond))
	// The restarted Redis is empty: the key is free again and the scripts,
	// which Redis forgot, are loaded again.
	if _, claimed, err := s.Begin(ctx, "acct", "fresh", "fp", time.Minute); err != nil || !claimed {
		t.Fatalf("Begin after restart = %v, %v; want a claim", claimed, err)
	}
}

// TestNewWhileRedisDown starts a Store before its Redis: New succeeds, calls
// fail fast, and the Store works once Redis starts.
func TestNewWhileRedisDown(t *testing.T) {
	url, stop, restart := conformance.StartRedis(t)
	stop()
	s, err := New(context.Background(), url, "late:", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New with Redis down: %v", err)
	}
	defer s.Close()
	failFast(t, s, "Redis not started")
	restart()
	deadline := time.Now().Add(10 * time.Second)
	for s.Ping(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatal("Ping still fails 10s after Redis started")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestFrozenRedis points a Store at a server that accepts connections and
// never answers (a hung Redis, a dropped network): calls time out instead
// of stalling.
func TestFrozenRedis(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err == nil {
				conns = append(conns, c) // held open, never answered
			}
		}
	}()
	s, err := New(context.Background(), "redis://"+l.Addr().String()+"/0", "frozen:", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	failFast(t, s, "Redis frozen")
}
