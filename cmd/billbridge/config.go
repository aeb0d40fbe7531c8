package main

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"billbridge"
)

// Config is everything billbridge reads from its environment. A bad value
// stops start-up with a message naming the variable.
type Config struct {
	DataDir string    // BILLBRIDGE_DATA_DIR: the embedded database and the certificates live here
	TLS     TLSConfig // BILLBRIDGE_DOMAIN, BILLBRIDGE_TLS_*, BILLBRIDGE_ACME_*, BILLBRIDGE_HTTP_ADDR

	Addr              string // BILLBRIDGE_ADDR
	AdminKeyFile      string // BILLBRIDGE_ADMIN_KEY_FILE: where the first start writes the first account's key (0600)
	MetricsAddr       string // BILLBRIDGE_METRICS_ADDR: /metrics on its own listener; "" serves it on Addr
	MetricsToken      string // BILLBRIDGE_METRICS_TOKEN: bearer token /metrics requires; "" requires none
	PprofAddr         string // BILLBRIDGE_PPROF_ADDR: Go's /debug/pprof/ on this loopback address; "" serves none
	DatabaseURL       string // BILLBRIDGE_DATABASE_URL
	RedisURL          string // BILLBRIDGE_REDIS_URL
	RedisPrefix       string // BILLBRIDGE_REDIS_PREFIX
	Timezone          string // BILLBRIDGE_TIMEZONE
	RateLimit         billbridge.RateLimit
	RateLimitSpec     string               // BILLBRIDGE_RATE_LIMIT
	AuthFailLimit     billbridge.RateLimit // BILLBRIDGE_AUTH_FAIL_LIMIT: failed authentication per client address
	TrustedProxies    []string             // BILLBRIDGE_TRUSTED_PROXIES: comma-separated addresses or CIDRs
	IdempotencyTTL    time.Duration        // BILLBRIDGE_IDEMPOTENCY_TTL
	KeyRotationGrace  time.Duration        // BILLBRIDGE_KEY_ROTATION_GRACE: how long a rotated API key keeps working
	IdempotencyBytes  int64                // BILLBRIDGE_IDEMPOTENCY_CACHE_BYTES: bound of the in-process idempotency cache
	PageBytes         int64                // BILLBRIDGE_LIST_PAGE_BYTES: bound of the items of one list page
	LogFormat         string               // BILLBRIDGE_LOG_FORMAT
	LogLevel          string               // BILLBRIDGE_LOG_LEVEL
	HooksAllowPrivate bool                 // BILLBRIDGE_HOOKS_ALLOW_PRIVATE
	DeliveryInterval  time.Duration        // BILLBRIDGE_DELIVERY_INTERVAL
	OverdueInterval   time.Duration        // BILLBRIDGE_OVERDUE_INTERVAL
	ShutdownTimeout   time.Duration        // BILLBRIDGE_SHUTDOWN_TIMEOUT
	BackupDir         string               // BILLBRIDGE_BACKUP_DIR: scheduled backups go here; "" takes none
	BackupInterval    time.Duration        // BILLBRIDGE_BACKUP_INTERVAL: how old the newest backup may grow
	BackupKeep        int                  // BILLBRIDGE_BACKUP_KEEP: how many scheduled backups stay
	SMTPURL           string               // BILLBRIDGE_SMTP_URL: where alert mails go out (holds the password: never log it); "" sends none
	AlertFrom         string               // BILLBRIDGE_ALERT_FROM: the sender of alert mails
	PublicURL         string               // BILLBRIDGE_PUBLIC_URL: the gateway's address as its users reach it, for links in mails
	AlertInterval     time.Duration        // BILLBRIDGE_ALERT_INTERVAL: how often alert conditions are checked and owed mails sent
}

// Embedded reports whether the database is the embedded SQLite default.
func (c Config) Embedded() bool { return strings.HasPrefix(c.DatabaseURL, "sqlite:") }

// LoadConfig reads the configuration from getenv, applying defaults.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DataDir:       get("BILLBRIDGE_DATA_DIR", "data"),
		Addr:          get("BILLBRIDGE_ADDR", ":8080"),
		AdminKeyFile:  get("BILLBRIDGE_ADMIN_KEY_FILE", ""),
		MetricsAddr:   get("BILLBRIDGE_METRICS_ADDR", ""),
		MetricsToken:  get("BILLBRIDGE_METRICS_TOKEN", ""),
		PprofAddr:     get("BILLBRIDGE_PPROF_ADDR", ""),
		DatabaseURL:   get("BILLBRIDGE_DATABASE_URL", "sqlite:"+filepath.Join(get("BILLBRIDGE_DATA_DIR", "data"), "billbridge.db")),
		RedisURL:      get("BILLBRIDGE_REDIS_URL", ""),
		RedisPrefix:   get("BILLBRIDGE_REDIS_PREFIX", "billbridge:"),
		Timezone:      get("BILLBRIDGE_TIMEZONE", "Europe/Zurich"),
		RateLimitSpec: get("BILLBRIDGE_RATE_LIMIT", "600/m"),
		LogFormat:     get("BILLBRIDGE_LOG_FORMAT", "json"),
		LogLevel:      get("BILLBRIDGE_LOG_LEVEL", "info"),
		BackupDir:     get("BILLBRIDGE_BACKUP_DIR", ""),
		SMTPURL:       get("BILLBRIDGE_SMTP_URL", ""),
		AlertFrom:     get("BILLBRIDGE_ALERT_FROM", ""),
	}
	var err error
	if err := loadTLS(get, &c); err != nil {
		return c, err
	}
	durations := []struct {
		name, def string
		dst       *time.Duration
	}{
		{"BILLBRIDGE_IDEMPOTENCY_TTL", "72h", &c.IdempotencyTTL},
		{"BILLBRIDGE_KEY_ROTATION_GRACE", billbridge.DefaultKeyRotationGrace.String(), &c.KeyRotationGrace},
		{"BILLBRIDGE_DELIVERY_INTERVAL", "1s", &c.DeliveryInterval},
		{"BILLBRIDGE_OVERDUE_INTERVAL", "1m", &c.OverdueInterval},
		{"BILLBRIDGE_SHUTDOWN_TIMEOUT", "15s", &c.ShutdownTimeout},
		{"BILLBRIDGE_BACKUP_INTERVAL", "24h", &c.BackupInterval},
		{"BILLBRIDGE_ALERT_INTERVAL", "30s", &c.AlertInterval},
	}
	for _, d := range durations {
		v, perr := time.ParseDuration(get(d.name, d.def))
		if perr != nil || v <= 0 {
			return c, fmt.Errorf("%s: %q is not a positive duration such as 72h or 30s", d.name, get(d.name, d.def))
		}
		*d.dst = v
	}
	sizes := []struct {
		name, def string
		dst       *int64
	}{
		{"BILLBRIDGE_IDEMPOTENCY_CACHE_BYTES", "8MiB", &c.IdempotencyBytes},
		{"BILLBRIDGE_LIST_PAGE_BYTES", "1MiB", &c.PageBytes},
	}
	for _, sz := range sizes {
		if *sz.dst, err = ParseBytes(get(sz.name, sz.def)); err != nil {
			return c, fmt.Errorf("%s: %w", sz.name, err)
		}
	}
	if c.BackupKeep, err = strconv.Atoi(get("BILLBRIDGE_BACKUP_KEEP", "7")); err != nil || c.BackupKeep < 1 {
		return c, fmt.Errorf("BILLBRIDGE_BACKUP_KEEP: %q is not a number of backups of at least 1", getenv("BILLBRIDGE_BACKUP_KEEP"))
	}
	if c.HooksAllowPrivate, err = strconv.ParseBool(get("BILLBRIDGE_HOOKS_ALLOW_PRIVATE", "false")); err != nil {
		return c, fmt.Errorf("BILLBRIDGE_HOOKS_ALLOW_PRIVATE: %q is not true or false", getenv("BILLBRIDGE_HOOKS_ALLOW_PRIVATE"))
	}
	if c.PprofAddr != "" {
		if err := checkLoopback(c.PprofAddr); err != nil {
			return c, fmt.Errorf("BILLBRIDGE_PPROF_ADDR: %w", err)
		}
	}
	if c.RateLimit, err = ParseRateLimit(c.RateLimitSpec); err != nil {
		return c, fmt.Errorf("BILLBRIDGE_RATE_LIMIT: %w", err)
	}
	if c.AuthFailLimit, err = ParseRateLimit(get("BILLBRIDGE_AUTH_FAIL_LIMIT", "60/m")); err != nil {
		return c, fmt.Errorf("BILLBRIDGE_AUTH_FAIL_LIMIT: %w", err)
	}
	for _, p := range strings.Split(get("BILLBRIDGE_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, perr := netip.ParsePrefix(p); perr != nil {
			if _, aerr := netip.ParseAddr(p); aerr != nil {
				return c, fmt.Errorf("BILLBRIDGE_TRUSTED_PROXIES: %q is not an IP address or CIDR", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return c, fmt.Errorf("BILLBRIDGE_TIMEZONE: %q is not a time zone such as Europe/Zurich", c.Timezone)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return c, fmt.Errorf("BILLBRIDGE_LOG_FORMAT: %q is neither json nor text", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return c, fmt.Errorf("BILLBRIDGE_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	switch {
	case c.Embedded(), strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
	default:
		return c, fmt.Errorf("BILLBRIDGE_DATABASE_URL: must start with sqlite: or postgres://")
	}
	if err := loadAlerts(get, &c); err != nil {
		return c, err
	}
	return c, nil
}

// ParseBytes reads a positive size: a number of bytes, optionally followed
// by KiB, MiB or GiB ("1048576", "512KiB", "64MiB").
func ParseBytes(s string) (int64, error) {
	num, unit := s, int64(1)
	for suffix, u := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			num, unit = strings.TrimSpace(n), u
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return 0, fmt.Errorf("%q is not a positive size such as 64MiB, 512KiB or 1048576", s)
	}
	return n * unit, nil
}

// ParseRateLimit reads "RATE/UNIT[:BURST]" — e.g. "600/m", "10/s",
// "10/s:20" — where UNIT is s, m or h and BURST defaults to RATE; "off"
// turns limiting off.
func ParseRateLimit(s string) (billbridge.RateLimit, error) {
	if s == "off" || s == "0" {
		return billbridge.RateLimit{}, nil
	}
	spec, burstS, hasBurst := strings.Cut(s, ":")
	rateS, unit, ok := strings.Cut(spec, "/")
	rate, err := strconv.Atoi(rateS)
	periods := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}
	period, okUnit := periods[unit]
	if !ok || err != nil || rate <= 0 || !okUnit {
		return billbridge.RateLimit{}, fmt.Errorf("%q is not RATE/UNIT[:BURST] such as 600/m or 10/s:20", s)
	}
	burst := rate
	if hasBurst {
		if burst, err = strconv.Atoi(burstS); err != nil || burst <= 0 {
			return billbridge.RateLimit{}, fmt.Errorf("%q has a burst that is not a positive number", s)
		}
	}
	return billbridge.RateLimit{Rate: rate, Period: period, Burst: burst}, nil
}
