package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"testing"
)

// BenchmarkWriteStatement measures what one statement costs on the SQLite
// write connection inside an open transaction, by way of reaching it: a
// keyed UPDATE of one row through *sql.Tx (the kept statement of
// stmtCacheConn) with a context that cannot end and with one that can (a
// request's: modernc then starts a goroutine per statement to interrupt
// it), the same through the driver's statement directly (sql.Conn.Raw), a
// statement the cache does not keep (prepared on every run), and a
// SAVEPOINT/RELEASE pair as every writer of an isolated group commit runs.
//
//	go test -run '^$' -bench WriteStatement ./sqlstore/
func BenchmarkWriteStatement(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "w.db"), "UTC", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE t (n INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO t (n, v) VALUES (1, 0)`); err != nil {
		b.Fatal(err)
	}
	cancellable, cancel := context.WithCancel(ctx)
	defer cancel()
	inTx := func(b *testing.B, fn func(tx *sql.Tx)) {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer func() { _ = tx.Commit() }()
		b.ResetTimer()
		fn(tx)
	}
	run := func(name string, ctx context.Context, q string, args ...any) {
		b.Run(name, func(b *testing.B) {
			inTx(b, func(tx *sql.Tx) {
				for range b.N {
					if _, err := tx.ExecContext(ctx, q, args...); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
	run("tx/$n", ctx, `UPDATE t SET v = v + $2 WHERE n = $1`, 1, 1)
	run("tx/?", ctx, `UPDATE t SET v = v + ? WHERE n = ?`, 1, 1)
	run("tx/cancellable-ctx", cancellable, `UPDATE t SET v = v + $2 WHERE n = $1`, 1, 1)
	run("tx/select-1", ctx, `SELECT 1`)
	run("tx/not-kept", ctx, `REPLACE INTO t (n, v) VALUES ($1, $2)`, 1, 1)
	b.Run("tx/savepoint+release", func(b *testing.B) {
		inTx(b, func(tx *sql.Tx) {
			for range b.N {
				if _, err := tx.ExecContext(ctx, `SAVEPOINT grp`); err != nil {
					b.Fatal(err)
				}
				if _, err := tx.ExecContext(ctx, `RELEASE grp`); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("raw/$n", func(b *testing.B) {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
			b.Fatal(err)
		}
		defer func() { _, _ = conn.ExecContext(ctx, `COMMIT`) }()
		err = conn.Raw(func(dc any) error {
			c := dc.(*stmtCacheConn)
			cs, err := c.stmt(ctx, `UPDATE t SET v = v + $2 WHERE n = $1`)
			if err != nil {
				return err
			}
			args := []driver.NamedValue{{Ordinal: 1, Value: int64(1)}, {Ordinal: 2, Value: int64(1)}}
			b.ResetTimer()
			for range b.N {
				if _, err := cs.s.(driver.StmtExecContext).ExecContext(ctx, args); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	})
}
