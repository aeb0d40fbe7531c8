package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

const idempotencyColumns = `account_id, idem_key, fingerprint, status, content_type, body, created_at, expires_at`

// FindIdempotencyRecord returns the stored response of a keyed write;
// ENOTFOUND when there is none or it has expired.
func (r reader) FindIdempotencyRecord(ctx context.Context, accountID, key string) (*billbridge.IdempotencyRecord, error) {
	var rec billbridge.IdempotencyRecord
	err := r.q.QueryRowContext(ctx, `SELECT `+idempotencyColumns+` FROM idempotency_records
		WHERE account_id = $1 AND idem_key = $2 AND expires_at > $3`, accountID, key, ts(r.clock.Now())).
		Scan(&rec.AccountID, &rec.Key, &rec.Fingerprint, &rec.Status, &rec.ContentType, &rec.Body,
			timeCol{&rec.CreatedAt}, timeCol{&rec.ExpiresAt})
	if err != nil {
		return nil, notFound(err, "idempotency record")
	}
	return &rec, nil
}

// SaveIdempotencyRecord stores the response of a keyed write in the
// transaction of the write. An expired record under the same key is
// replaced; a live one makes it return an error matching ErrRetry.
func (tx *Tx) SaveIdempotencyRecord(ctx context.Context, r *billbridge.IdempotencyRecord) error {
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_records (`+idempotencyColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (account_id, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
			content_type = excluded.content_type, body = excluded.body, created_at = excluded.created_at,
			expires_at = excluded.expires_at
		WHERE idempotency_records.expires_at <= $9`,
		r.AccountID, r.Key, r.Fingerprint, r.Status, r.ContentType, body, ts(r.CreatedAt), ts(r.ExpiresAt), ts(tx.clock.Now()))
	if err != nil {
		return dbError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%w: idempotency key %q is taken", billbridge.ErrRetry, r.Key)
	}
	return nil
}

// PurgeExpired deletes the idempotency records expired at now and returns
// how many went.
func (db *DB) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM idempotency_records WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, dbError(err)
	}
	return res.RowsAffected()
}
