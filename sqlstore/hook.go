package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"billbridge"
)

const hookColumns = `id, account_id, target_url, events, secret, created_at`

func scanHook(r rowScanner) (*billbridge.Hook, error) {
	var h billbridge.Hook
	var events string
	if err := r.Scan(&h.ID, &h.AccountID, &h.TargetURL, &events, &h.Secret, timeCol{&h.CreatedAt}); err != nil {
		return nil, notFound(err, "hook")
	}
	if err := json.Unmarshal([]byte(events), &h.Events); err != nil {
		return nil, fmt.Errorf("decode hook events: %w", err)
	}
	return &h, nil
}

// FindHook returns the hook; ENOTFOUND when it does not exist in the account.
func (r reader) FindHook(ctx context.Context, accountID, id string) (*billbridge.Hook, error) {
	return scanHook(r.q.QueryRowContext(ctx, `SELECT `+hookColumns+` FROM hooks WHERE account_id = $1 AND id = $2`, accountID, id))
}

// FindHooks pages through the account's hooks newest first, only those for
// f.TargetURL when set.
func (r reader) FindHooks(ctx context.Context, accountID string, f billbridge.HookFilter) (billbridge.Page[billbridge.Hook], error) {
	if err := checkCursor(ctx, r.q, "hooks", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Hook]{}, err
	}
	w := newWhere(accountID)
	if f.TargetURL != "" {
		w.add("target_url = ?", f.TargetURL)
	}
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+hookColumns+` FROM hooks WHERE `+w.sql()+
		` ORDER BY id DESC LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.Hook]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanHook)
}

// InsertHook stores a new hook, which gets the events appended after it:
// those above the account's event counter, read by taking its row. A
// transaction appending events holds that row until it commits, so the
// hook starts after those events, or the appending transaction waits for
// this one and then finds the hook (hookPending): no event is missed
// between the two. Subscribers of one account queue on the same row, so
// they cannot pass MaxHooks together (EINVALID). On PostgreSQL the account
// row is first share-locked as the hook's foreign key would lock it, so the
// counter row is the last lock taken, as in every other writer.
func (tx *Tx) InsertHook(ctx context.Context, h *billbridge.Hook) error {
	events, err := json.Marshal(h.Events)
	if err != nil {
		return err
	}
	if tx.d.keyShare != "" {
		if _, err := tx.tx.ExecContext(ctx, `SELECT id FROM accounts WHERE id = $1`+tx.d.keyShare, h.AccountID); err != nil {
			return dbError(err)
		}
	}
	afterSeq, err := tx.bumpCounter(ctx, h.AccountID, "event", 0)
	if err != nil {
		return err
	}
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM hooks WHERE account_id = $1`, h.AccountID).Scan(&n); err != nil {
		return dbError(err)
	}
	if n >= billbridge.MaxHooks {
		return billbridge.Errorf(billbridge.EINVALID, "The account has %d hooks, the most it may have; delete one before subscribing another.", billbridge.MaxHooks)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO hooks (`+hookColumns+`, after_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		h.ID, h.AccountID, h.TargetURL, string(events), h.Secret, ts(h.CreatedAt), afterSeq)
	if err != nil {
		return dbError(err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO hook_health (hook_id, account_id, target_url, created_at) VALUES ($1, $2, $3, $4)`,
		h.ID, h.AccountID, h.TargetURL, ts(h.CreatedAt))
	return dbError(err)
}

// DeleteHook removes a hook and its pending deliveries; nil when already gone.
func (tx *Tx) DeleteHook(ctx context.Context, accountID, id string) error {
	return deleteHook(ctx, tx.tx, accountID, id)
}

// HookGone deletes a hook whose receiver answered 410, with its deliveries;
// nil when already gone. Its health row stays, marked removed, with the 410
// counted as a failed attempt and the deliveries it held as dropped, and
// the account's hook_removed alert fires.
func (db *DB) HookGone(ctx context.Context, hookID string) error {
	return db.once(ctx, func(btx billbridge.Tx) error {
		tx := btx.(*Tx)
		q := tx.tx
		res, err := q.ExecContext(ctx, `DELETE FROM deliveries WHERE hook_id = $1`, hookID)
		if err != nil {
			return dbError(err)
		}
		dropped, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if res, err = q.ExecContext(ctx, `DELETE FROM hooks WHERE id = $1`, hookID); err != nil {
			return dbError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		now := db.clock.Now()
		if _, err := q.ExecContext(ctx, `UPDATE hook_health SET removed_at = $2 WHERE hook_id = $1`, hookID, ts(now)); err != nil {
			return dbError(err)
		}
		if err := hookOutcome(ctx, q, hookID, now, false, dropped); err != nil {
			return err
		}
		return hookAlert(ctx, tx, billbridge.AlertHookRemoved, hookID, now, func(url string) string {
			return fmt.Sprintf("%s answered 410 Gone: the hook was removed with the %d deliveries it held. Subscribe again if the receiver still wants events.", url, dropped)
		})
	})
}

func deleteHook(ctx context.Context, q querier, accountID, id string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM deliveries WHERE account_id = $1 AND hook_id = $2`, accountID, id); err != nil {
		return dbError(err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM hook_usage WHERE account_id = $1 AND hook_id = $2`, accountID, id); err != nil {
		return dbError(err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM hook_health WHERE account_id = $1 AND hook_id = $2`, accountID, id); err != nil {
		return dbError(err)
	}
	_, err := q.ExecContext(ctx, `DELETE FROM hooks WHERE account_id = $1 AND id = $2`, accountID, id)
	return dbError(err)
}
