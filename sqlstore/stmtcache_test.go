package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// The kept statements answer like fresh ones: the same query nested inside
// its own open rows, more distinct queries than the cache keeps, a write
// between reads, and a statement that fails leaves the next run intact.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open(sqliteDriver, "file:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: every query meets the same cache
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (n, s) VALUES ($1, $2)`, i, fmt.Sprint("s", i)); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT n FROM t WHERE n >= $1 ORDER BY n`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for outer.Next() {
		var a int
		if err := outer.Scan(&a); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q, a) // the same text while outer is open
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			var b int
			if err := inner.Scan(&b); err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, fmt.Sprint(a, b))
		}
		inner.Close()
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pairs); got != "[1 1 1 2 1 3 2 2 2 3 3 3]" {
		t.Errorf("nested reads: %s", got)
	}

	// More distinct queries than the cache keeps, each answering right.
	for i := range stmtCacheMax + 20 {
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) + %d FROM t`, i)).Scan(&n); err != nil || n != 3+i {
			t.Fatalf("query %d: %d %v", i, n, err)
		}
	}
	// A failed write (unique violation) leaves the statement usable.
	const ins = `INSERT INTO t (n, s) VALUES ($1, $2)`
	if _, err := db.ExecContext(ctx, ins, 1, "again"); err == nil {
		t.Fatal("duplicate key inserted")
	}
	if _, err := db.ExecContext(ctx, ins, 4, "s4"); err != nil {
		t.Fatal(err)
	}
	var s string
	if err := db.QueryRowContext(ctx, `SELECT s FROM t WHERE n = $1`, 4).Scan(&s); err != nil || s != "s4" {
		t.Fatalf("read after write: %q %v", s, err)
	}
}

// The savepoint statements of the group commit are kept, and a kept
// SAVEPOINT, ROLLBACK TO and RELEASE undo and keep what they should each
// time they run.
func TestStmtCacheSavepoints(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open(sqliteDriver, "file:"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for n := 1; n <= 6; n++ {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT grp`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (n) VALUES ($1)`, n); err != nil {
			t.Fatal(err)
		}
		if n%2 == 0 { // the even ones fail
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO grp`); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE grp`); err != nil {
			t.Fatal(err)
		}
	}
	var got string
	if err := tx.QueryRowContext(ctx, `SELECT group_concat(n) FROM (SELECT n FROM t ORDER BY n)`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "1,3,5" {
		t.Errorf("rows %s, want 1,3,5", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.Raw(func(dc any) error {
		for _, q := range []string{`SAVEPOINT grp`, `ROLLBACK TO grp`, `RELEASE grp`} {
			if dc.(*stmtCacheConn).stmts[q] == nil {
				t.Errorf("%s not kept", q)
			}
		}
		return nil
	})
}
