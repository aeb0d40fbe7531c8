package inmem

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// DefaultMaxBytes bounds the idempotency entries of a Store whose MaxBytes
// is zero: 8 MiB, some 8,500 responses of a customer (600 bytes of JSON),
// which take about 17 MiB of Go's heap (BenchmarkKeyedResponsesMemory).
// A platform retries within minutes; a key forgotten earlier still
// replays, from the database.
const DefaultMaxBytes = 8 << 20

// entryOverhead is what one idempotency entry costs besides its strings and
// body: the map slot, the list element and the record.
const entryOverhead = 256

// idemEntry is one claim or stored response, in least recently used order.
type idemEntry struct {
	key  idemKey
	rec  *billbridge.IdempotencyRecord
	size int64
}

// Begin claims (accountID, key) for fingerprint for lockTTL, or returns a
// copy of the record holding it: a completed response (Status > 0), or a
// claim still running (Status 0, its Fingerprint, ExpiresAt when the claim
// lapses). lockTTL must be positive.
func (s *Store) Begin(ctx context.Context, accountID, key, fingerprint string, lockTTL time.Duration) (*billbridge.IdempotencyRecord, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if lockTTL <= 0 {
		return nil, false, fmt.Errorf("inmem: begin: lockTTL %v is not positive", lockTTL)
	}
	now := s.lock()
	defer s.mu.Unlock()
	k := idemKey{accountID, key}
	if el, ok := s.idem[k]; ok {
		if e := el.Value.(*idemEntry); now.Before(e.rec.ExpiresAt) {
			s.order.MoveToBack(el)
			return copyRecord(e.rec), false, nil
		}
	}
	s.put(k, &billbridge.IdempotencyRecord{
		AccountID:   accountID,
		Key:         key,
		Fingerprint: fingerprint,
		CreatedAt:   now,
		ExpiresAt:   now.Add(lockTTL),
	})
	return nil, true, nil
}

// Complete stores a copy of rec's response for ttl, replacing a claim. When
// a completed response is stored already it is kept: the first response is
// the one replayed. rec.Status must be positive; a zero CreatedAt means now.
// A response larger than MaxBytes is not kept (the claim is dropped): the
// database replays it.
func (s *Store) Complete(ctx context.Context, rec *billbridge.IdempotencyRecord, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if rec.Status <= 0 {
		return fmt.Errorf("inmem: complete: status %d is not a response", rec.Status)
	}
	if ttl <= 0 {
		return fmt.Errorf("inmem: complete: ttl %v is not positive", ttl)
	}
	now := s.lock()
	defer s.mu.Unlock()
	k := idemKey{rec.AccountID, rec.Key}
	if el, ok := s.idem[k]; ok {
		if e := el.Value.(*idemEntry); now.Before(e.rec.ExpiresAt) && e.rec.Status != 0 {
			return nil
		}
	}
	if recordSize(rec) > s.maxBytes() {
		s.remove(k)
		return nil
	}
	c := copyRecord(rec)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.ExpiresAt = now.Add(ttl)
	s.put(k, c)
	return nil
}

// Release drops the claim on (accountID, key). A completed response is
// never dropped, and releasing a key nobody holds is not an error.
func (s *Store) Release(ctx context.Context, accountID, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.lock()
	defer s.mu.Unlock()
	k := idemKey{accountID, key}
	if el, ok := s.idem[k]; ok && el.Value.(*idemEntry).rec.Status == 0 {
		s.remove(k)
	}
	return nil
}

// IdempotencyBytes returns what the idempotency entries held now are
// counted as: their strings and bodies plus a fixed overhead each. It never
// exceeds MaxBytes.
func (s *Store) IdempotencyBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// put stores rec under k as the most recently used entry, replacing what k
// held, then forgets the least recently used entries until the total fits
// MaxBytes. s.mu must be held.
func (s *Store) put(k idemKey, rec *billbridge.IdempotencyRecord) {
	s.remove(k)
	e := &idemEntry{key: k, rec: rec, size: recordSize(rec)}
	s.idem[k] = s.order.PushBack(e)
	s.bytes += e.size
	for s.bytes > s.maxBytes() {
		s.remove(s.order.Front().Value.(*idemEntry).key)
	}
}

// remove forgets the entry of k, if any. s.mu must be held.
func (s *Store) remove(k idemKey) {
	el, ok := s.idem[k]
	if !ok {
		return
	}
	s.bytes -= el.Value.(*idemEntry).size
	s.order.Remove(el)
	delete(s.idem, k)
}

// maxBytes returns MaxBytes, or DefaultMaxBytes when it is not positive.
func (s *Store) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// recordSize is what rec counts against MaxBytes.
func recordSize(rec *billbridge.IdempotencyRecord) int64 {
	return int64(entryOverhead + len(rec.AccountID) + len(rec.Key) + len(rec.Fingerprint) + len(rec.ContentType) + len(rec.Body))
}

// copyRecord returns a copy of rec whose Body shares nothing with rec's.
func copyRecord(rec *billbridge.IdempotencyRecord) *billbridge.IdempotencyRecord {
	c := *rec
	if rec.Body != nil {
		c.Body = append([]byte{}, rec.Body...)
	}
	return &c
}
