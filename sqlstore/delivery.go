package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"billbridge"
)

// ClaimDeliveries leases up to limit deliveries due at now (next attempt
// reached, no live lease) until now+lease, oldest due first. On PostgreSQL
// the candidates are picked FOR UPDATE SKIP LOCKED, so concurrent claimers
// (other gateway instances) never get the same delivery; on SQLite the
// claim is one write transaction and writers run one at a time. Payload is
// the event exactly as the feed renders it (json.Marshal of billbridge.Event).
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]billbridge.Delivery, error) {
	var out []billbridge.Delivery
	err := db.inTx(ctx, func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `UPDATE deliveries SET locked_until = $2 WHERE id IN (
			SELECT id FROM deliveries WHERE next_attempt_at <= $1 AND locked_until <= $1
			ORDER BY next_attempt_at LIMIT $3`+db.d.skipLocked+`) RETURNING id`, ts(now), ts(now.Add(lease)), limit)
		if err != nil {
			return dbError(fmt.Errorf("claim deliveries: %w", err))
		}
		var ids []any
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		marks := make([]string, len(ids))
		for i := range ids {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		rows, err = q.QueryContext(ctx, `SELECT d.id, d.account_id, d.hook_id, h.target_url, h.secret, d.attempts,
			d.next_attempt_at, d.created_at, e.id, e.type, e.seq, e.occurred_at, e.data
			FROM deliveries d JOIN hooks h ON h.id = d.hook_id JOIN events e ON e.id = d.event_id
			WHERE d.id IN (`+strings.Join(marks, ", ")+`) ORDER BY d.next_attempt_at, d.id`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d billbridge.Delivery
			var e billbridge.Event
			var data string
			if err := rows.Scan(&d.ID, &d.AccountID, &d.HookID, &d.TargetURL, &d.Secret, &d.Attempts,
				timeCol{&d.NextAttempt}, timeCol{&d.CreatedAt}, &e.ID, &e.Type, &e.Seq, timeCol{&e.OccurredAt}, &data); err != nil {
				return err
			}
			e.Data = json.RawMessage(data)
			if d.Payload, err = json.Marshal(e); err != nil {
				return fmt.Errorf("encode delivery payload: %w", err)
			}
			d.EventID = e.ID
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeliverySucceeded removes a delivered delivery.
func (db *DB) DeliverySucceeded(ctx context.Context, id string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM deliveries WHERE id = $1`, id)
	return dbError(err)
}

// DeliveryFailed counts a failed attempt, records reason, ends the lease and
// schedules the next attempt at next.
func (db *DB) DeliveryFailed(ctx context.Context, id string, next time.Time, reason string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $2,
		locked_until = $3, last_error = $4 WHERE id = $1`, id, ts(next), ts(time.Unix(0, 0)), reason)
	return dbError(err)
}

// DropDelivery gives up on a delivery: it is logged with reason and deleted.
func (db *DB) DropDelivery(ctx context.Context, id string, reason string) error {
	db.logger.WarnContext(ctx, "hook delivery dropped", "delivery_id", id, "reason", reason)
	_, err := db.write.ExecContext(ctx, `DELETE FROM deliveries WHERE id = $1`, id)
	return dbError(err)
}
