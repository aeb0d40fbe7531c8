// Package sqlstore implements billbridge.Store on SQLite (the embedded
// default, pure Go through modernc.org/sqlite) and on PostgreSQL (pgx through
// database/sql). Both dialects run the same SQL text with $n placeholders;
// the few differences (row locks, column types) live in dialect and in the
// per-dialect migration files.
//
// Every query is scoped by account_id. Lists are newest first by id (ULIDs
// sort by creation time) with keyset pagination: each list is backed by an
// index starting with account_id and ending with id, so page 1,000 costs what
// page 1 costs.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"billbridge"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// dialect holds what differs between the two databases at run time.
type dialect struct {
	name       string // "postgres" or "sqlite"
	forUpdate  string // row lock clause for SELECT; empty on SQLite, whose writers are serialized
	keyShare   string // the row lock a foreign key check takes of the row it references
	skipLocked string // lock clause of the delivery claim
}

var (
	pgDialect   = dialect{name: "postgres", forUpdate: " FOR UPDATE", keyShare: " FOR KEY SHARE", skipLocked: " FOR UPDATE SKIP LOCKED"}
	liteDialect = dialect{name: "sqlite"}
)

// indexedBy is SQLite's INDEXED BY index clause for a table in FROM (the
// statement fails if the index is missing; PostgreSQL, whose planner
// prices with statistics, gets nothing): for the few queries whose
// SQLite plan, chosen without statistics, reads the wrong index.
func (d dialect) indexedBy(index string) string {
	if d.name == "sqlite" {
		return " INDEXED BY " + index
	}
	return ""
}

// DB is a billbridge.Store on SQLite or PostgreSQL.
type DB struct {
	reader
	write  *sql.DB // writes; on SQLite a single connection that begins IMMEDIATE transactions
	read   *sql.DB // reads outside transactions; the same pool as write on PostgreSQL
	d      dialect
	dsn    string // PostgreSQL's URL, for pg_dump
	logger *slog.Logger
	tz     string
	// onEvents is called after each commit that appended events pending
	// fan-out or queued deliveries.
	onEvents atomic.Pointer[func()]
	// keys answers AccountByKeyHash from memory (keycache.go); onKeys is
	// called after each commit that revoked or expired keys.
	keys   keyCache
	onKeys atomic.Pointer[func([]string)]
	// group batches SQLite's writers into one commit (groupcommit.go).
	group group
	// head answers LatestEventSeq from memory between SQLite commits
	// (walhead.go); nil on PostgreSQL, or when the -shm file cannot be mapped.
	head *walHead
}

var _ billbridge.Store = (*DB)(nil)

// Open connects to the database named by dsn without migrating it:
// "postgres://…" or "postgresql://…" selects PostgreSQL, "sqlite:path.db"
// (absolute or relative) selects SQLite, creating the file's folder.
// defaultTimezone is given to accounts created without a time zone.
func Open(ctx context.Context, dsn string, defaultTimezone string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	db := &DB{logger: logger, tz: defaultTimezone, keys: keyCache{ttl: DefaultKeyCacheTTL}}
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db.d, db.dsn = pgDialect, dsn
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// Every statement is planned for its arguments and the tables as
		// they are now. A generic plan, which PostgreSQL keeps for a cached
		// statement after five runs, is made once: made while an import
		// had written its first rows, it read a customer by email through
		// the wrong index to the end of a 50,000-row import (each row
		// slower than the one before), and made for a small account it
		// would serve a large one. A URL that sets plan_cache_mode wins.
		if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
			cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		}
		db.write = stdlib.OpenDB(*cfg)
		db.write.SetMaxOpenConns(20)
		db.write.SetMaxIdleConns(20)
		db.read = db.write
	case strings.HasPrefix(dsn, "sqlite:"):
		db.d = liteDialect
		if err := db.openSQLite(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("database URL must start with postgres://, postgresql:// or sqlite")
	}
	db.reader = reader{q: db.read, d: db.d, pageBytes: billbridge.DefaultPageBytes}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// sqlitePragmas make every SQLite connection durable (synchronous=FULL: what
// was acknowledged survives kill -9 and power loss), wait for locks instead
// of failing at once, and enforce foreign keys.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=journal_mode(WAL)"

// syncOnce switches SQLite's commits to fdatasync once per process.
var syncOnce sync.Once

// writeCache lets the one write connection keep up to 16 MiB of pages
// (SQLite's default is 2 MiB). A large write transaction, such as an
// import of 50,000 invoices, touches more pages than 2 MiB: SQLite then
// spills them to the WAL and reads them back with a system call each time
// a later statement of the same transaction needs them again, which made
// such imports slow down as they grew. The cache is the write
// connection's alone (readers keep the default), and it fills as writes
// touch pages and then stays full for the life of the process: it is part
// of the server's steady memory. modernc's allocator gives each cached
// page (4 KiB plus SQLite's header) an 8 KiB slot, outside Go's heap, so
// 16 MiB of pages take about 32 MiB; 64 MiB took about 128 MiB, the bulk
// of the growth bench/soak saw. Import of 50,000 invoices (go test -bench
// ImportInvoices/sqlite ./routes/): 2 MiB 1,101 and 1,335 rows/s, 16 MiB
// 1,834 and 1,589, 64 MiB 1,612 and 2,169 (load average 9-13).
//
// temp_store=MEMORY keeps the write connection's savepoint and statement
// journals in memory. A writer of a group commit that runs in a savepoint
// (groupcommit.go: after a writer of its group failed) makes SQLite copy
// each page the savepoint first changes into that journal so the savepoint
// can roll back alone; past 64 KiB the
// journal spilled to a temporary file, three write(2) calls per page, a
// quarter of an upsert's CPU under bench/peer's load. These journals only
// undo changes inside an open transaction and are never read after a crash:
// a commit is made durable by the WAL and its fsync alone (synchronous=FULL),
// as before. The memory is held while the savepoint is open: the original
// pages one writer changes, freed when it is released.
const writeCache = "_pragma=cache_size(-16384)&_pragma=temp_store(MEMORY)"

// openSQLite opens two pools on one file: one connection for writes, whose
// transactions begin IMMEDIATE so writers queue instead of deadlocking, and
// several for concurrent reads (WAL lets them run beside the writer).
func (db *DB) openSQLite(path string) error {
	if path == "" {
		return errors.New("sqlite: database URL names no file")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("sqlite: create folder: %w", err)
		}
	}
	// Commits sync with fdatasync(2), as SQLite's own Linux builds do: the
	// data and the size needed to read it back reach the disk, only the
	// file's timestamps do not; modernc's transpiled library keeps fsync,
	// which on ext4 also waits for the timestamp's journal write.
	syncOnce.Do(func() { _, _ = sqlite.Fdatasync(true) })
	u := url.URL{Scheme: "file", Opaque: path}
	base := u.String() + "?" + sqlitePragmas
	var err error
	if db.write, err = sql.Open(sqliteDriver, base+"&_txlock=immediate&"+writeCache); err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	// The write connection is opened first so WAL mode is set before readers come.
	if err := db.write.Ping(); err != nil {
		_ = db.write.Close()
		return fmt.Errorf("open sqlite: %w", err)
	}
	if db.read, err = sql.Open(sqliteDriver, base); err != nil {
		_ = db.write.Close()
		return fmt.Errorf("open sqlite: %w", err)
	}
	db.read.SetMaxOpenConns(4)
	db.read.SetMaxIdleConns(4)
	if db.head, err = openWALHead(base, path); err != nil {
		db.logger.Warn("sqlite: event heads are read from the database on every poll", "err", err)
	}
	return nil
}

// SetClock makes the store tell the time by c (when events occur, accounts
// are created and idempotency records expire) instead of the system clock.
// Call it before using the store.
func (db *DB) SetClock(c billbridge.Clock) { db.reader.clock = c }

// SetPageBytes bounds the JSON of the items of one list page to n bytes
// (billbridge.DefaultPageBytes unless set; n <= 0 removes the bound): a
// page stops early, with HasMore, before the item that would pass it, and
// always holds at least one item. Call it before using the store.
func (db *DB) SetPageBytes(n int) { db.reader.pageBytes = n }

// OnEvents makes the store call f after every commit of a transaction that
// appended events to an account with hooks or queued deliveries again (the
// delivery dispatcher's Wake, so hook deliveries start at once rather than
// at its next poll); nil stops it. f must not block.
func (db *DB) OnEvents(f func()) {
	if f == nil {
		db.onEvents.Store(nil)
		return
	}
	db.onEvents.Store(&f)
}

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return db.d.name }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return nil
}

// Close releases the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.head != nil {
		err = errors.Join(err, db.head.close())
	}
	return err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements billbridge.Reader on a pool or a transaction.
type reader struct {
	q     querier
	d     dialect
	clock billbridge.Clock
	// pageBytes bounds the JSON of a list page's items (see collect).
	pageBytes int
}

// pageLimit returns the page size asked for, 25 when unset.
func pageLimit(n int) int {
	if n <= 0 {
		return 25
	}
	return n
}
