package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database to path (mode 0600: it
// holds key hashes and customer data) while the store keeps serving. On
// SQLite it is VACUUM INTO through a read connection: a snapshot of what had
// committed when it began, written beside path and renamed into place, so
// path never holds half a copy. On PostgreSQL it runs pg_dump -Fc (the
// client must be installed and its major version at least the server's).
// An existing file at path is replaced.
func (db *DB) Backup(ctx context.Context, path string) error {
	name, err := tempBeside(path, 0o700)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.Remove(name)
		}
	}()
	if db.d.name == "postgres" {
		err = pgDump(ctx, db.dsn, name)
	} else {
		_, err = db.read.ExecContext(ctx, `VACUUM INTO $1`, name)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(name); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	return nil
}

// tempBeside creates an empty file of mode 0600 in path's folder (made
// with dirMode if missing), to be renamed to path once written.
func tempBeside(path string, dirMode os.FileMode) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// copyFile copies the file from into the existing file dst.
func copyFile(dst, from string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// Restore replaces the database at dsn by the backup file from, which
// Backup wrote. It refuses a database that holds accounts unless force is
// set. Stop every server using the database first. On SQLite the backup
// must pass PRAGMA integrity_check; it is copied beside the database file
// and renamed over it. On PostgreSQL pg_restore loads it in one
// transaction (--clean, so a migrated empty database is fine).
func Restore(ctx context.Context, dsn, from string, force bool) error {
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !force {
		n, err := countAccounts(ctx, dsn)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("restore: the database holds %d accounts; restore into an empty database, or pass --force to replace it", n)
		}
	}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return restoreSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), from)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return pgRestore(ctx, dsn, from)
	}
	return errors.New("restore: the database URL names neither SQLite (sqlite:PATH) nor PostgreSQL (postgres://...)")
}

// countAccounts returns how many accounts the database at dsn holds: 0
// when it does not exist yet or was never migrated.
func countAccounts(ctx context.Context, dsn string) (int, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if st, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || err == nil && st.Size() == 0 {
			return 0, nil
		}
	}
	db, err := Open(ctx, dsn, "UTC", nil)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var tables int
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'accounts'`
	if db.d.name == "postgres" {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'accounts'`
	}
	if err := db.write.QueryRowContext(ctx, q).Scan(&tables); err != nil || tables == 0 {
		return 0, err
	}
	return db.CountAccounts(ctx)
}

// restoreSQLite checks the backup and puts a copy of it in place of path.
func restoreSQLite(ctx context.Context, path, from string) error {
	if err := integrityCheck(ctx, from); err != nil {
		return err
	}
	name, err := tempBeside(path, 0o750)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(name)
	if err := copyFile(name, from); err != nil {
		return fmt.Errorf("restore: copy %s: %w", from, err)
	}
	if err := syncFile(name); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// integrityCheck runs PRAGMA integrity_check on the SQLite file at path.
func integrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Opaque: path}).String()+"?mode=ro")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("restore: %s is not an SQLite backup: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("restore: %s fails PRAGMA integrity_check: %s", path, res)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check on an SQLite file: nil when it
// answers ok.
func IntegrityCheck(ctx context.Context, path string) error { return integrityCheck(ctx, path) }

// pgDump writes the database at dsn to file in pg_dump's custom format.
func pgDump(ctx context.Context, dsn, file string) error {
	return pgTool(ctx, "pg_dump", dsn, "--format=custom", "--no-owner", "--file="+file)
}

// pgRestore loads file, written by pg_dump -Fc, into the database at dsn.
func pgRestore(ctx context.Context, dsn, file string) error {
	return pgTool(ctx, "pg_restore", dsn, "--clean", "--if-exists", "--no-owner", "--single-transaction", file)
}

// pgTool runs a PostgreSQL client program on dsn. The password goes in
// PGPASSWORD, never on the command line other processes can read.
func pgTool(ctx context.Context, tool, dsn string, args ...string) error {
	bin, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%s is not installed (Debian: apt install postgresql-client; its major version must be at least the server's)", tool)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return errors.New("the database URL does not parse")
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, strings.TrimSpace(string(out)))
	}
	return nil
}
