package inmem

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// Allow counts one request against key under limit with GCRA: at most Burst
// requests at once, refilled at Rate per Period. The rules are those of
// redisstore.Store.Allow; only this process shares the count. limit's
// fields must all be positive.
func (s *Store) Allow(ctx context.Context, key string, limit billbridge.RateLimit) (billbridge.RateResult, error) {
	if err := ctx.Err(); err != nil {
		return billbridge.RateResult{}, err
	}
	if limit.Rate <= 0 || limit.Burst <= 0 || limit.Period <= 0 {
		return billbridge.RateResult{}, fmt.Errorf("inmem: allow: invalid limit %+v", limit)
	}
	interval := limit.Period / time.Duration(limit.Rate)
	if interval < time.Microsecond {
		return billbridge.RateResult{}, fmt.Errorf("inmem: allow: limit %+v is finer than 1µs per request", limit)
	}
	burstOffset := interval * time.Duration(limit.Burst)

	now := s.lock()
	defer s.mu.Unlock()
	tat, ok := s.tats[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	newTAT := tat.Add(interval)
	allowAt := newTAT.Add(-burstOffset)
	if allowAt.After(now) {
		return billbridge.RateResult{
			RetryAfter: allowAt.Sub(now),
			ResetAfter: tat.Sub(now),
		}, nil
	}
	s.tats[key] = newTAT
	return billbridge.RateResult{
		Allowed:    true,
		Remaining:  int(now.Sub(allowAt) / interval),
		ResetAfter: newTAT.Sub(now),
	}, nil
}
