// Package redisstore keeps the shared fast path of billbridge on Redis:
// idempotency claims and stored responses (billbridge.IdempotencyCache) and
// GCRA rate limits (billbridge.RateLimiter), shared by every gateway
// instance. It works on a single Redis server and on Redis Cluster: every
// script touches one key, and every key carries a hash tag.
//
// Redis going away never stalls a request: timeouts are short, a call
// against a dead server returns an error within about a second, and the
// client reconnects by itself once the server answers again, without a new
// Store. What to do with the error (fail open, fall back to the database) is
// the caller's decision.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"billbridge"
)

// Default client timeouts, used unless the URL sets its own (dial_timeout,
// read_timeout, write_timeout, pool_timeout, max_retries query parameters).
const (
	DefaultDialTimeout  = 500 * time.Millisecond
	DefaultReadTimeout  = 300 * time.Millisecond
	DefaultWriteTimeout = 300 * time.Millisecond
	DefaultPoolTimeout  = 500 * time.Millisecond
	DefaultMaxRetries   = 1
)

// Store implements billbridge.IdempotencyCache and billbridge.RateLimiter on
// Redis. It is safe for concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	logger *slog.Logger
}

var (
	_ billbridge.IdempotencyCache = (*Store)(nil)
	_ billbridge.RateLimiter      = (*Store)(nil)
)

// New returns a Store on the Redis at rawURL whose keys all start with
// prefix (e.g. "billbridge:"). Accepted URLs:
//
//   - redis://[user:password@]host[:port][/db][?options]: one server
//     (rediss:// for TLS, unix:///path/to/socket for a Unix socket).
//   - redis+cluster://[user:password@]host:port[?addr=host2:port2&addr=…]:
//     Redis Cluster, seeded with every listed node (rediss+cluster:// for TLS).
//   - redis://host:port?addr=host2:port2[&addr=…]: a redis:// or rediss://
//     URL naming more than one node through addr is Redis Cluster too.
//
// The options are go-redis's URL query parameters (dial_timeout=2s,
// read_timeout=…, pool_size=…, max_retries=…); timeouts that are not set
// default to the short Default* values above so a dead Redis fails fast.
//
// New returns an error only for a URL it cannot use. When Redis does not
// answer the ping at start, New logs a warning and still returns the Store:
// the gateway starts degraded and the client connects once Redis is up.
func New(ctx context.Context, rawURL, prefix string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.Default()
	}
	rdb, mode, err := newClient(rawURL)
	if err != nil {
		return nil, err
	}
	s := &Store{rdb: rdb, prefix: prefix, logger: logger}
	if err := s.Ping(ctx); err != nil {
		logger.Warn("redis does not answer yet; continuing degraded", "mode", mode, "error", err)
	} else {
		logger.Info("redis connected", "mode", mode)
	}
	return s, nil
}

// newClient parses rawURL into a single-node or a cluster client and reports
// which ("single" or "cluster").
func newClient(rawURL string) (redis.UniversalClient, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("redisstore: invalid URL: %w", redactErr(err, rawURL))
	}
	cluster := false
	switch u.Scheme {
	case "redis+cluster", "rediss+cluster":
		cluster = true
		u.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
	case "redis", "rediss":
		cluster = u.Query().Has("addr")
	case "unix":
	default:
		return nil, "", fmt.Errorf("redisstore: unsupported URL scheme %q (want redis, rediss, redis+cluster, rediss+cluster or unix)", u.Scheme)
	}
	if cluster {
		opt, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return nil, "", fmt.Errorf("redisstore: invalid cluster URL: %w", redactErr(err, rawURL))
		}
		withFailFastDefaults(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout, &opt.MaxRetries, &opt.DialerRetries)
		opt.ContextTimeoutEnabled = true
		return redis.NewClusterClient(opt), "cluster", nil
	}
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, "", fmt.Errorf("redisstore: invalid URL: %w", redactErr(err, rawURL))
	}
	withFailFastDefaults(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout, &opt.MaxRetries, &opt.DialerRetries)
	opt.ContextTimeoutEnabled = true
	return redis.NewClient(opt), "single", nil
}

// withFailFastDefaults fills the timeouts and retries a URL left unset with the short
// defaults that make a dead Redis fail in well under a second, for a single
// node and a cluster alike; dialer retries default to one dial attempt per
// try, so a refused connection fails at once.
func withFailFastDefaults(dial, read, write, pool *time.Duration, retries, dialerRetries *int) {
	*dial = orDefault(*dial, DefaultDialTimeout)
	*read = orDefault(*read, DefaultReadTimeout)
	*write = orDefault(*write, DefaultWriteTimeout)
	*pool = orDefault(*pool, DefaultPoolTimeout)
	*retries = orDefault(*retries, DefaultMaxRetries)
	*dialerRetries = orDefault(*dialerRetries, 1)
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// redactErr keeps a password in rawURL out of error messages.
func redactErr(err error, rawURL string) error {
	u, perr := url.Parse(rawURL)
	if perr != nil {
		return errors.New("cannot parse URL") // url.Error would repeat the URL
	}
	if p, ok := u.User.Password(); ok && p != "" {
		return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
	}
	return err
}

// Ping reports whether Redis answers; on a cluster, whether every known
// master does.
func (s *Store) Ping(ctx context.Context) error {
	if c, ok := s.rdb.(*redis.ClusterClient); ok {
		return c.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
			return n.Ping(ctx).Err()
		})
	}
	return s.rdb.Ping(ctx).Err()
}

// Close releases the connections. The Store must not be used afterwards.
func (s *Store) Close() error {
	return s.rdb.Close()
}

// idemKey is the key of one (accountID, key) pair. The hash tag covers the
// whole pair, so records spread over a cluster's slots, and the account's
// length keeps ("a:b", "c") apart from ("a", "b:c").
func (s *Store) idemKey(accountID, key string) string {
	return s.prefix + "idem:{" + strconv.Itoa(len(accountID)) + ":" + accountID + ":" + key + "}"
}

// rateKey is the key holding the GCRA state of one rate-limit key.
func (s *Store) rateKey(key string) string {
	return s.prefix + "rate:{" + key + "}"
}
