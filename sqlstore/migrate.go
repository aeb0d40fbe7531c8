package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one sequence of versions, written once per dialect
// (migrations/postgres and migrations/sqlite carry the same version numbers).
//
//go:embed migrations
var migrations embed.FS

// Migrate applies the pending migrations, then rekeys the customers keyed
// by an older billbridge.KeysVersion. On PostgreSQL it holds a session
// advisory lock meanwhile, so several processes starting at once migrate
// one after the other; on SQLite the single write connection serializes
// them within a process.
func (db *DB) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations/"+db.d.name)
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	gd := goose.DialectSQLite3
	if db.d.name == pgDialect.name {
		gd = goose.DialectPostgres
		// Retry the lock every second for up to ten minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db.write, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		db.logger.InfoContext(ctx, "migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	return db.rekey(ctx)
}
