package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

const apiKeyColumns = `id, account_id, hash, label, prefix, created_at, last_used_at, expires_at`

// working is the condition of keys that still authenticate at $2.
const working = `(expires_at IS NULL OR expires_at > $2)`

func scanAPIKey(r rowScanner) (*billbridge.APIKey, error) {
	var k billbridge.APIKey
	if err := r.Scan(&k.ID, &k.AccountID, &k.Hash, &k.Label, &k.Prefix, timeCol{&k.CreatedAt},
		nullTimeCol{&k.LastUsedAt}, nullTimeCol{&k.ExpiresAt}); err != nil {
		return nil, notFound(err, "API key")
	}
	return &k, nil
}

func insertAPIKey(ctx context.Context, q querier, k *billbridge.APIKey) error {
	_, err := q.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		k.ID, k.AccountID, k.Hash, k.Label, k.Prefix, ts(k.CreatedAt), tsOrNil(k.LastUsedAt), tsOrNil(k.ExpiresAt))
	return err
}

// FindAPIKey returns one of the account's working keys; ENOTFOUND if none.
func (r reader) FindAPIKey(ctx context.Context, accountID, id string) (*billbridge.APIKey, error) {
	return scanAPIKey(r.q.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys
		WHERE account_id = $1 AND `+working+` AND id = $3`, accountID, ts(r.clock.Now()), id))
}

// FindAPIKeys pages through the account's working keys, newest first.
func (r reader) FindAPIKeys(ctx context.Context, accountID string, p billbridge.PageParams) (billbridge.Page[billbridge.APIKey], error) {
	w := newWhere(accountID)
	w.add("(expires_at IS NULL OR expires_at > ?)", ts(r.clock.Now()))
	w.after(p.StartingAfter)
	limit := pageLimit(p.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE `+w.sql()+
		` ORDER BY id DESC LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.APIKey]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanAPIKey)
}

// lockAccount holds the account row until the transaction ends
// (PostgreSQL; SQLite runs one writer at a time), so checks of a per-account
// count and the write they allow happen as one.
func (tx *Tx) lockAccount(ctx context.Context, accountID string) error {
	_, err := tx.tx.ExecContext(ctx, `SELECT id FROM accounts WHERE id = $1`+tx.d.forUpdate, accountID)
	return dbError(err)
}

// InsertAPIKey stores a new key; EINVALID when the account already holds
// MaxAPIKeys working keys. Keys expired before now are deleted first.
func (tx *Tx) InsertAPIKey(ctx context.Context, k *billbridge.APIKey, now time.Time) error {
	if err := tx.lockAccount(ctx, k.AccountID); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM api_keys WHERE account_id = $1 AND expires_at <= $2`, k.AccountID, ts(now)); err != nil {
		return dbError(err)
	}
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM api_keys WHERE account_id = $1`, k.AccountID).Scan(&n); err != nil {
		return dbError(err)
	}
	if n >= billbridge.MaxAPIKeys {
		return billbridge.Errorf(billbridge.EINVALID, "The account has %d API keys, the most it may have; revoke one before creating or rotating another.", billbridge.MaxAPIKeys)
	}
	return dbError(insertAPIKey(ctx, tx.tx, k))
}

// ExpireAPIKey makes the account's working key stop working at at.
func (tx *Tx) ExpireAPIKey(ctx context.Context, accountID, id string, at time.Time) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE api_keys SET expires_at = $3
		WHERE account_id = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > $3)`, accountID, id, ts(at))
	tx.keysOf = append(tx.keysOf, accountID)
	return dbError(affected(res, err, "API key"))
}

// DeleteAPIKey revokes a key; nil when already gone, ECONFLICT when it is
// the account's last key that does not expire.
func (tx *Tx) DeleteAPIKey(ctx context.Context, accountID, id string) error {
	if err := tx.lockAccount(ctx, accountID); err != nil {
		return err
	}
	var permanent, others int
	err := tx.tx.QueryRowContext(ctx, `SELECT
		count(CASE WHEN id = $2 AND expires_at IS NULL THEN 1 END),
		count(CASE WHEN id <> $2 AND expires_at IS NULL THEN 1 END)
		FROM api_keys WHERE account_id = $1`, accountID, id).Scan(&permanent, &others)
	if err != nil {
		return dbError(err)
	}
	if permanent == 1 && others == 0 {
		return billbridge.Errorf(billbridge.ECONFLICT, "Key %s is the account's last key that does not expire, and an account always keeps one: create or rotate to a new key first.", id)
	}
	_, err = tx.tx.ExecContext(ctx, `DELETE FROM api_keys WHERE account_id = $1 AND id = $2`, accountID, id)
	tx.keysOf = append(tx.keysOf, accountID)
	return dbError(err)
}

// TouchAPIKey sets the key's last_used_at to at unless a later time is
// stored; callers throttle it.
func (db *DB) TouchAPIKey(ctx context.Context, keyHash string, at time.Time) error {
	return db.inTx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $2
			WHERE hash = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, keyHash, ts(at))
		return dbError(err)
	})
}
