package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"billbridge/sqlstore"
)

// backup handles `billbridge backup --out FILE`: a consistent copy of the
// database while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump
// -Fc), mode 0600.
func backup(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "the backup file to write (replaced if it exists)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("usage: billbridge backup --out FILE")
	}
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backup written to", *out)
	return nil
}

// restore handles `billbridge restore --from FILE [--force]`: the backup
// replaces the database, which must hold no accounts unless --force. Stop
// the server first.
func restore(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	from := fs.String("from", "", "the backup file, written by billbridge backup")
	force := fs.Bool("force", false, "replace a database that holds accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("usage: billbridge restore --from FILE [--force]")
	}
	if err := sqlstore.Restore(ctx, cfg.DatabaseURL, *from, *force); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "restored from", *from)
	return nil
}
