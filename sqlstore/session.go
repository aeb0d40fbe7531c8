package sqlstore

import (
	"context"
	"time"

	"billbridge"
)

// CreateSession signs in with the key whose hash is keyHash: ENOTFOUND
// when no such key works at s.CreatedAt. The account's expired sessions are
// deleted in the same transaction.
func (db *DB) CreateSession(ctx context.Context, s *billbridge.Session, keyHash string) error {
	return db.inTx(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT id, account_id FROM api_keys
			WHERE hash = $1 AND (expires_at IS NULL OR expires_at > $2)`, keyHash, ts(s.CreatedAt)).Scan(&s.KeyID, &s.AccountID)
		if err != nil {
			return notFound(err, "API key")
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM console_sessions WHERE account_id = $1 AND (last_seen_at <= $2 OR created_at <= $3)`,
			s.AccountID, ts(s.CreatedAt.Add(-billbridge.SessionIdle)), ts(s.CreatedAt.Add(-billbridge.SessionMaxAge))); err != nil {
			return dbError(err)
		}
		_, err = q.ExecContext(ctx, `INSERT INTO console_sessions (token_hash, account_id, key_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)`,
			s.TokenHash, s.AccountID, s.KeyID, ts(s.CreatedAt), ts(s.LastSeenAt))
		return dbError(err)
	})
}

// FindSession returns the session and its account; ENOTFOUND when none, or
// when its key does not work at now.
func (db *DB) FindSession(ctx context.Context, tokenHash string, now time.Time) (*billbridge.Session, error) {
	s := billbridge.Session{TokenHash: tokenHash, Account: &billbridge.Account{}}
	a := s.Account
	err := db.read.QueryRowContext(ctx, `SELECT s.account_id, s.key_id, s.created_at, s.last_seen_at, `+accountColumns+`
		FROM console_sessions s JOIN api_keys k ON k.id = s.key_id JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND (k.expires_at IS NULL OR k.expires_at > $2)`, tokenHash, ts(now)).
		Scan(&s.AccountID, &s.KeyID, timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, &a.ID, &a.Name, &a.Timezone, timeCol{&a.CreatedAt})
	if err != nil {
		return nil, notFound(err, "session")
	}
	return &s, nil
}

// TouchSession records a request of the session at at (a later time
// already stored is kept).
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return db.inTx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE console_sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2`, tokenHash, ts(at))
		return dbError(err)
	})
}

// DeleteSession ends a session; nil when already gone.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.inTx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `DELETE FROM console_sessions WHERE token_hash = $1`, tokenHash)
		return dbError(err)
	})
}
