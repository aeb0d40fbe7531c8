package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"billbridge"
)

// ClaimDeliveries first expands the pending events into deliveries
// (FanOut, in transactions of their own), then leases up to limit
// deliveries due at now (next attempt reached, no live lease) until
// now+lease, fairly across accounts: round-robin (every account's oldest
// due delivery before any account's second), and with perAccount > 0 no
// account past perAccount leased at once, counting the leases other
// claimers hold. On PostgreSQL the candidates are locked FOR UPDATE SKIP
// LOCKED, so concurrent claimers (other gateway instances) never get the
// same delivery; on SQLite the claim is one write transaction and writers
// run one at a time. Payload is the event exactly as the feed renders it
// (json.Marshal of billbridge.Event).
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, limit, perAccount int, lease time.Duration) ([]billbridge.Delivery, error) {
	if err := db.fanOutAll(ctx); err != nil {
		return nil, err
	}
	var out []billbridge.Delivery
	err := db.inTx(ctx, func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, claimQuery(db.d), ts(now), ts(now.Add(lease)), limit, perAccount)
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
		rows, err = q.QueryContext(ctx, `SELECT d.id, d.account_id, d.hook_id, h.target_url, h.secret, d.attempts,
			d.next_attempt_at, d.created_at, e.id, e.type, e.seq, e.occurred_at, e.data
			FROM deliveries d JOIN hooks h ON h.id = d.hook_id JOIN events e ON e.id = d.event_id
			WHERE d.id IN (`+marks(1, len(ids))+`) ORDER BY d.next_attempt_at, d.id`, ids...)
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

// claimQuery leases the due deliveries ($1 now, $2 lease end) ranked
// within their account, oldest first, taking rank 1 of every account before
// rank 2 (round-robin), up to $3, and no account's rank past $4 minus its
// live leases ($4 <= 0: no cap). PostgreSQL allows no row lock beside a
// window function, so the ranked ids are locked by the query around them,
// which also checks again that each is still due and free.
func claimQuery(d dialect) string {
	return `UPDATE deliveries SET locked_until = $2 WHERE id IN (
		SELECT id FROM deliveries WHERE next_attempt_at <= $1 AND locked_until <= $1 AND id IN (
			SELECT id FROM (
				SELECT d.id, d.next_attempt_at, COALESCE(l.n, 0) AS leased,
					ROW_NUMBER() OVER (PARTITION BY d.account_id ORDER BY d.next_attempt_at, d.id) AS pos
				FROM deliveries d LEFT JOIN (SELECT account_id, COUNT(*) AS n FROM deliveries
					WHERE locked_until > $1 GROUP BY account_id) l ON l.account_id = d.account_id
				WHERE d.next_attempt_at <= $1 AND d.locked_until <= $1
			) ranked WHERE $4 <= 0 OR pos + leased <= $4
			ORDER BY pos, next_attempt_at, id LIMIT $3)` + d.skipLocked + `) RETURNING id`
}

// DeliverySucceeded removes a delivered delivery and records the success
// in its hook's health (hookOutcome), in one transaction.
func (db *DB) DeliverySucceeded(ctx context.Context, id string) error {
	return db.settleDelivery(ctx, `DELETE FROM deliveries WHERE id = $1 RETURNING hook_id`, []any{id}, true, 0, nil)
}

// DeliveryFailed counts a failed attempt, records reason, ends the lease,
// schedules the next attempt at next, and counts the failure in its hook's
// health.
func (db *DB) DeliveryFailed(ctx context.Context, id string, next time.Time, reason string) error {
	return db.settleDelivery(ctx, `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $2,
		locked_until = $3, last_error = $4 WHERE id = $1 RETURNING hook_id`, []any{id, ts(next), ts(time.Unix(0, 0)), reason}, false, 0, nil)
}

// DropDelivery gives up on a delivery: it is logged with reason, deleted,
// counted in its hook's health as a failed attempt and a drop, and fires
// the account's delivery_dropped alert for the hook, in one transaction.
func (db *DB) DropDelivery(ctx context.Context, id string, reason string) error {
	db.logger.WarnContext(ctx, "hook delivery dropped", "delivery_id", id, "reason", reason)
	return db.settleDelivery(ctx, `DELETE FROM deliveries WHERE id = $1 RETURNING hook_id`, []any{id}, false, 1,
		func(tx *Tx, hookID string, now time.Time) error {
			return hookAlert(ctx, tx, billbridge.AlertDeliveryDropped, hookID, now, func(url string) string {
				return fmt.Sprintf("A delivery to %s was given up: %s", url, reason)
			})
		})
}

// settleDelivery runs stmt (which returns the delivery's hook_id) and
// records the outcome in the hook's health, then runs then (when set), in
// the same transaction; a delivery already gone (its hook deleted
// meanwhile) records nothing.
func (db *DB) settleDelivery(ctx context.Context, stmt string, args []any, delivered bool, dropped int64, then func(tx *Tx, hookID string, now time.Time) error) error {
	return db.once(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		var hookID string
		err := tx.tx.QueryRowContext(ctx, stmt, args...).Scan(&hookID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return dbError(err)
		}
		now := db.clock.Now()
		if err := hookOutcome(ctx, tx.tx, hookID, now, delivered, dropped); err != nil || then == nil {
			return err
		}
		return then(tx, hookID, now)
	})
}

// hookAlert fires the alert kind of the hook (kept in hook_health) with
// the detail its target URL makes.
func hookAlert(ctx context.Context, tx *Tx, kind, hookID string, now time.Time, detail func(targetURL string) string) error {
	var accountID, url string
	err := tx.tx.QueryRowContext(ctx, `SELECT account_id, target_url FROM hook_health WHERE hook_id = $1`, hookID).Scan(&accountID, &url)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return dbError(err)
	}
	return billbridge.FireAlert(ctx, tx, billbridge.Alert{AccountID: accountID, Kind: kind, Subject: hookID, Detail: detail(url)}, now)
}
