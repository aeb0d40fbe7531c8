package routes

import (
	"context"
	"sync"
	"time"
)

// keyUseEvery is how often one gateway instance writes a key's
// last_used_at: at most once a minute per key, never once per request.
const keyUseEvery = time.Minute

// keyUseMax bounds the keys remembered; past it the memory starts afresh
// (the cost: one more write per key that minute).
const keyUseMax = 10_000

// keyUse throttles the writes of API keys' last_used_at.
type keyUse struct {
	mu   sync.Mutex
	last map[string]time.Time // key hash → when its use was last written
}

// due reports whether the use of the key with hash at now is to be written,
// and if so remembers now.
func (u *keyUse) due(hash string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if t, ok := u.last[hash]; ok && now.Sub(t) < keyUseEvery && !now.Before(t) {
		return false
	}
	if u.last == nil || len(u.last) >= keyUseMax {
		u.last = make(map[string]time.Time)
	}
	u.last[hash] = now
	return true
}

// touchKey records that the key with hash authenticated a request, at most
// once a minute per key; a failed write is logged, never the request's
// failure.
func (s *server) touchKey(ctx context.Context, hash string) {
	now := s.deps.Clock.Now()
	if !s.keyUse.due(hash, now) {
		return
	}
	if err := s.deps.Store.TouchAPIKey(ctx, hash, now); err != nil {
		s.logger.WarnContext(ctx, "recording an API key's use failed", "err", err)
	}
}
