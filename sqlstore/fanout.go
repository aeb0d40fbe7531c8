package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"billbridge"
)

// fanOutBatch is the most events one FanOut transaction expands: with
// MaxHooks hooks each, at most 2,000 deliveries per transaction.
const fanOutBatch = 20

// fanOutRounds bounds the FanOut transactions one ClaimDeliveries runs.
const fanOutRounds = 10

// pendingEvent is an event not yet expanded into deliveries.
type pendingEvent struct {
	id, accountID, typ string
	seq                int64
	occurredAt         time.Time
}

// newDelivery is a delivery FanOut enqueues, due at once.
type newDelivery struct{ id, accountID, hookID, eventID, due string }

// fanHook is what FanOut needs of a hook.
type fanHook struct {
	billbridge.Hook
	afterSeq int64
}

// FanOut expands up to limit pending events, oldest first, into one
// delivery for every hook of the event's account that wants its type and
// was subscribed before it (its after_seq below the event's Seq), due at
// once, and marks them expanded, all in one transaction of its own: the
// writers that appended the events never pay for their hooks. It returns
// how many events it expanded.
//
// Exactly once, also with several instances: on PostgreSQL the pending
// events are locked FOR UPDATE SKIP LOCKED, so two FanOuts never expand the
// same event, and one that waited re-checks pending; on SQLite write
// transactions run one at a time. A unique index on (hook_id, event_id)
// refuses a second delivery of one event to one hook. A failed FanOut rolls
// back and leaves its events pending for the next.
func (db *DB) FanOut(ctx context.Context, limit int) (int, error) {
	var n int
	err := db.once(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		q := tx.tx
		events, err := pendingEvents(ctx, q, db.d, limit)
		if err != nil || len(events) == 0 {
			n = len(events)
			return err
		}
		hooks := map[string][]fanHook{}
		var rows []newDelivery
		for _, e := range events {
			hs, ok := hooks[e.accountID]
			if !ok {
				if hs, err = fanOutHooks(ctx, q, e.accountID); err != nil {
					return err
				}
				hooks[e.accountID] = hs
			}
			for _, h := range hs {
				if h.afterSeq < e.seq && h.Wants(e.typ) {
					rows = append(rows, newDelivery{billbridge.NewID(billbridge.PrefixDelivery), e.accountID, h.ID, e.id, ts(e.occurredAt)})
				}
			}
		}
		never := ts(time.Unix(0, 0))
		if err := tx.insertRows(ctx, `deliveries (id, account_id, hook_id, event_id, attempts, next_attempt_at, locked_until, last_error, created_at)`,
			len(rows), func(i int) []any {
				r := rows[i]
				return []any{r.id, r.accountID, r.hookID, r.eventID, 0, r.due, never, "", r.due}
			}); err != nil {
			return fmt.Errorf("insert deliveries: %w", err)
		}
		ids := make([]any, len(events))
		for i, e := range events {
			ids[i] = e.id
		}
		if _, err := q.ExecContext(ctx, `UPDATE events SET pending = 0 WHERE id IN (`+marks(1, len(ids))+`)`, ids...); err != nil {
			return dbError(fmt.Errorf("mark events expanded: %w", err))
		}
		n = len(events)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// fanOutAll runs FanOut until no pending event is left or fanOutRounds
// transactions have run.
func (db *DB) fanOutAll(ctx context.Context) error {
	for range fanOutRounds {
		n, err := db.FanOut(ctx, fanOutBatch)
		if err != nil || n < fanOutBatch {
			return err
		}
	}
	return nil
}

// pendingEvents locks up to limit pending events, oldest first.
func pendingEvents(ctx context.Context, q querier, d dialect, limit int) ([]pendingEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, account_id, type, seq, occurred_at FROM events WHERE pending = 1
		ORDER BY occurred_at, account_id, seq LIMIT $1`+d.skipLocked, limit)
	if err != nil {
		return nil, dbError(fmt.Errorf("pending events: %w", err))
	}
	defer rows.Close()
	var out []pendingEvent
	for rows.Next() {
		var e pendingEvent
		if err := rows.Scan(&e.id, &e.accountID, &e.typ, &e.seq, timeCol{&e.occurredAt}); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// fanOutHooks returns every hook of the account (at most MaxHooks) with
// the Seq it was subscribed after.
func fanOutHooks(ctx context.Context, q querier, accountID string) ([]fanHook, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, events, after_seq FROM hooks WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []fanHook
	for rows.Next() {
		var h fanHook
		var events string
		if err := rows.Scan(&h.ID, &events, &h.afterSeq); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(events), &h.Events); err != nil {
			return nil, fmt.Errorf("decode hook events: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// marks returns n placeholders "$from, $from+1, …".
func marks(from, n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(m, ", ")
}
