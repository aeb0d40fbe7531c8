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
