package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/testenv"
)

// TestKeysCommand runs `billbridge keys` on each store the way an operator
// would: create prints the secret once, list shows the keys without it,
// rotate prints the successor and the rotated key's expiry, revoke refuses
// the account's last key that does not expire.
func TestKeysCommand(t *testing.T) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "billbridge.db") },
		"postgres": func(t *testing.T) string { return testenv.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			getenv := env(map[string]string{"BILLBRIDGE_DATABASE_URL": dsn(t), "BILLBRIDGE_LOG_LEVEL": "error", "BILLBRIDGE_KEY_ROTATION_GRACE": "2h"})
			cli := func(args ...string) (string, error) {
				var out bytes.Buffer
				err := run(context.Background(), args, getenv, &out, &out)
				return out.String(), err
			}
			if _, err := cli("keys", "list"); err == nil || !strings.Contains(err.Error(), "no account") {
				t.Fatalf("keys list on an empty store: %v", err)
			}
			out, err := cli("accounts", "create", "--name", "CLI AG")
			if err != nil {
				t.Fatal(err)
			}
			var acct map[string]string
			if err := json.Unmarshal([]byte(out), &acct); err != nil || acct["account_id"] == "" {
				t.Fatalf("accounts create: %q, %v", out, err)
			}
			out, err = cli("keys", "create", "--label", "Zapier")
			var created billbridge.APIKeyCreated
			if err != nil || json.Unmarshal([]byte(out), &created) != nil || created.Secret == "" || created.Label != "Zapier" {
				t.Fatalf("keys create: %q, %v", out, err)
			}
			out, err = cli("keys", "list", "--account", acct["account_id"])
			if err != nil || !strings.Contains(out, created.ID) || !strings.Contains(out, "first key") || strings.Contains(out, created.Secret) {
				t.Fatalf("keys list: %q, %v", out, err)
			}
			out, err = cli("keys", "rotate", created.ID)
			var rotated billbridge.APIKeyRotated
			if err != nil || json.Unmarshal([]byte(out), &rotated) != nil || rotated.Secret == "" || rotated.Rotated.ExpiresAt == nil ||
				rotated.Rotated.ExpiresAt.Sub(rotated.CreatedAt).Hours() != 2 {
				t.Fatalf("keys rotate: %q, %v", out, err)
			}
			firstID := strings.Fields(strings.Split(strings.TrimSpace(mustList(t, cli)), "\n")[3])[0]
			if _, err := cli("keys", "revoke", created.ID); err != nil {
				t.Fatalf("revoke the rotated key: %v", err)
			}
			if _, err := cli("keys", "revoke", rotated.ID); err != nil {
				t.Fatalf("revoke the successor: %v", err)
			}
			if _, err := cli("keys", "revoke", firstID); billbridge.ErrorCode(err) != billbridge.ECONFLICT {
				t.Fatalf("revoke the last key: %v, want %s", err, billbridge.ECONFLICT)
			}
			if _, err := cli("keys", "rotate"); err == nil {
				t.Errorf("keys rotate without an id succeeded")
			}
		})
	}
}

func mustList(t *testing.T, cli func(...string) (string, error)) string {
	t.Helper()
	out, err := cli("keys", "list")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
