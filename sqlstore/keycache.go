package sqlstore

import (
	"sync"
	"time"

	"billbridge"
)

// DefaultKeyCacheTTL is how long AccountByKeyHash answers a key from memory
// before reading it again: the bound on how long a key revoked, or expired
// early, by another process (another gateway instance without Redis, the
// CLI) keeps working on this one. A change through this store is seen at
// once (the commit forgets the account's keys), and so is one announced by
// ForgetAPIKeys (Redis pub/sub between instances).
const DefaultKeyCacheTTL = time.Second

// keyCacheMax bounds the keys held; past it the cache starts afresh.
const keyCacheMax = 10_000

// keyCache holds the accounts of recently used API keys by key hash.
type keyCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	gen     uint64 // bumped by every forget: a lookup begun before one is not stored
	entries map[string]keyEntry
}

type keyEntry struct {
	acct    billbridge.Account
	expires *time.Time // the key's own expiry (a rotated key)
	until   time.Time  // when the entry must be read again
}

// get returns the account of the key with hash at now, if held and fresh.
func (c *keyCache) get(hash string, now time.Time) (*billbridge.Account, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || !now.Before(e.until) || (e.expires != nil && !now.Before(*e.expires)) {
		return nil, false
	}
	a := e.acct
	return &a, true
}

// generation returns the number to hand to put after the lookup.
func (c *keyCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put holds the account of a key read at now, unless keys were forgotten
// since gen was taken (the read may predate the change).
func (c *keyCache) put(hash string, a *billbridge.Account, expires *time.Time, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ttl <= 0 || gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= keyCacheMax {
		c.entries = make(map[string]keyEntry)
	}
	c.entries[hash] = keyEntry{acct: *a, expires: expires, until: now.Add(c.ttl)}
}

// forget drops the keys of the accounts; none means every key.
func (c *keyCache) forget(accountIDs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(accountIDs) == 0 {
		c.entries = nil
		return
	}
	for h, e := range c.entries {
		for _, id := range accountIDs {
			if e.acct.ID == id {
				delete(c.entries, h)
			}
		}
	}
}

// SetKeyCacheTTL sets how long a key's account is answered from memory
// (DefaultKeyCacheTTL unless set; 0 reads the database every time). Call
// it before using the store.
func (db *DB) SetKeyCacheTTL(d time.Duration) {
	db.keys.mu.Lock()
	defer db.keys.mu.Unlock()
	db.keys.ttl, db.keys.entries = d, nil
}

// ForgetAPIKeys drops the cached keys of the accounts (all keys when none are
// named), for a change made elsewhere: another instance's revocation
// announced over Redis.
func (db *DB) ForgetAPIKeys(accountIDs ...string) { db.keys.forget(accountIDs...) }

// OnAPIKeysChanged makes the store call f with the accounts whose keys a
// committed transaction revoked or expired (to announce it to the other
// instances); nil stops it. f runs before Atomic returns and must not block
// for long.
func (db *DB) OnAPIKeysChanged(f func(accountIDs []string)) {
	if f == nil {
		db.onKeys.Store(nil)
		return
	}
	db.onKeys.Store(&f)
}
