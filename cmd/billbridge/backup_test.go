package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestoreCommands: backup writes a file from a database with an
// account, restore puts it into an empty database and refuses a non-empty
// one without --force.
func TestBackupRestoreCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := env(map[string]string{"BILLBRIDGE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "live.db")})
	other := env(map[string]string{"BILLBRIDGE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "other", "billbridge.db")})
	var out bytes.Buffer
	if err := run(ctx, []string{"accounts", "create", "--name", "Acme"}, live, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	file := filepath.Join(dir, "backups", "b.db")
	if err := run(ctx, []string{"backup"}, live, &out, &out); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("backup without --out: %v", err)
	}
	if err := run(ctx, []string{"backup", "--out", file}, live, &out, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"restore", "--from", file}, other, &out, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"restore", "--from", file}, other, &out, &out); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over accounts without --force: %v", err)
	}
	if err := run(ctx, []string{"restore", "--from", file, "--force"}, other, &out, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"restore", "--from", filepath.Join(dir, "missing")}, other, &out, &out); err == nil {
		t.Fatal("restore from a missing file succeeded")
	}
}
