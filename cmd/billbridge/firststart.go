package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"billbridge/sqlstore"
)

// firstStart creates an account on an empty store and hands out its key
// once, so a newcomer can call the API at once. With
// BILLBRIDGE_ADMIN_KEY_FILE set (any store) the key is written to that file,
// mode 0600, and only the file's name is printed: nothing secret reaches the
// console or the journal. Without it only an embedded store gets an account,
// and its key is printed.
func firstStart(ctx context.Context, cfg Config, db *sqlstore.DB, stdout io.Writer) error {
	if !cfg.Embedded() && cfg.AdminKeyFile == "" {
		return nil
	}
	n, err := db.CountAccounts(ctx)
	if err != nil || n > 0 {
		return err
	}
	acct, k, secret := newAccount("My business", cfg.Timezone)
	if cfg.AdminKeyFile != "" {
		// The file first: an account whose only key was lost would need SQL.
		if err := writeKeyFile(cfg.AdminKeyFile, secret); err != nil {
			return fmt.Errorf("BILLBRIDGE_ADMIN_KEY_FILE: %w", err)
		}
	}
	if err := db.CreateAccountWithKey(ctx, acct, k); err != nil {
		return err
	}
	if cfg.AdminKeyFile != "" {
		fmt.Fprintf(stdout, "billbridge: created account %s on this new database.\nIts API key is in %s (mode 0600).\n\n", acct.ID, cfg.AdminKeyFile)
		return nil
	}
	fmt.Fprintf(stdout, "billbridge: created account %s on this new database.\nYour API key (shown only this once):\n\n    %s\n\n", acct.ID, secret)
	return nil
}

// writeKeyFile writes key and a newline to path, readable by its owner
// only, replacing what was there.
func writeKeyFile(path, key string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil { // the file may have existed with wider rights
		f.Close()
		return err
	}
	if _, err := fmt.Fprintln(f, key); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
