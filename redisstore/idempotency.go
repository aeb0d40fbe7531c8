package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"billbridge"
)

// An idempotency record is one hash per (account, key) with the fields fp,
// status, ct, body, created and expires (Unix milliseconds). A claim is the
// same hash with status "0", an empty body, and the lock's lifetime as TTL.
// Every field is always set, so HMGET never returns a hole.

// beginScript claims KEYS[1] or returns what holds it.
// ARGV: fingerprint, created ms, expires ms, lock TTL ms.
// Returns {1} when claimed, else {0, fp, status, ct, body, created, expires}.
var beginScript = redis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'fp', 'status', 'ct', 'body', 'created', 'expires')
if v[1] then
  return {0, v[1], v[2], v[3], v[4], v[5], v[6]}
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'status', '0', 'ct', '', 'body', '', 'created', ARGV[2], 'expires', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1}
`)

// completeScript stores a response unless one is stored already: the first
// completed response wins. ARGV: fp, status, ct, body, created, expires, ttl ms.
var completeScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if st and st ~= '0' then
  return 0
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'status', ARGV[2], 'ct', ARGV[3], 'body', ARGV[4], 'created', ARGV[5], 'expires', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 1
`)

// releaseScript deletes KEYS[1] only while it is a claim (status "0").
var releaseScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'status') == '0' then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Begin claims (accountID, key) for fingerprint for lockTTL, or returns the
// record holding it: a completed response (Status > 0, byte-exact Body), or
// a claim still running (Status 0, its Fingerprint, ExpiresAt when the claim
// lapses). lockTTL must be at least a millisecond.
func (s *Store) Begin(ctx context.Context, accountID, key, fingerprint string, lockTTL time.Duration) (*billbridge.IdempotencyRecord, bool, error) {
	if lockTTL < time.Millisecond {
		return nil, false, fmt.Errorf("redisstore: begin: lockTTL %v is below 1ms", lockTTL)
	}
	now := time.Now()
	v, err := beginScript.Run(ctx, s.rdb, []string{s.idemKey(accountID, key)},
		fingerprint, now.UnixMilli(), now.Add(lockTTL).UnixMilli(), lockTTL.Milliseconds()).Slice()
	if err != nil {
		return nil, false, fmt.Errorf("redisstore: begin: %w", err)
	}
	if len(v) == 1 {
		return nil, true, nil
	}
	rec, err := parseRecord(v)
	if err != nil {
		return nil, false, fmt.Errorf("redisstore: begin: %w", err)
	}
	rec.AccountID, rec.Key = accountID, key
	return rec, false, nil
}

// parseRecord reads {0, fp, status, ct, body, created, expires}.
func parseRecord(v []any) (*billbridge.IdempotencyRecord, error) {
	if len(v) != 7 {
		return nil, fmt.Errorf("unexpected reply of %d values", len(v))
	}
	f := make([]string, 6)
	for i := range f {
		str, ok := v[i+1].(string)
		if !ok {
			return nil, fmt.Errorf("unexpected reply value %T", v[i+1])
		}
		f[i] = str
	}
	status, err1 := strconv.Atoi(f[1])
	created, err2 := strconv.ParseInt(f[4], 10, 64)
	expires, err3 := strconv.ParseInt(f[5], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, fmt.Errorf("corrupt record: %w", err)
	}
	rec := &billbridge.IdempotencyRecord{
		Fingerprint: f[0],
		Status:      status,
		ContentType: f[2],
		CreatedAt:   time.UnixMilli(created),
		ExpiresAt:   time.UnixMilli(expires),
	}
	if status != 0 {
		rec.Body = []byte(f[3])
	}
	return rec, nil
}

// Complete stores rec's response for ttl, replacing a claim. When a completed
// response is stored already it is kept: the first response is the one
// replayed. rec.Status must be positive; a zero CreatedAt means now.
func (s *Store) Complete(ctx context.Context, rec *billbridge.IdempotencyRecord, ttl time.Duration) error {
	if rec.Status <= 0 {
		return fmt.Errorf("redisstore: complete: status %d is not a response", rec.Status)
	}
	if ttl < time.Millisecond {
		return fmt.Errorf("redisstore: complete: ttl %v is below 1ms", ttl)
	}
	now := time.Now()
	created := rec.CreatedAt
	if created.IsZero() {
		created = now
	}
	err := completeScript.Run(ctx, s.rdb, []string{s.idemKey(rec.AccountID, rec.Key)},
		rec.Fingerprint, rec.Status, rec.ContentType, rec.Body,
		created.UnixMilli(), now.Add(ttl).UnixMilli(), ttl.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("redisstore: complete: %w", err)
	}
	return nil
}

// Release drops the claim on (accountID, key). A completed response is
// never dropped, and releasing a key nobody holds is not an error.
func (s *Store) Release(ctx context.Context, accountID, key string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{s.idemKey(accountID, key)}).Err(); err != nil {
		return fmt.Errorf("redisstore: release: %w", err)
	}
	return nil
}
