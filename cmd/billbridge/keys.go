package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"billbridge"
	"billbridge/sqlstore"
)

// keysUsage is the synopsis of `billbridge keys`.
const keysUsage = `usage: billbridge keys list   [--account ID]
       billbridge keys create --label LABEL [--account ID]
       billbridge keys rotate [--account ID] [--grace 24h] KEY_ID
       billbridge keys revoke [--account ID] KEY_ID
--account may be left out when the store holds one account`

// keys handles `billbridge keys list|create|rotate|revoke` on the
// configured store, with the rules of /v1/api-keys: create and rotate print
// the new key once (JSON with "secret"), a rotated key keeps working for
// --grace (BILLBRIDGE_KEY_ROTATION_GRACE), and the account's last key that
// does not expire cannot be revoked.
func keys(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	account := fs.String("account", "", "the account's id (default: the store's only account)")
	label := fs.String("label", "", "the new key's label, e.g. Zapier")
	grace := fs.Duration("grace", cfg.KeyRotationGrace, "how long the rotated key keeps working")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("keys %s: %w\n%s", sub, err, keysUsage)
	}
	var id string
	switch sub {
	case "list":
	case "create":
		if *label == "" {
			return errors.New("keys create: --label is required")
		}
	case "rotate", "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("keys %s: name one key id\n%s", sub, keysUsage)
		}
		id = fs.Arg(0)
		if *grace <= 0 {
			return fmt.Errorf("keys rotate: --grace %s is not a positive duration", *grace)
		}
	default:
		return fmt.Errorf("keys: unknown command %q\n%s", sub, keysUsage)
	}
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, err := keysAccount(ctx, db, *account)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	switch sub {
	case "list":
		return listKeys(ctx, db, acct.ID, stdout)
	case "revoke":
		if err := db.Atomic(ctx, func(tx billbridge.Tx) error { return tx.DeleteAPIKey(ctx, acct.ID, id) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", id)
		return nil
	}
	var out any
	err = db.Atomic(ctx, func(tx billbridge.Tx) error {
		var err error
		if sub == "create" {
			out, err = billbridge.CreateAPIKey(ctx, tx, acct.ID, *label, now)
		} else {
			out, err = billbridge.RotateAPIKey(ctx, tx, acct.ID, id, now, *grace)
		}
		return err
	})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// keysAccount returns the account named by id, or the store's only account
// when id is empty.
func keysAccount(ctx context.Context, db *sqlstore.DB, id string) (*billbridge.Account, error) {
	if id != "" {
		return db.FindAccount(ctx, id)
	}
	acct, err := db.OnlyAccount(ctx)
	switch billbridge.ErrorCode(err) {
	case billbridge.ENOTFOUND:
		return nil, errors.New("keys: the store holds no account yet (billbridge accounts create --name NAME)")
	case billbridge.ECONFLICT:
		return nil, errors.New("keys: the store holds several accounts: name one with --account ID")
	}
	return acct, err
}

// listKeys prints the account's working keys as a table, newest first.
func listKeys(ctx context.Context, db *sqlstore.DB, accountID string, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLABEL\tPREFIX\tCREATED\tLAST USED\tEXPIRES")
	p := billbridge.PageParams{Limit: 100}
	for {
		page, err := db.FindAPIKeys(ctx, accountID, p)
		if err != nil {
			return err
		}
		for _, k := range page.Data {
			fmt.Fprintf(tw, "%s\t%s\t%s…\t%s\t%s\t%s\n", k.ID, k.Label, k.Prefix, stamp(&k.CreatedAt), stamp(k.LastUsedAt), stamp(k.ExpiresAt))
		}
		if !page.HasMore {
			return tw.Flush()
		}
		p.StartingAfter = page.Data[len(page.Data)-1].ID
	}
}

// stamp renders an optional time for the key table, "-" when unset.
func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}
