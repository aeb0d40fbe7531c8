package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"billbridge"
)

// AddAPIUsage adds each entry to its account's counters of its hour, in one
// transaction; a flush of N accounts is N upserts, whatever the requests.
func (db *DB) AddAPIUsage(ctx context.Context, usage []billbridge.APIUsage) error {
	if len(usage) == 0 {
		return nil
	}
	return db.inTx(ctx, func(q querier) error {
		for _, u := range usage {
			_, err := q.ExecContext(ctx, `INSERT INTO api_usage (account_id, hour, requests, errors_4xx, errors_5xx, rate_limited, last_request_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (account_id, hour) DO UPDATE SET requests = api_usage.requests + excluded.requests,
					errors_4xx = api_usage.errors_4xx + excluded.errors_4xx, errors_5xx = api_usage.errors_5xx + excluded.errors_5xx,
					rate_limited = api_usage.rate_limited + excluded.rate_limited,
					last_request_at = CASE WHEN excluded.last_request_at > api_usage.last_request_at THEN excluded.last_request_at ELSE api_usage.last_request_at END`,
				u.AccountID, ts(u.Hour), u.Requests, u.Errors4xx, u.Errors5xx, u.RateLimited, ts(u.LastRequestAt))
			if err != nil {
				return dbError(fmt.Errorf("add api usage: %w", err))
			}
		}
		return nil
	})
}

// PurgeUsage deletes the hourly request and delivery counters of the
// hours before before (the cleanup job passes now minus MaxHealthWindow,
// the longest window a health read looks back) and returns how many went.
// last_request_at survives in the newest hour kept; an account silent
// longer than that reads null.
func (db *DB) PurgeUsage(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	for _, table := range []string{"api_usage", "hook_usage"} {
		res, err := db.write.ExecContext(ctx, `DELETE FROM `+table+` WHERE hour < $1`, ts(before.Truncate(time.Hour)))
		if err != nil {
			return n, dbError(fmt.Errorf("purge %s: %w", table, err))
		}
		m, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += m
	}
	return n, nil
}

// APIHealthSince sums the account's counters from since's hour on over the
// primary key; the latest request is the newest hour's.
func (r reader) APIHealthSince(ctx context.Context, accountID string, since time.Time) (billbridge.APIHealth, error) {
	var h billbridge.APIHealth
	err := r.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(errors_4xx), 0), COALESCE(SUM(errors_5xx), 0),
		COALESCE(SUM(rate_limited), 0) FROM api_usage WHERE account_id = $1 AND hour >= $2`,
		accountID, ts(since.Truncate(time.Hour))).Scan(&h.Requests, &h.Errors4xx, &h.Errors5xx, &h.RateLimited)
	if err != nil {
		return h, err
	}
	err = r.q.QueryRowContext(ctx, `SELECT last_request_at FROM api_usage WHERE account_id = $1 ORDER BY hour DESC LIMIT 1`, accountID).
		Scan(nullTimeCol{&h.LastRequestAt})
	if err == sql.ErrNoRows {
		err = nil
	}
	return h, err
}

// HookStates reads the account's hook_health rows with their pending
// deliveries and their attempts since since's hour.
func (r reader) HookStates(ctx context.Context, accountID string, since time.Time) ([]billbridge.HookState, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT h.hook_id, h.target_url, h.created_at, h.removed_at, h.last_success_at, h.last_failure_at,
		h.consecutive_failures, COALESCE(u.delivered, 0), COALESCE(u.failed, 0), COALESCE(u.dropped, 0)
		FROM hook_health h LEFT JOIN (SELECT hook_id, SUM(delivered) AS delivered, SUM(failed) AS failed, SUM(dropped) AS dropped
			FROM hook_usage WHERE account_id = $1 AND hour >= $2 GROUP BY hook_id) u ON u.hook_id = h.hook_id
		WHERE h.account_id = $1 ORDER BY h.hook_id DESC`, accountID, ts(since.Truncate(time.Hour)))
	if err != nil {
		return nil, err
	}
	var out []billbridge.HookState
	for rows.Next() {
		var s billbridge.HookState
		if err := rows.Scan(&s.ID, &s.TargetURL, timeCol{&s.CreatedAt}, nullTimeCol{&s.RemovedAt}, nullTimeCol{&s.LastSuccessAt},
			nullTimeCol{&s.LastFailureAt}, &s.ConsecutiveFailures, &s.Delivered, &s.Failed, &s.Dropped); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE hook_id = $1`, out[i].ID).Scan(&out[i].Pending); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hookOutcome records one attempt's outcome of hookID at now in its
// health row and hour counters: delivered resets the failures, failed
// counts one more, dropped deliveries are added to the hour's.
func hookOutcome(ctx context.Context, q querier, hookID string, now time.Time, delivered bool, dropped int64) error {
	var err error
	if delivered {
		_, err = q.ExecContext(ctx, `UPDATE hook_health SET last_success_at = $2, consecutive_failures = 0 WHERE hook_id = $1`, hookID, ts(now))
	} else {
		_, err = q.ExecContext(ctx, `UPDATE hook_health SET last_failure_at = $2, consecutive_failures = consecutive_failures + 1 WHERE hook_id = $1`, hookID, ts(now))
	}
	if err != nil {
		return dbError(fmt.Errorf("hook health: %w", err))
	}
	ok, failed := int64(0), int64(1)
	if delivered {
		ok, failed = 1, 0
	}
	_, err = q.ExecContext(ctx, `INSERT INTO hook_usage (hook_id, hour, account_id, delivered, failed, dropped)
		SELECT hook_id, $2, account_id, $3, $4, $5 FROM hook_health WHERE hook_id = $1
		ON CONFLICT (hook_id, hour) DO UPDATE SET delivered = hook_usage.delivered + excluded.delivered,
			failed = hook_usage.failed + excluded.failed, dropped = hook_usage.dropped + excluded.dropped`,
		hookID, ts(now.Truncate(time.Hour)), ok, failed, dropped)
	return dbError(err)
}
