package inmem

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

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
	if rec, ok := s.idem[k]; ok && now.Before(rec.ExpiresAt) {
		return copyRecord(rec), false, nil
	}
	s.idem[k] = &billbridge.IdempotencyRecord{
		AccountID:   accountID,
		Key:         key,
		Fingerprint: fingerprint,
		CreatedAt:   now,
		ExpiresAt:   now.Add(lockTTL),
	}
	return nil, true, nil
}

// Complete stores a copy of rec's response for ttl, replacing a claim. When
// a completed response is stored already it is kept: the first response is
// the one replayed. rec.Status must be positive; a zero CreatedAt means now.
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
	if old, ok := s.idem[k]; ok && now.Before(old.ExpiresAt) && old.Status != 0 {
		return nil
	}
	c := copyRecord(rec)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.ExpiresAt = now.Add(ttl)
	s.idem[k] = c
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
	if rec, ok := s.idem[k]; ok && rec.Status == 0 {
		delete(s.idem, k)
	}
	return nil
}

// copyRecord returns a copy of rec whose Body shares nothing with rec's.
func copyRecord(rec *billbridge.IdempotencyRecord) *billbridge.IdempotencyRecord {
	c := *rec
	if rec.Body != nil {
		c.Body = append([]byte{}, rec.Body...)
	}
	return &c
}
