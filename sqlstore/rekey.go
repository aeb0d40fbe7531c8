package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"billbridge"
)

// rekeyBatch is how many customers one rekey transaction brings up to date.
const rekeyBatch = 100

// rekey brings the customers keyed by an older billbridge.KeysVersion up to
// date: name and email keys, blocks and duplicate pairs, rekeyBatch per
// transaction. An email key that now equals another customer's stays as it
// was (the two are then listed as possible duplicates by name or domain, and
// a merge can join them). Several processes may rekey at once: each row is
// rewritten to the same values.
func (db *DB) rekey(ctx context.Context) error {
	total := 0
	for {
		n := 0
		err := db.Atomic(ctx, func(btx billbridge.Tx) error {
			tx := btx.(*Tx)
			rows, err := tx.tx.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers
				WHERE keys_version < $1 AND merged_into IS NULL ORDER BY account_id, id LIMIT `+fmt.Sprint(rekeyBatch), billbridge.KeysVersion)
			if err != nil {
				return err
			}
			var stale []*billbridge.Customer
			for rows.Next() {
				c, err := scanCustomer(rows)
				if err != nil {
					rows.Close()
					return err
				}
				stale = append(stale, c)
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
			for _, c := range stale {
				if err := tx.rekeyCustomer(ctx, c); err != nil {
					return err
				}
			}
			n = len(stale)
			return nil
		})
		if err != nil {
			return err
		}
		total += n
		if n < rekeyBatch {
			if total > 0 {
				db.logger.InfoContext(ctx, "customers rekeyed", "count", total, "keys_version", billbridge.KeysVersion)
			}
			return nil
		}
	}
}

// rekeyCustomer rewrites one customer's derived keys and its duplicates.
func (tx *Tx) rekeyCustomer(ctx context.Context, c *billbridge.Customer) error {
	emailKey := strOrNil(billbridge.EmailKey(c.Email))
	if emailKey != nil {
		var other string
		err := tx.tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE account_id = $1 AND email_key = $2 AND id <> $3`,
			c.AccountID, emailKey, c.ID).Scan(&other)
		switch {
		case err == nil:
			emailKey = nil // taken: keep the stored key
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	var err error
	if emailKey == nil {
		_, err = tx.tx.ExecContext(ctx, `UPDATE customers SET name_key = $3, keys_version = $4 WHERE account_id = $1 AND id = $2`,
			c.AccountID, c.ID, billbridge.NameKey(c.Name), billbridge.KeysVersion)
	} else {
		_, err = tx.tx.ExecContext(ctx, `UPDATE customers SET name_key = $3, email_key = $4, keys_version = $5 WHERE account_id = $1 AND id = $2`,
			c.AccountID, c.ID, billbridge.NameKey(c.Name), emailKey, billbridge.KeysVersion)
	}
	if err != nil {
		return dbError(err)
	}
	return tx.refreshDuplicates(ctx, c, false)
}
