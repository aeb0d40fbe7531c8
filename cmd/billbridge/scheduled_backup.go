package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// backupPrefix starts the name of every scheduled backup file; pruning
// touches no other file in the folder.
const backupPrefix = "billbridge-"

// scheduledBackups writes a backup into dir whenever the newest one there
// is interval old (so a restart neither skips nor doubles one), keeps the
// newest keep files, and reports the last backup's age and result.
type scheduledBackups struct {
	dir      string
	interval time.Duration
	keep     int
	ext      string // ".db" (SQLite) or ".dump" (pg_dump -Fc)
	backup   func(ctx context.Context, path string) error
	now      func() time.Time
	logger   *slog.Logger

	mu         sync.Mutex
	lastOK     time.Time // the newest good backup's time; zero when none
	lastFailed bool      // whether the last attempt failed
}

// newScheduledBackups prepares dir (mode 0700) and reads the newest backup
// already there, so the age is right from the start.
func newScheduledBackups(cfg Config, backup func(context.Context, string) error, logger *slog.Logger) (*scheduledBackups, error) {
	if err := os.MkdirAll(cfg.BackupDir, 0o700); err != nil {
		return nil, fmt.Errorf("BILLBRIDGE_BACKUP_DIR: %w", err)
	}
	s := &scheduledBackups{dir: cfg.BackupDir, interval: cfg.BackupInterval, keep: cfg.BackupKeep, ext: ".dump",
		backup: backup, now: time.Now, logger: logger}
	if cfg.Embedded() {
		s.ext = ".db"
	}
	files, err := s.files()
	if err != nil {
		return nil, fmt.Errorf("BILLBRIDGE_BACKUP_DIR: %w", err)
	}
	if len(files) > 0 {
		if fi, err := os.Stat(filepath.Join(s.dir, files[len(files)-1])); err == nil {
			s.lastOK = fi.ModTime()
		}
	}
	return s, nil
}

// files lists the scheduled backups in dir, oldest first (their names
// sort by time).
func (s *scheduledBackups) files() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), backupPrefix) && strings.HasSuffix(e.Name(), s.ext) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// RunOnce writes a backup when the newest is interval old or there is
// none, then removes all but the newest keep; it returns how many it wrote.
func (s *scheduledBackups) RunOnce(ctx context.Context) (int, error) {
	now := s.now()
	s.mu.Lock()
	due := s.lastOK.IsZero() || now.Sub(s.lastOK) >= s.interval
	s.mu.Unlock()
	if !due {
		return 0, nil
	}
	path := filepath.Join(s.dir, backupPrefix+now.UTC().Format("20060102T150405Z")+s.ext)
	err := s.backup(ctx, path)
	s.mu.Lock()
	s.lastFailed = err != nil
	if err == nil {
		s.lastOK = now
	}
	s.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("scheduled backup %s: %w", path, err)
	}
	s.logger.Info("backup written", "file", path)
	return 1, s.prune()
}

// prune removes the oldest scheduled backups beyond keep.
func (s *scheduledBackups) prune() error {
	files, err := s.files()
	if err != nil {
		return err
	}
	for len(files) > s.keep {
		if err := os.Remove(filepath.Join(s.dir, files[0])); err != nil {
			return err
		}
		files = files[1:]
	}
	return nil
}

// Status is the last backup's age (-1 when there is none yet) and whether
// the last attempt succeeded.
func (s *scheduledBackups) Status() (age time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	age = -1
	if !s.lastOK.IsZero() {
		age = s.now().Sub(s.lastOK)
	}
	return age, !s.lastFailed
}

// register exposes billbridge_backup_age_seconds (-1 before the first
// backup) and billbridge_backup_last_success (1 when the last attempt
// succeeded, 0 when it failed) on reg.
func (s *scheduledBackups) register(reg prometheus.Registerer) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "billbridge_backup_age_seconds",
			Help: "Seconds since the newest scheduled backup was written; -1 before the first."},
			func() float64 {
				age, _ := s.Status()
				if age < 0 {
					return -1
				}
				return age.Seconds()
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "billbridge_backup_last_success",
			Help: "1 when the last scheduled backup succeeded, 0 when it failed."},
			func() float64 {
				if _, ok := s.Status(); ok {
					return 1
				}
				return 0
			}),
	)
}
