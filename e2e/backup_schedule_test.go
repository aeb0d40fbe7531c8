package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"billbridge/internal/testenv"
)

// TestScheduledBackupReported: with BILLBRIDGE_BACKUP_DIR the gateway
// writes a backup at start (the folder is empty), mode 0600, and /readyz
// and /metrics report its result and age.
func TestScheduledBackupReported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	g := startGateway(t, "BILLBRIDGE_DATABASE_URL=sqlite:"+filepath.Join(dir, "b.db"), "BILLBRIDGE_BACKUP_DIR="+backups,
		"BILLBRIDGE_BACKUP_INTERVAL=24h", "BILLBRIDGE_BACKUP_KEEP=2")
	var files []os.DirEntry
	testenv.WaitFor(t, 30*time.Second, "a scheduled backup", func() bool {
		files, _ = os.ReadDir(backups)
		return len(files) == 1 && strings.HasSuffix(files[0].Name(), ".db")
	})
	if fi, err := files[0].Info(); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup %s: %v mode %v, want 0600", files[0].Name(), err, fi.Mode())
	}
	r, err := do(g.URL, "GET", "/readyz", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ready map[string]any
	if err := json.Unmarshal(r.body, &ready); err != nil || r.status != 200 || ready["backup"] != "ok" {
		t.Fatalf("/readyz %d %s, want backup ok", r.status, r.body)
	}
	if age, ok := ready["backup_age_seconds"].(float64); !ok || age < 0 || age > 60 {
		t.Errorf("/readyz backup_age_seconds %v", ready["backup_age_seconds"])
	}
	if v := metricSum(t, g.URL, "billbridge_backup_last_success"); v != 1 {
		t.Errorf("billbridge_backup_last_success = %v, want 1", v)
	}
	if v := metricSum(t, g.URL, "billbridge_job_runs_total", `job="backup"`, `result="ok"`); v < 1 {
		t.Errorf(`billbridge_job_runs_total{job="backup",result="ok"} = %v`, v)
	}
}
