package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// CreateAccount stores a new account with the hash of its API key in one
// transaction. It fills in an empty ID, Timezone (the store's default) and
// CreatedAt. The key has no label and the prefix "bb_" (its hash tells no
// more); CreateAccountWithKey keeps both.
func (db *DB) CreateAccount(ctx context.Context, a *billbridge.Account, keyHash string) error {
	return db.CreateAccountWithKey(ctx, a, &billbridge.APIKey{Hash: keyHash, Prefix: billbridge.APIKeyPrefix})
}

// CreateAccountWithKey is CreateAccount with the account's first key
// (billbridge.NewAccountKey); an empty key ID, AccountID and CreatedAt are
// filled in.
func (db *DB) CreateAccountWithKey(ctx context.Context, a *billbridge.Account, k *billbridge.APIKey) error {
	if a.ID == "" {
		a.ID = billbridge.NewID(billbridge.PrefixAccount)
	}
	if a.Timezone == "" {
		a.Timezone = db.tz
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = db.clock.Now()
	}
	if k.ID == "" {
		k.ID = billbridge.NewID(billbridge.PrefixAPIKey)
	}
	k.AccountID = a.ID
	if k.CreatedAt.IsZero() {
		k.CreatedAt = a.CreatedAt
	}
	return db.inTx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO accounts (id, name, timezone, created_at) VALUES ($1, $2, $3, $4)`,
			a.ID, a.Name, a.Timezone, ts(a.CreatedAt)); err != nil {
			return dbError(fmt.Errorf("insert account: %w", err))
		}
		if err := insertAPIKey(ctx, q, k); err != nil {
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

// AccountByKeyHash returns the account owning the key; ENOTFOUND if none
// or the key expired (a rotated key after its grace period). A key found is
// answered from memory for the key cache's TTL (SetKeyCacheTTL), never past
// its own expiry; a revocation or rotation committed through this store, or
// announced by ForgetAPIKeys, is seen at once.
func (db *DB) AccountByKeyHash(ctx context.Context, keyHash string) (*billbridge.Account, error) {
	now := db.clock.Now()
	if a, ok := db.keys.get(keyHash, now); ok {
		return a, nil
	}
	gen := db.keys.generation()
	var a billbridge.Account
	var expires *time.Time
	err := db.read.QueryRowContext(ctx, `SELECT `+accountColumns+`, k.expires_at
		FROM api_keys k JOIN accounts a ON a.id = k.account_id
		WHERE k.hash = $1 AND (k.expires_at IS NULL OR k.expires_at > $2)`, keyHash, ts(now)).
		Scan(&a.ID, &a.Name, &a.Timezone, timeCol{&a.CreatedAt}, nullTimeCol{&expires})
	if err != nil {
		return nil, notFound(err, "account")
	}
	db.keys.put(keyHash, &a, expires, now, gen)
	return &a, nil
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

// OnlyAccount returns the store's account when it holds exactly one (the
// CLI's default); ENOTFOUND when it holds none, ECONFLICT when several.
func (db *DB) OnlyAccount(ctx context.Context) (*billbridge.Account, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a ORDER BY a.id LIMIT 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var accts []*billbridge.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		accts = append(accts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch len(accts) {
	case 0:
		return nil, billbridge.NotFound("account")
	case 1:
		return accts[0], nil
	}
	return nil, billbridge.Errorf(billbridge.ECONFLICT, "The store holds several accounts: name one.")
}
