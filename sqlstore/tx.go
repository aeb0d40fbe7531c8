package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"billbridge"
)

// maxAttempts bounds how often Atomic runs fn when it keeps losing races.
const maxAttempts = 8

// Tx is one transaction of the store; it implements billbridge.Tx.
type Tx struct {
	reader
	tx       querier             // the transaction (on SQLite detached from the writer's context, see detached)
	wake     bool                // events pending fan-out or deliveries queued: the commit calls DB.OnEvents' function
	events   []*billbridge.Event // appended, not yet written (flushEvents)
	keysOf   []string            // accounts whose keys were revoked or expired: the commit forgets them
	counters map[counterKey]*counter
	inserted map[string]int // rows inserted per table (grew): a large insert is analyzed after the commit
	written  writtenPairs   // the pairs the last customer write stored (duplicates.go)
	shared   *groupReads    // on SQLite, what the writers of the group's transaction have read (groupcommit.go)
}

// counterKey names one counter of one account.
type counterKey struct{ accountID, name string }

// counter is a counter this transaction bumped: value handed out last,
// stored the value its row holds in this transaction.
type counter struct{ value, stored int64 }

var _ billbridge.Tx = (*Tx)(nil)

// newTx is a Tx writing and reading through q, one transaction of db.
func (db *DB) newTx(q querier) *Tx {
	return &Tx{reader: reader{q: q, d: db.d, clock: db.clock, pageBytes: db.pageBytes}, tx: q}
}

// Atomic runs fn in one transaction and commits when fn returns nil. When
// the attempt fails with an error matching billbridge.ErrRetry (a unique
// violation, serialization failure, deadlock or busy database), or
// PostgreSQL aborted it for a deadlock or a serialization failure however
// the statement that hit it reported the error, it rolls back and runs fn
// again after a short jittered pause, up to 8 times in all, and then
// returns the last error. On SQLite transactions begin IMMEDIATE on the
// single write connection, so writers run one after the other, and
// writers that arrive together share one transaction and one commit
// (groupcommit.go): Atomic returns nil only once the commit is on disk, and
// a failed fn is rolled back alone. fn must therefore write through tx only
// (a write through db from inside fn would wait for the connection fn
// holds), while reads through db go to the read pool and see only
// committed data.
func (db *DB) Atomic(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = db.once(ctx, fn)
		if err == nil || !(errors.Is(err, billbridge.ErrRetry) || aborted(err)) || ctx.Err() != nil {
			return err
		}
		db.logger.DebugContext(ctx, "transaction lost a race, retrying", "attempt", attempt, "err", err)
		pause := time.Duration(attempt)*2*time.Millisecond + rand.N(5*time.Millisecond)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
	return err
}

// once runs fn once in a write transaction: on SQLite in the group
// commit's next transaction (groupcommit.go), so the store's own writes
// (expanding events into deliveries, claiming them) share the fsync of the
// writers around them instead of adding one each; on PostgreSQL in a
// transaction of its own.
func (db *DB) once(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	if db.d.name == liteDialect.name {
		return db.atomicGroup(ctx, fn)
	}
	return db.attempt(ctx, fn)
}

// attempt runs fn once in a transaction of its own.
func (db *DB) attempt(ctx context.Context, fn func(tx billbridge.Tx) error) error {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return dbError(fmt.Errorf("begin: %w", err))
	}
	tx := db.newTx(stx)
	err = fn(tx)
	if err == nil {
		err = tx.finish(ctx)
	}
	if err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return dbError(fmt.Errorf("commit: %w", err))
	}
	db.afterCommit(tx.wake, tx.keysOf)
	db.analyzeGrown(ctx, tx.inserted)
	return nil
}

// afterCommit tells what a commit changed: the key cache forgets the
// accounts whose keys were revoked or expired (and OnAPIKeysChanged's
// function hears of them), and OnEvents' function runs when wake is set
// (events pending fan-out, deliveries queued).
func (db *DB) afterCommit(wake bool, keysOf []string) {
	if len(keysOf) > 0 {
		db.keys.forget(keysOf...)
		if f := db.onKeys.Load(); f != nil {
			(*f)(keysOf)
		}
	}
	if f := db.onEvents.Load(); wake && f != nil {
		(*f)()
	}
}

// inTx runs fn once in a write transaction without retrying, for the
// store's own multi-statement writes (delivery claims, hook removal).
func (db *DB) inTx(ctx context.Context, fn func(q querier) error) error {
	return db.once(ctx, func(tx billbridge.Tx) error { return fn(tx.(*Tx).tx) })
}

// nextCounter bumps the account's counter name and returns its new value.
// The counter row stays locked until the transaction ends: a concurrent
// transaction asking for the same counter waits for this one to commit (and
// then gets the next value) or to roll back (and then gets this value again),
// so the numbers are gapless and handed out in commit order.
func (tx *Tx) nextCounter(ctx context.Context, accountID, name string) (int64, error) {
	return tx.bumpCounter(ctx, accountID, name, 1)
}

// bumpCounter adds n to the account's counter name and returns its new
// value: the last of the n numbers it hands out (see nextCounter).
//
// Only the first bump of a transaction writes the row (and so locks it);
// later ones count in the transaction and the commit stores the last value
// (storeCounters). On PostgreSQL every update of a row in one transaction
// leaves a version that the next update must step over until the
// transaction ends, so a long transaction (an import of 50,000 customers,
// two bumps a row) would pay for each bump more than for the one before.
func (tx *Tx) bumpCounter(ctx context.Context, accountID, name string, n int64) (int64, error) {
	return tx.bumpCounterReturning(ctx, accountID, name, n, "")
}

// bumpCounterReturning is bumpCounter that, when it writes the row, scans
// the expressions of also (a list starting with a comma, "" for none) into
// dest from the same statement: a value read right after taking the row
// then costs no statement of its own. When this transaction took the row
// before, nothing is written and dest is left alone.
func (tx *Tx) bumpCounterReturning(ctx context.Context, accountID, name string, n int64, also string, dest ...any) (int64, error) {
	k := counterKey{accountID, name}
	if c := tx.counters[k]; c != nil {
		c.value += n
		return c.value, nil
	}
	var v int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO counters (account_id, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, name) DO UPDATE SET value = counters.value + $3
		RETURNING value`+also, accountID, name, n).Scan(append([]any{&v}, dest...)...)
	if err != nil {
		return 0, dbError(fmt.Errorf("counter %s: %w", name, err))
	}
	if tx.counters == nil {
		tx.counters = map[counterKey]*counter{}
	}
	tx.counters[k] = &counter{value: v, stored: v}
	return v, nil
}

// finish does what fn left to the end of the transaction: it writes the
// appended events and then the counters' last values.
func (tx *Tx) finish(ctx context.Context) error {
	if err := tx.flushEvents(ctx); err != nil {
		return err
	}
	return tx.storeCounters(ctx)
}

// storeCounters writes the last value of each counter bumped more than once
// in the transaction; the transaction already holds their rows.
func (tx *Tx) storeCounters(ctx context.Context) error {
	for k, c := range tx.counters {
		if c.value == c.stored {
			continue
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE counters SET value = $3 WHERE account_id = $1 AND name = $2`,
			k.accountID, k.name, c.value); err != nil {
			return dbError(fmt.Errorf("counter %s: %w", k.name, err))
		}
		c.stored = c.value
	}
	return nil
}

// NextInvoiceNumber returns the account's next invoice number, 1, 2, 3…
// without gaps (see nextCounter).
func (tx *Tx) NextInvoiceNumber(ctx context.Context, accountID string) (int64, error) {
	return tx.nextCounter(ctx, accountID, "invoice")
}
