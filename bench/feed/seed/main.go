// Command seed fills a fresh billbridge PostgreSQL database with accounts,
// API keys and events for the feed benchmark, fast: migrations through
// sqlstore, then COPY. It writes the API keys, one a line, to -keys.
//
//	seed -dsn postgres://…/bbbench -accounts 1000 -events 1000 -keys keys.txt
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"billbridge"
	"billbridge/sqlstore"

	"github.com/jackc/pgx/v5"
)

func main() {
	dsn := flag.String("dsn", "", "PostgreSQL URL of an empty database")
	accounts := flag.Int("accounts", 1000, "accounts to make")
	perAccount := flag.Int("events", 1000, "events per account")
	keysFile := flag.String("keys", "keys.txt", "where to write the API keys")
	flag.Parse()
	if err := seed(context.Background(), *dsn, *accounts, *perAccount, *keysFile); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func seed(ctx context.Context, dsn string, accounts, perAccount int, keysFile string) error {
	start := time.Now()
	db, err := sqlstore.Open(ctx, dsn, "Europe/Zurich", slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)

	now := time.Now().UTC().Truncate(time.Millisecond)
	var accts, keys, counters [][]any
	var keyLines []string
	ids := make([]string, accounts)
	for i := range accounts {
		ids[i] = billbridge.NewID(billbridge.PrefixAccount)
		key, hash := billbridge.NewAPIKey()
		keyLines = append(keyLines, key)
		accts = append(accts, []any{ids[i], fmt.Sprintf("Bench %d AG", i), "Europe/Zurich", now})
		keys = append(keys, []any{hash, ids[i], now})
		counters = append(counters, []any{ids[i], "event", int64(perAccount)})
	}
	for _, t := range []struct {
		name string
		cols []string
		rows [][]any
	}{
		{"accounts", []string{"id", "name", "timezone", "created_at"}, accts},
		{"api_keys", []string{"hash", "account_id", "created_at"}, keys},
		{"counters", []string{"account_id", "name", "value"}, counters},
	} {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
	}
	// Events: every account gets perAccount events of the eight types in turn.
	total := accounts * perAccount
	n := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if n == total {
			return nil, nil
		}
		a, seq := n/perAccount, int64(n%perAccount+1)
		n++
		typ := billbridge.EventTypes[int(seq)%len(billbridge.EventTypes)]
		at := now.Add(time.Duration(seq-int64(perAccount)) * time.Second)
		data := fmt.Sprintf(`{"id":"cus_%026d","kind":"company","name":"Customer %d AG","email":"c%d@example.ch","created_at":%q}`, seq, seq, seq, at.Format(time.RFC3339Nano))
		return []any{ids[a], seq, billbridge.NewID(billbridge.PrefixEvent), typ, at, data}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"account_id", "seq", "id", "type", "occurred_at", "data"}, src); err != nil {
		return fmt.Errorf("copy events: %w", err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		return err
	}
	if err := os.WriteFile(keysFile, []byte(strings.Join(keyLines, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Printf("seeded %d accounts and %d events in %v\n", accounts, total, time.Since(start).Round(time.Millisecond))
	return nil
}
