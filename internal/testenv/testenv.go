// Package testenv gives tests the real services they need: a fresh
// PostgreSQL database and an isolated Redis key prefix. The services are
// found through TEST_DATABASE_URL and TEST_REDIS_URL, which the README's test
// command (scripts/test.sh) sets, starting throwaway servers when none run.
// A test that needs a service fails, never skips, when it is missing.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Suffix returns a short random string for unique names.
func Suffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// PostgresURL returns the URL of a new, empty PostgreSQL database that is
// dropped when the test ends.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		tb.Fatal("TEST_DATABASE_URL is not set: run the suite with `make test` (scripts/test.sh), which provides PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("PostgreSQL at TEST_DATABASE_URL is unreachable: %v", err)
	}
	defer admin.Close(ctx)
	name := "bbtest_" + Suffix()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// RedisURL returns TEST_REDIS_URL and a key prefix no other test uses. Tests
// must only touch keys under that prefix: never FLUSHALL a shared server.
func RedisURL(tb testing.TB) (redisURL, prefix string) {
	tb.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		tb.Fatal("TEST_REDIS_URL is not set: run the suite with `make test` (scripts/test.sh), which provides Redis")
	}
	return u, fmt.Sprintf("bbtest:%s:", Suffix())
}

// WaitFor polls cond every 20 ms until it holds, failing the test with
// what after limit. Every wait in a test is bounded by it.
func WaitFor(tb testing.TB, limit time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("still waiting after %s for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Chromium returns the path of Debian's chromium (scripts/services.sh
// ensure_chromium installs it); a test that needs it fails, never skips,
// when it is missing.
func Chromium(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		tb.Fatal("chromium is needed for this test: apt-get install -y chromium (scripts/services.sh ensure_chromium)")
	}
	return bin
}
