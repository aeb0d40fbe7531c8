package sqlstore_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/sqlstore"
)

// TestAPIKeyMigrationKeepsOldKeys: a key stored before key management
// (version 6) still authenticates after the migration, and is listed with
// an id that sorts before every new key, no label and the prefix "bb_".
func TestAPIKeyMigrationKeepsOldKeys(t *testing.T) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "old.db") },
		"postgres": func(t *testing.T) string { return testenv.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, dsn(t), "Europe/Zurich", testLogger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			if err := db.MigrateTo(ctx, 6); err != nil {
				t.Fatalf("migrate to 6: %v", err)
			}
			key, hash := billbridge.NewAPIKey()
			for _, q := range []string{
				`INSERT INTO accounts (id, name, timezone, created_at) VALUES ('acct_1', 'Old AG', 'UTC', '2025-01-01T00:00:00.000000000Z')`,
				`INSERT INTO api_keys (hash, account_id, created_at) VALUES ('` + hash + `', 'acct_1', '2025-01-01T00:00:00.000000000Z')`,
			} {
				if err := db.Exec(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			if a, err := db.AccountByKeyHash(ctx, billbridge.HashAPIKey(key)); err != nil || a.ID != "acct_1" {
				t.Fatalf("old key after the migration: %v, %v", a, err)
			}
			if err := db.Atomic(ctx, func(tx billbridge.Tx) error {
				_, err := billbridge.CreateAPIKey(ctx, tx, "acct_1", "new", time.Now().UTC())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			page, err := db.FindAPIKeys(ctx, "acct_1", billbridge.PageParams{Limit: 10})
			if err != nil || len(page.Data) != 2 {
				t.Fatalf("keys %+v, %v", page, err)
			}
			old := page.Data[1]
			if !strings.HasPrefix(old.ID, "key_00") || len(old.ID) != len(page.Data[0].ID) || old.Label != "" || old.Prefix != "bb_" || old.Hash != hash {
				t.Errorf("migrated key %+v", old)
			}
		})
	}
}

// TestTouchAPIKeyNeverGoesBack: last_used_at keeps the latest time written,
// whatever order instances write in.
func TestTouchAPIKeyNeverGoesBack(t *testing.T) {
	for name, open := range map[string]opener{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			a := &billbridge.Account{Name: "Touch AG"}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			k, secret := billbridge.NewAccountKey("", "first", now)
			if err := db.CreateAccountWithKey(ctx, a, k); err != nil {
				t.Fatal(err)
			}
			for _, at := range []time.Time{now.Add(2 * time.Minute), now.Add(time.Minute)} {
				if err := db.TouchAPIKey(ctx, billbridge.HashAPIKey(secret), at); err != nil {
					t.Fatal(err)
				}
			}
			got, err := db.FindAPIKey(ctx, a.ID, k.ID)
			if err != nil || got.LastUsedAt == nil || !got.LastUsedAt.Equal(now.Add(2*time.Minute)) || got.Label != "first" || got.Prefix != secret[:11] {
				t.Errorf("key %+v, %v", got, err)
			}
		})
	}
}
