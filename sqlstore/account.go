package sqlstore

import (
	"context"
	"fmt"

	"billbridge"
)

// CreateAccount stores a new account with the hash of its API key in one
// transaction. It fills in an empty ID, Timezone (the store's default) and
// CreatedAt.
func (db *DB) CreateAccount(ctx context.Context, a *billbridge.Account, keyHash string) error {
	if a.ID == "" {
		a.ID = billbridge.NewID(billbridge.PrefixAccount)
	}
	if a.Timezone == "" {
		a.Timezone = db.tz
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = db.clock.Now()
	}
	return db.inTx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO accounts (id, name, timezone, created_at) VALUES ($1, $2, $3, $4)`,
			a.ID, a.Name, a.Timezone, ts(a.CreatedAt)); err != nil {
			return dbError(fmt.Errorf("insert account: %w", err))
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO api_keys (hash, account_id, created_at) VALUES ($1, $2, $3)`,
			keyHash, a.ID, ts(a.CreatedAt)); err != nil {
			return dbError(fmt.Errorf("insert api key: %w", err))
		}
		return nil
	})
}

const accountColumns = `a.id, a.name, a.timezone, a.created_at`

func scanAccount(r rowScanner) (*billbridge.Account, error) {
	var a billbridge.Account
	if err := r.Scan(&a.ID, &a.Name, &a.Timezone, timeCol{&a.CreatedAt}); err != nil {
		return nil, notFound(err, "account")
	}
	return &a, nil
}

// AccountByKeyHash returns the account owning the key; ENOTFOUND if none.
func (db *DB) AccountByKeyHash(ctx context.Context, keyHash string) (*billbridge.Account, error) {
	return scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = $1`, keyHash))
}

// FindAccount returns an account by id; ENOTFOUND if none.
func (db *DB) FindAccount(ctx context.Context, id string) (*billbridge.Account, error) {
	return scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`, id))
}

// CountAccounts returns how many accounts exist.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n)
	return n, err
}
