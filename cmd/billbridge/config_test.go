package main

import (
	"strings"
	"testing"
	"time"

	"billbridge"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || !c.Embedded() || c.RedisURL != "" || c.Timezone != "Europe/Zurich" ||
		c.IdempotencyTTL != 72*time.Hour || c.KeyRotationGrace != 24*time.Hour || c.RateLimit != (billbridge.RateLimit{Rate: 600, Period: time.Minute, Burst: 600}) ||
		c.AuthFailLimit != (billbridge.RateLimit{Rate: 60, Period: time.Minute, Burst: 60}) || c.TrustedProxies != nil ||
		c.IdempotencyBytes != 8<<20 || c.PageBytes != 1<<20 || c.PprofAddr != "" {
		t.Fatalf("defaults: %+v", c)
	}
}

// TestLoadConfigNamesTheBadVariable: every refused value stops start-up
// with a message that names its variable.
func TestLoadConfigNamesTheBadVariable(t *testing.T) {
	for name, value := range map[string]string{
		"BILLBRIDGE_DATABASE_URL":            "mysql://x",
		"BILLBRIDGE_RATE_LIMIT":              "10/day",
		"BILLBRIDGE_IDEMPOTENCY_TTL":         "forever",
		"BILLBRIDGE_DELIVERY_INTERVAL":       "-1s",
		"BILLBRIDGE_HOOKS_ALLOW_PRIVATE":     "maybe",
		"BILLBRIDGE_TIMEZONE":                "Mars/Olympus",
		"BILLBRIDGE_LOG_FORMAT":              "xml",
		"BILLBRIDGE_LOG_LEVEL":               "loud",
		"BILLBRIDGE_AUTH_FAIL_LIMIT":         "many",
		"BILLBRIDGE_TRUSTED_PROXIES":         "10.0.0.0/8, lb.internal",
		"BILLBRIDGE_IDEMPOTENCY_CACHE_BYTES": "lots",
		"BILLBRIDGE_LIST_PAGE_BYTES":         "0",
		"BILLBRIDGE_PPROF_ADDR":              "0.0.0.0:6060",
	} {
		_, err := LoadConfig(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v does not name the variable", name, value, err)
		}
	}
}

// TestPprofAddrLoopbackOnly: profiles are served only on a loopback
// address; one that any other host could reach stops start-up.
func TestPprofAddrLoopbackOnly(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:0", "127.0.0.2:6060"} {
		if c, err := LoadConfig(env(map[string]string{"BILLBRIDGE_PPROF_ADDR": ok})); err != nil || c.PprofAddr != ok {
			t.Errorf("BILLBRIDGE_PPROF_ADDR=%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{":6060", "0.0.0.0:6060", "[::]:6060", "10.0.0.5:6060", "example.com:6060", "6060"} {
		if _, err := LoadConfig(env(map[string]string{"BILLBRIDGE_PPROF_ADDR": bad})); err == nil {
			t.Errorf("BILLBRIDGE_PPROF_ADDR=%s accepted", bad)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "512KiB": 512 << 10, "64MiB": 64 << 20, "2 GiB": 2 << 30} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "1.5MiB", "MiB", "64MB", "99999999999GiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) accepted", bad)
		}
	}
}

func TestParseRateLimit(t *testing.T) {
	for in, want := range map[string]billbridge.RateLimit{
		"10/s":    {Rate: 10, Period: time.Second, Burst: 10},
		"10/s:20": {Rate: 10, Period: time.Second, Burst: 20},
		"600/m":   {Rate: 600, Period: time.Minute, Burst: 600},
		"5/h":     {Rate: 5, Period: time.Hour, Burst: 5},
		"off":     {},
	} {
		if got, err := ParseRateLimit(in); err != nil || got != want {
			t.Errorf("ParseRateLimit(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "10", "0/s", "-1/s", "10/d", "10/s:0", "10/s:x", "x/s"} {
		if _, err := ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", bad)
		}
	}
}
