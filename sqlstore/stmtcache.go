package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// sqliteDriver is the name of modernc's SQLite driver wrapped so that every
// connection keeps its prepared statements (stmtCacheConn). The driver
// prepares each query anew otherwise: parsing and planning cost more than
// running a keyed lookup (the API key's account, the account's event head),
// and a poll or a write makes several. PostgreSQL needs no such wrapper:
// pgx keeps each connection's prepared statements itself.
const sqliteDriver = "billbridge-sqlite"

func init() { sql.Register(sqliteDriver, stmtCacheDriver{&sqlite.Driver{}}) }

// stmtCacheMax bounds the statements one connection keeps: past it the
// least recently prepared one not in use is closed. Queries whose text
// varies (IN lists, LIMIT n) come and go; the fixed ones stay.
const stmtCacheMax = 200

type stmtCacheDriver struct{ driver.Driver }

func (d stmtCacheDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return &stmtCacheConn{Conn: c, stmts: map[string]*cachedStmt{}}, nil
}

// stmtCacheConn is a SQLite connection that runs its queries and writes
// through statements it prepared once (SELECT, INSERT, UPDATE, DELETE, WITH
// and the savepoint statements; anything else, such as VACUUM INTO or
// migrations, runs as before). A
// statement whose rows are still being read when the same query runs again
// on the connection (a nested read) is not shared: the second run prepares
// its own. database/sql uses a connection from one goroutine at a time.
type stmtCacheConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
	order []string // queries in the order they were prepared, for eviction
}

type cachedStmt struct {
	s    driver.Stmt
	busy bool // its rows are open
}

var (
	_ driver.QueryerContext     = (*stmtCacheConn)(nil)
	_ driver.ExecerContext      = (*stmtCacheConn)(nil)
	_ driver.ConnBeginTx        = (*stmtCacheConn)(nil)
	_ driver.ConnPrepareContext = (*stmtCacheConn)(nil)
	_ driver.SessionResetter    = (*stmtCacheConn)(nil)
	_ driver.Validator          = (*stmtCacheConn)(nil)
	_ driver.Pinger             = (*stmtCacheConn)(nil)
)

// cachedVerbs begin the statements a connection keeps: reads and writes,
// and the savepoint statements the writers of an isolated group commit
// run (groupcommit.go), parsed anew on each run otherwise.
var cachedVerbs = []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH ", "SAVEPOINT ", "RELEASE ", "ROLLBACK TO "}

// cacheable reports whether query is one statement worth keeping.
func cacheable(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	for _, v := range cachedVerbs {
		if len(q) > len(v) && strings.EqualFold(q[:len(v)], v) {
			return true
		}
	}
	return false
}

// stmt returns the connection's statement of query, prepared now when it
// has none; nil when the query is not cached or its statement is in use.
func (c *stmtCacheConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if cs := c.stmts[query]; cs != nil {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	if !cacheable(query) {
		return nil, nil
	}
	s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.order) >= stmtCacheMax {
		c.evict()
	}
	cs := &cachedStmt{s: s}
	c.stmts[query] = cs
	c.order = append(c.order, query)
	return cs, nil
}

// evict closes the oldest statement not in use.
func (c *stmtCacheConn) evict() {
	for i, q := range c.order {
		if cs := c.stmts[q]; !cs.busy {
			_ = cs.s.Close()
			delete(c.stmts, q)
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
}

func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := cs.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, stmt: cs}, nil
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return cs.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtCacheConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *stmtCacheConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *stmtCacheConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *stmtCacheConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *stmtCacheConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

// Close closes the kept statements, then the connection.
func (c *stmtCacheConn) Close() error {
	var errs []error
	for _, cs := range c.stmts {
		errs = append(errs, cs.s.Close())
	}
	c.stmts, c.order = nil, nil
	return errors.Join(append(errs, c.Conn.Close())...)
}

// cachedRows are the rows of a kept statement: closing them (which resets
// the statement) makes the statement free for the next run.
type cachedRows struct {
	driver.Rows
	stmt *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.stmt.busy = false
	return err
}
