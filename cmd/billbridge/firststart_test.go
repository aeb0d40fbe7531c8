package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
)

// TestFirstStartWritesAdminKeyFile: with BILLBRIDGE_ADMIN_KEY_FILE the first
// start on an empty store (embedded or PostgreSQL) writes the first key to
// the file, mode 0600 even over an existing wider file, prints only the
// file's name, and a second start leaves file and store alone.
func TestFirstStartWritesAdminKeyFile(t *testing.T) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "billbridge.db") },
		"postgres": func(t *testing.T) string { return testenv.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			file := filepath.Join(t.TempDir(), "admin-key")
			if err := os.WriteFile(file, []byte("stale\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadConfig(env(map[string]string{"BILLBRIDGE_DATABASE_URL": dsn(t), "BILLBRIDGE_ADMIN_KEY_FILE": file}))
			if err != nil {
				t.Fatal(err)
			}
			db, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var out bytes.Buffer
			if err := firstStart(ctx, cfg, db, &out); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			key := strings.TrimSpace(string(raw))
			if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
			}
			acct, err := db.AccountByKeyHash(ctx, billbridge.HashAPIKey(key))
			if err != nil || !strings.HasPrefix(key, billbridge.APIKeyPrefix) {
				t.Fatalf("the key in the file (%d chars) does not authenticate: %v", len(key), err)
			}
			if strings.Contains(out.String(), key) || !strings.Contains(out.String(), file) || !strings.Contains(out.String(), acct.ID) {
				t.Errorf("first start printed %q", out.String())
			}
			out.Reset()
			if err := firstStart(ctx, cfg, db, &out); err != nil || out.Len() != 0 {
				t.Fatalf("second start: %q, %v", out.String(), err)
			}
			if again, _ := os.ReadFile(file); string(again) != string(raw) {
				t.Errorf("a second start rewrote the key file")
			}
			if n, _ := db.CountAccounts(ctx); n != 1 {
				t.Errorf("%d accounts after two starts, want 1", n)
			}
		})
	}
}

// TestFirstStartWithoutKeyFile: PostgreSQL gets no account without the
// file (several instances start at once there: accounts are made with
// `billbridge accounts create`); the embedded store prints the key.
func TestFirstStartWithoutKeyFile(t *testing.T) {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, dsn := range []string{testenv.PostgresURL(t), "sqlite:" + filepath.Join(t.TempDir(), "billbridge.db")} {
		cfg, err := LoadConfig(env(map[string]string{"BILLBRIDGE_DATABASE_URL": dsn}))
		if err != nil {
			t.Fatal(err)
		}
		db, err := openStore(ctx, cfg, logger)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := firstStart(ctx, cfg, db, &out); err != nil {
			t.Fatal(err)
		}
		n, _ := db.CountAccounts(ctx)
		db.Close()
		if cfg.Embedded() != (n == 1) || cfg.Embedded() != strings.Contains(out.String(), "API key (shown only this once)") {
			t.Errorf("%s: %d accounts, printed %q", dsn[:6], n, out.String())
		}
	}
}
