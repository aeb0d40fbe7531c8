package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"billbridge"
)

// allowScript applies GCRA to KEYS[1], which holds the theoretical arrival
// time (TAT) in microseconds on the Redis server's clock, so every gateway
// instance shares one clock. ARGV: emission interval µs, burst offset µs
// (interval × burst). Returns {allowed, remaining, retry_after µs,
// reset_after µs}. Same rules as inmem.Store.Allow.
var allowScript = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst_offset = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local new_tat = tat + interval
local allow_at = new_tat - burst_offset
if allow_at > now then
  return {0, 0, math.ceil(allow_at - now), math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now - allow_at) / interval), 0, math.ceil(new_tat - now)}
`)

// Allow counts one request against key under limit with GCRA: at most Burst
// requests at once, refilled at Rate per Period. Every instance sharing the
// Redis shares the count. limit's fields must all be positive.
func (s *Store) Allow(ctx context.Context, key string, limit billbridge.RateLimit) (billbridge.RateResult, error) {
	if limit.Rate <= 0 || limit.Burst <= 0 || limit.Period <= 0 {
		return billbridge.RateResult{}, fmt.Errorf("redisstore: allow: invalid limit %+v", limit)
	}
	if limit.Period/time.Duration(limit.Rate) < time.Microsecond {
		return billbridge.RateResult{}, fmt.Errorf("redisstore: allow: limit %+v is finer than 1µs per request", limit)
	}
	interval := float64(limit.Period.Microseconds()) / float64(limit.Rate)
	v, err := allowScript.Run(ctx, s.rdb, []string{s.rateKey(key)},
		interval, interval*float64(limit.Burst)).Int64Slice()
	if err != nil {
		return billbridge.RateResult{}, fmt.Errorf("redisstore: allow: %w", err)
	}
	if len(v) != 4 {
		return billbridge.RateResult{}, fmt.Errorf("redisstore: allow: unexpected reply of %d values", len(v))
	}
	return billbridge.RateResult{
		Allowed:    v[0] == 1,
		Remaining:  int(v[1]),
		RetryAfter: time.Duration(v[2]) * time.Microsecond,
		ResetAfter: time.Duration(v[3]) * time.Microsecond,
	}, nil
}
