package redisstore

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// KeyCache is a store that answers API keys from memory (sqlstore.DB): it
// reports the accounts whose keys a commit revoked or expired, and forgets
// the keys of accounts on request.
type KeyCache interface {
	OnAPIKeysChanged(f func(accountIDs []string))
	ForgetAPIKeys(accountIDs ...string)
}

// keysChannel is the pub/sub channel on which instances announce the
// accounts whose API keys were revoked or expired.
func (s *Store) keysChannel() string { return s.prefix + "api-keys-changed" }

// ShareKeyRevocations makes the gateways sharing this Redis refuse a revoked
// key at once: every revocation or expiry committed through kc is published
// (before the revoking request is answered), and every one published by
// another instance makes kc forget that account's keys, until ctx ends.
// While the subscription is down, announcements are missed; on every
// (re)subscription kc forgets all keys, and in between its own TTL bounds
// how long a key revoked elsewhere keeps working.
func (s *Store) ShareKeyRevocations(ctx context.Context, kc KeyCache) {
	kc.OnAPIKeysChanged(func(accountIDs []string) {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := s.rdb.Publish(pctx, s.keysChannel(), strings.Join(accountIDs, ",")).Err(); err != nil {
			s.logger.WarnContext(ctx, "announcing revoked API keys to the other instances failed; they refuse them within their key cache TTL", "error", err)
		}
	})
	ps := s.rdb.Subscribe(ctx, s.keysChannel())
	go func() {
		defer ps.Close()
		// Channel delivers the subscription's confirmations too (one per
		// connection, the first and every one after a reconnect).
		ch := ps.ChannelWithSubscriptions()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				switch m := m.(type) {
				case *redis.Subscription:
					kc.ForgetAPIKeys()
				case *redis.Message:
					if m.Payload != "" {
						kc.ForgetAPIKeys(strings.Split(m.Payload, ",")...)
					}
				}
			}
		}
	}()
}
