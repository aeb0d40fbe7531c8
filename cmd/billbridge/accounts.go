package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// accounts handles `billbridge accounts create --name NAME`: it prints one
// JSON object {"account_id", "api_key"}; the key is shown only this once.
func accounts(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: billbridge accounts create --name NAME [--timezone ZONE]")
	}
	fs := flag.NewFlagSet("accounts create", flag.ContinueOnError)
	name := fs.String("name", "", "the account's name, e.g. \"Acme GmbH\"")
	tz := fs.String("timezone", cfg.Timezone, "the account's time zone")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *name == "" {
		return fmt.Errorf("accounts create: --name is required")
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		return fmt.Errorf("accounts create: --timezone %q is not a time zone", *tz)
	}
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, key, err := createAccount(ctx, db, *name, *tz)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]string{"account_id": acct.ID, "api_key": key})
}

// newAccount returns a new account named name in time zone tz, its first
// key (labelled "first key") and that key's secret; nothing is stored yet.
func newAccount(name, tz string) (*billbridge.Account, *billbridge.APIKey, string) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	acct := &billbridge.Account{ID: billbridge.NewID(billbridge.PrefixAccount), Name: name, Timezone: tz, CreatedAt: now}
	k, secret := billbridge.NewAccountKey(acct.ID, "first key", now)
	return acct, k, secret
}

// createAccount stores a new account with a new API key and returns the key.
func createAccount(ctx context.Context, db *sqlstore.DB, name, tz string) (*billbridge.Account, string, error) {
	acct, k, secret := newAccount(name, tz)
	if err := db.CreateAccountWithKey(ctx, acct, k); err != nil {
		return nil, "", err
	}
	return acct, secret, nil
}

// openStore opens the database and applies pending migrations.
func openStore(ctx context.Context, cfg Config, logger *slog.Logger) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL, cfg.Timezone, logger)
	if err != nil {
		return nil, fmt.Errorf("BILLBRIDGE_DATABASE_URL: %w", err)
	}
	if cfg.PageBytes > 0 {
		db.SetPageBytes(int(cfg.PageBytes))
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return db, nil
}
