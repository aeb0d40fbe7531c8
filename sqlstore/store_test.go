package sqlstore_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// opener opens a fresh, migrated, empty store for one test.
type opener func(t testing.TB) *sqlstore.DB

func testLogger() *slog.Logger {
	if os.Getenv("SQLSTORE_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func mustOpen(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, "Europe/Zurich", testLogger())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func openSQLite(t testing.TB) *sqlstore.DB {
	return mustOpen(t, "sqlite:"+filepath.Join(t.TempDir(), "sub", "billbridge.db"))
}

func openPostgres(t testing.TB) *sqlstore.DB {
	return mustOpen(t, testenv.PostgresURL(t))
}

func TestSQLite(t *testing.T)   { runConformance(t, openSQLite) }
func TestPostgres(t *testing.T) { runConformance(t, openPostgres) }

// TestPostgresEventRowTakenAtTheEnd: see testEventRowTakenAtTheEnd; SQLite
// has no second writer to let through.
func TestPostgresEventRowTakenAtTheEnd(t *testing.T) {
	testEventRowTakenAtTheEnd(t, openPostgres(t))
}

// TestPostgresConcurrentMigrate starts three processes' worth of stores on
// one empty database at once: the advisory lock lets each Migrate finish
// without tripping over the others.
func TestPostgresConcurrentMigrate(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.PostgresURL(t)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			db, err := sqlstore.Open(ctx, dsn, "UTC", testLogger())
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			errs <- db.Migrate(ctx)
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Migrate: %v", err)
		}
	}
	db := mustOpen(t, dsn)
	if n, err := db.CountAccounts(ctx); err != nil || n != 0 {
		t.Fatalf("after concurrent migrations: %d accounts, %v", n, err)
	}
}

// TestOpenRejectsUnknownURL checks that a URL of no known database is refused.
func TestOpenRejectsUnknownURL(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "", "sqlite:"} {
		if db, err := sqlstore.Open(context.Background(), dsn, "UTC", nil); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

// TestSQLitePragmas checks the settings every SQLite connection needs: WAL
// for reads beside the writer, synchronous=FULL so an acknowledged write
// survives kill -9 and power loss, foreign keys, a busy timeout, and the
// writer's journals of savepoints in memory.
func TestSQLitePragmas(t *testing.T) {
	db := openSQLite(t)
	for name, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"} {
		w, r, err := db.Pragmas(context.Background(), name)
		if err != nil || w != want || r != want {
			t.Errorf("PRAGMA %s = %q (write), %q (read), %v; want %q", name, w, r, err, want)
		}
	}
	// The writer keeps its savepoint journals in memory (writeCache): the
	// group commit's savepoints cost no temporary-file writes.
	if w, _, err := db.Pragmas(context.Background(), "temp_store"); err != nil || w != "2" {
		t.Errorf("PRAGMA temp_store = %q (write), %v; want 2 (memory)", w, err)
	}
}
