package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"billbridge"
)

// maxMergeHops bounds how far findCustomer follows merged_into; merges keep
// every tombstone pointing at the final survivor, so one hop is the rule.
const maxMergeHops = 8

// findCustomer reads customer id, following a tombstone's merged_into to
// its survivor, and fills the survivor's MergedIDs. lock is "" or the
// dialect's FOR UPDATE: each row read is then held until the transaction
// ends, and on PostgreSQL a row a concurrent merge just tombstoned is read
// as it stands after that merge, so the survivor is found.
func (r reader) findCustomer(ctx context.Context, accountID, id, lock string) (*billbridge.Customer, error) {
	for hop := 0; hop < maxMergeHops; hop++ {
		var row customerRow
		var mergedInto string
		err := r.q.QueryRowContext(ctx, `SELECT `+customerColumns+`, merged_into FROM customers
			WHERE account_id = $1 AND id = $2`+lock, accountID, id).Scan(append(row.dest(), strCol{&mergedInto})...)
		if err != nil {
			return nil, notFound(err, "customer")
		}
		if mergedInto != "" {
			id = mergedInto
			continue
		}
		c, err := row.customer()
		if err != nil {
			return nil, err
		}
		if c.MergedIDs, err = r.mergedIDs(ctx, accountID, c.ID); err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, fmt.Errorf("sqlstore: customer %s: merged_into chain longer than %d", id, maxMergeHops)
}

// mergedIDs lists the ids of the customers merged into id.
func (r reader) mergedIDs(ctx context.Context, accountID, id string) ([]string, error) {
	return queryStrings(ctx, r.q, `SELECT id FROM customers WHERE account_id = $1 AND merged_into = $2 ORDER BY id`, accountID, id)
}

// FindCustomer returns ENOTFOUND when the customer does not exist in the
// account; a merged customer's id answers its survivor.
func (r reader) FindCustomer(ctx context.Context, accountID, id string) (*billbridge.Customer, error) {
	return r.findCustomer(ctx, accountID, id, "")
}

// LockCustomer is FindCustomer holding the rows it read until the
// transaction ends (SELECT … FOR UPDATE on PostgreSQL; on SQLite the
// transaction already holds the database's write lock).
func (tx *Tx) LockCustomer(ctx context.Context, accountID, id string) (*billbridge.Customer, error) {
	return tx.findCustomer(ctx, accountID, id, tx.d.forUpdate)
}

// FindAliasedCustomer returns the customer that a merged customer's natural
// key now reaches; ENOTFOUND if the key is no alias.
func (r reader) FindAliasedCustomer(ctx context.Context, accountID, key, value string) (*billbridge.Customer, error) {
	id, err := r.aliasOf(ctx, accountID, key, value)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, billbridge.NotFound("customer")
	}
	return r.FindCustomer(ctx, accountID, id)
}

// aliasOf returns the id of the customer that a merged customer's natural
// key now reaches, "" if the key is no alias (or value is empty).
func (r reader) aliasOf(ctx context.Context, accountID, key, value string) (string, error) {
	if key == billbridge.MatchedByEmail {
		value = billbridge.EmailKey(value)
	}
	if value == "" {
		return "", nil
	}
	var id string
	err := r.q.QueryRowContext(ctx, `SELECT customer_id FROM customer_aliases WHERE account_id = $1 AND key = $2 AND value = $3`,
		accountID, key, value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// FindMerge returns the merge that tombstoned mergedID; ENOTFOUND if none.
func (r reader) FindMerge(ctx context.Context, accountID, mergedID string) (*billbridge.Merge, error) {
	m := &billbridge.Merge{AccountID: accountID, MergedID: mergedID}
	err := r.q.QueryRowContext(ctx, `SELECT primary_id, invoices, payments, merged_at FROM customer_merges
		WHERE account_id = $1 AND merged_id = $2`, accountID, mergedID).Scan(&m.PrimaryID, &m.Moved.Invoices, &m.Moved.Payments, timeCol{&m.MergedAt})
	if err != nil {
		return nil, notFound(err, "merge")
	}
	return m, nil
}

// MergeCustomers moves m.MergedID's invoices and payments to m.PrimaryID
// (counting them into m.Moved), tombstones the merged customer (its natural
// keys cleared, its blocks and pairs forgotten, earlier tombstones and
// aliases re-pointed to the primary), stores aliases for the primary and
// records m. The caller holds both customers (LockCustomer).
func (tx *Tx) MergeCustomers(ctx context.Context, m *billbridge.Merge, aliases []billbridge.Alias) error {
	acct, dup, primary := m.AccountID, m.MergedID, m.PrimaryID
	moved := func(table string) (int, error) {
		q := `UPDATE ` + table + ` SET customer_id = $3 WHERE account_id = $1 AND customer_id = $2`
		if table == "invoices" && tx.d.forUpdate != "" {
			q = moveInvoicesInIDOrder
		}
		res, err := tx.tx.ExecContext(ctx, q, acct, dup, primary)
		if err != nil {
			return 0, dbError(err)
		}
		n, err := res.RowsAffected()
		return int(n), err
	}
	var err error
	if m.Moved.Invoices, err = moved("invoices"); err != nil {
		return err
	}
	if m.Moved.Payments, err = moved("payments"); err != nil {
		return err
	}
	if _, err = moved("reminders"); err != nil {
		return err
	}
	if _, err := tx.forgetDuplicates(ctx, acct, dup, nil); err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE customers SET merged_into = $3, external_id = NULL, customer_number = NULL, email_key = NULL
		WHERE account_id = $1 AND id = $2 AND merged_into IS NULL`, acct, dup, primary)
	if err := affected(res, dbError(err), "customer"); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE customers SET merged_into = $3 WHERE account_id = $1 AND merged_into = $2`,
		`UPDATE customer_aliases SET customer_id = $3 WHERE account_id = $1 AND customer_id = $2`,
	} {
		if _, err := tx.tx.ExecContext(ctx, q, acct, dup, primary); err != nil {
			return dbError(err)
		}
	}
	for _, a := range aliases {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO customer_aliases (account_id, key, value, customer_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id, key, value) DO UPDATE SET customer_id = excluded.customer_id`, acct, a.Key, a.Value, primary); err != nil {
			return dbError(err)
		}
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO customer_merges (account_id, merged_id, primary_id, invoices, payments, merged_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, acct, dup, primary, m.Moved.Invoices, m.Moved.Payments, ts(m.MergedAt))
	return dbError(err)
}

// moveInvoicesInIDOrder is the PostgreSQL statement that moves the
// duplicate's invoices ($2) to the primary ($3): it locks them in the order
// of their ids before it updates them, the order of every writer that locks
// several invoices (billbridge.LockInvoices). A plain UPDATE … WHERE
// customer_id locks them in the order its scan meets them (the heap's on a
// seq or bitmap scan), so a merge and a job batch over the same invoices
// could each hold one the other waits for: a deadlock, both rolled back.
// The locking subquery is never pulled up into the update, and its rows are
// locked as they leave the sort. SQLite has one writer and keeps the plain
// UPDATE.
const moveInvoicesInIDOrder = `WITH moving AS (
		SELECT id FROM invoices WHERE account_id = $1 AND customer_id = $2 ORDER BY id FOR UPDATE)
	UPDATE invoices SET customer_id = $3 FROM moving WHERE invoices.account_id = $1 AND invoices.id = moving.id`

// errMerged is the race of a write to a customer that a concurrent merge
// tombstoned: run again, and the merged id resolves to the survivor.
var errMerged = fmt.Errorf("%w: customer merged meanwhile", billbridge.ErrRetry)

// checkNotMerged turns a customer update that found no live row into
// errMerged when the row is a tombstone.
func (tx *Tx) checkNotMerged(ctx context.Context, accountID, id string, err error) error {
	if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
		return err
	}
	var n int
	if qerr := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE account_id = $1 AND id = $2 AND merged_into IS NOT NULL`,
		accountID, id).Scan(&n); qerr != nil {
		return errors.Join(err, qerr)
	}
	if n > 0 {
		return errMerged
	}
	return err
}
