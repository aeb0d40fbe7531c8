package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestScheduledBackups: a backup is written when the newest in the folder
// is BILLBRIDGE_BACKUP_INTERVAL old (at once when there is none), as a
// real SQLite backup of mode 0600; only the newest BILLBRIDGE_BACKUP_KEEP
// stay and other files are left alone; a failure shows in the status and
// the metrics while the age keeps counting from the last good one; a
// restart reads the newest backup's age from the folder.
func TestScheduledBackups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := env(map[string]string{"BILLBRIDGE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "live.db")})
	var out bytes.Buffer
	if err := run(ctx, []string{"accounts", "create", "--name", "Acme"}, live, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	cfg, err := LoadConfig(live)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	cfg.BackupDir, cfg.BackupInterval, cfg.BackupKeep = filepath.Join(dir, "backups"), 24*time.Hour, 3
	fail := false
	backup := func(ctx context.Context, path string) error {
		if fail {
			return errors.New("disk full")
		}
		return db.Backup(ctx, path)
	}
	s, err := newScheduledBackups(cfg, backup, logger)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	reg := prometheus.NewRegistry()
	s.register(reg)
	if err := os.WriteFile(filepath.Join(cfg.BackupDir, "keep-me.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if age, ok := s.Status(); age >= 0 || !ok {
		t.Fatalf("before the first backup: age %v ok %v, want none and ok", age, ok)
	}

	runOnce := func(want int) {
		t.Helper()
		if n, err := s.RunOnce(ctx); err != nil || n != want {
			t.Fatalf("RunOnce at %s: %d, %v; want %d", now, n, err, want)
		}
	}
	runOnce(1)
	files, _ := s.files()
	if len(files) != 1 || files[0] != "billbridge-20261201T020000Z.db" {
		t.Fatalf("files %v", files)
	}
	fi, err := os.Stat(filepath.Join(cfg.BackupDir, files[0]))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, fi.Mode())
	}
	head, _ := os.ReadFile(filepath.Join(cfg.BackupDir, files[0]))
	if !strings.HasPrefix(string(head), "SQLite format 3\x00") {
		t.Fatal("the backup is no SQLite database")
	}

	now = now.Add(23 * time.Hour)
	runOnce(0) // not due yet
	if got := metric(t, reg, "billbridge_backup_age_seconds"); got != 23*3600 {
		t.Errorf("billbridge_backup_age_seconds = %v, want %v", got, 23*3600)
	}
	for range 4 {
		now = now.Add(24 * time.Hour)
		runOnce(1)
	}
	files, _ = s.files()
	if len(files) != 3 || files[2] != "billbridge-20261206T010000Z.db" {
		t.Fatalf("after five backups with keep 3: %v", files)
	}
	if _, err := os.Stat(filepath.Join(cfg.BackupDir, "keep-me.txt")); err != nil {
		t.Errorf("pruning removed a file that is no backup: %v", err)
	}

	fail = true
	now = now.Add(25 * time.Hour)
	if _, err := s.RunOnce(ctx); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("a failing backup: %v", err)
	}
	if age, ok := s.Status(); ok || age != 25*time.Hour {
		t.Errorf("after a failure: age %v ok %v, want 25h and failed", age, ok)
	}
	if got := metric(t, reg, "billbridge_backup_last_success"); got != 0 {
		t.Errorf("billbridge_backup_last_success = %v after a failure", got)
	}
	fail = false
	runOnce(1)
	if got := metric(t, reg, "billbridge_backup_last_success"); got != 1 {
		t.Errorf("billbridge_backup_last_success = %v after a good backup", got)
	}

	// A restart: the newest file was written just now, so nothing is due.
	again, err := newScheduledBackups(cfg, backup, logger)
	if err != nil {
		t.Fatal(err)
	}
	if age, ok := again.Status(); age < 0 || age > time.Minute || !ok {
		t.Fatalf("after a restart: age %v ok %v, want the newest file's", age, ok)
	}
	if n, err := again.RunOnce(ctx); n != 0 || err != nil {
		t.Fatalf("a restart backed up again at once: %d, %v", n, err)
	}
}

// metric is the value of the gauge named name on reg.
func metric(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
