package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// Redeliver enqueues deliveries of the account's expanded events after
// r.AfterSeq (in seq order, at most MaxRedeliver read) that the hook
// wants, due at at. Events still pending are left to FanOut, which would
// otherwise meet their delivery in the (hook_id, event_id) unique index;
// an event the hook already has a delivery of is skipped (ON CONFLICT DO
// NOTHING), so a repeat of the request queues nothing twice. The commit
// wakes the delivery dispatcher like an appended event.
func (tx *Tx) Redeliver(ctx context.Context, r *billbridge.Redelivery, at time.Time) error {
	h, err := tx.FindHook(ctx, r.AccountID, r.HookID)
	if err != nil {
		return err
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, type, seq FROM events WHERE account_id = $1 AND seq > $2 AND pending = 0
		ORDER BY seq LIMIT $3`, r.AccountID, r.AfterSeq, billbridge.MaxRedeliver+1)
	if err != nil {
		return dbError(err)
	}
	var ids []string
	r.LastSeq, r.HasMore, r.Queued = r.AfterSeq, false, 0
	n := 0
	for rows.Next() {
		var id, typ string
		var seq int64
		if err := rows.Scan(&id, &typ, &seq); err != nil {
			rows.Close()
			return err
		}
		if n++; n > billbridge.MaxRedeliver {
			r.HasMore = true
			break
		}
		r.LastSeq = seq
		if h.Wants(typ) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	due := ts(at)
	never := ts(time.Unix(0, 0))
	for _, id := range ids {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO deliveries (id, account_id, hook_id, event_id, attempts, next_attempt_at, locked_until, last_error, created_at)
			VALUES ($1, $2, $3, $4, 0, $5, $6, '', $5) ON CONFLICT (hook_id, event_id) DO NOTHING`,
			billbridge.NewID(billbridge.PrefixDelivery), r.AccountID, r.HookID, id, due, never)
		if err != nil {
			return dbError(fmt.Errorf("redeliver: %w", err))
		}
		k, err := res.RowsAffected()
		if err != nil {
			return err
		}
		r.Queued += int(k)
	}
	tx.wake = tx.wake || r.Queued > 0
	return nil
}
