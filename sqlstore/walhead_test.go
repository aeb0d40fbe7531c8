//go:build unix

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"billbridge"
)

// openWALTest opens and migrates a SQLite store on path.
func openWALTest(t *testing.T, path string) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+path, "Europe/Zurich", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// appendWALTestEvent commits one event of the account through db.
func appendWALTestEvent(db *DB, accountID string) error {
	return db.Atomic(context.Background(), func(tx billbridge.Tx) error {
		_, err := tx.AppendEvent(context.Background(), accountID, billbridge.CustomerCreated, map[string]string{"n": "1"})
		return err
	})
}

// TestWALHeadSeesEveryCommit: the head is answered from memory between
// commits (no query), and the first read after a commit returns the new
// head, whoever committed: this store, a second store on the file, a
// plain SQLite connection of its own, or another process.
func TestWALHeadSeesEveryCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "head.db")
	db := openWALTest(t, path)
	if db.head == nil {
		t.Fatal("no WAL-index mapped on a SQLite store")
	}
	a := &billbridge.Account{Name: "Head AG"}
	if err := db.CreateAccount(ctx, a, billbridge.HashAPIKey("head")); err != nil {
		t.Fatal(err)
	}
	queries := 0
	latest := func() int64 {
		t.Helper()
		seq, err := db.head.latest(a.ID, func() (int64, error) {
			queries++
			return db.reader.LatestEventSeq(ctx, a.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if public, err := db.LatestEventSeq(ctx, a.ID); err != nil || public != seq {
			t.Fatalf("LatestEventSeq = %d, %v; the head read %d", public, err, seq)
		}
		return seq
	}
	if seq := latest(); seq != 0 || queries != 1 {
		t.Fatalf("first read: head %d after %d queries", seq, queries)
	}
	if seq := latest(); seq != 0 || queries != 1 {
		t.Fatalf("read again without a commit: head %d after %d queries, want it held", seq, queries)
	}

	other := openWALTest(t, path)
	plain, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	commits := []struct {
		name   string
		commit func() error
	}{
		{"this store", func() error { return appendWALTestEvent(db, a.ID) }},
		{"a second store on the file", func() error { return appendWALTestEvent(other, a.ID) }},
		{"another process", func() error { return appendInProcess(t, path, a.ID) }},
		{"a plain connection", func() error { // last: it leaves the event counter behind
			_, err := plain.Exec(`INSERT INTO events (account_id, seq, id, type, occurred_at, data)
				SELECT $1, MAX(seq) + 1, $2, 'customer.created', '2026-01-01T00:00:00Z', '{}' FROM events WHERE account_id = $1`,
				a.ID, billbridge.NewID(billbridge.PrefixEvent))
			return err
		}},
	}
	for i, c := range commits {
		if err := c.commit(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		before := queries
		if seq := latest(); seq != int64(i+1) || queries != before+1 {
			t.Fatalf("after a commit by %s: head %d (want %d) after %d queries (want 1)", c.name, seq, i+1, queries-before)
		}
		if seq := latest(); seq != int64(i+1) || queries != before+1 {
			t.Fatalf("read again after %s's commit: head %d after %d queries, want it held", c.name, seq, queries-before)
		}
	}
}

// appendInProcess commits one event of the account to the SQLite file at
// path from a new process (this test binary, which TestMain turns into
// that process when WALHEAD_TEST_DB is set).
func appendInProcess(t *testing.T, path, accountID string) error {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WALHEAD_TEST_DB="+path, "WALHEAD_TEST_ACCOUNT="+accountID)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("other process: %s", out)
	}
	return err
}

// TestMain runs the tests, or, with WALHEAD_TEST_DB set, is the other
// process of TestWALHeadSeesEveryCommit: it commits one event of
// WALHEAD_TEST_ACCOUNT to that SQLite file and exits.
func TestMain(m *testing.M) {
	path := os.Getenv("WALHEAD_TEST_DB")
	if path == "" {
		os.Exit(m.Run())
	}
	if err := appendFromOtherProcess(path, os.Getenv("WALHEAD_TEST_ACCOUNT")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// appendFromOtherProcess opens the store at path and commits one event of
// the account.
func appendFromOtherProcess(path, accountID string) error {
	db, err := Open(context.Background(), "sqlite:"+path, "Europe/Zurich", nil)
	if err != nil {
		return err
	}
	return errors.Join(appendWALTestEvent(db, accountID), db.Close())
}

// TestWALHeaderRefused: a header whose copies differ (a commit writing
// it), whose checksum fails or that is not initialized is never used, and
// neither is a mapping that faults.
func TestWALHeaderRefused(t *testing.T) {
	db := openWALTest(t, filepath.Join(t.TempDir(), "hdr.db"))
	live, ok := db.head.header()
	if !ok {
		t.Fatal("the live header is refused")
	}
	for name, edit := range map[string]func(b []byte){
		"as read":                    func(b []byte) {},
		"second copy differs":        func(b []byte) { b[walHeaderSize+16]++ },
		"first copy differs":         func(b []byte) { b[16]++ },
		"checksum fails in both":     func(b []byte) { b[16]++; b[walHeaderSize+16]++ },
		"not initialized (isInit 0)": func(b []byte) { b[12], b[walHeaderSize+12] = 0, 0 },
	} {
		b := make([]byte, 2*walHeaderSize)
		copy(b, live[:])
		copy(b[walHeaderSize:], live[:])
		edit(b)
		if _, ok := (&walHead{shm: b}).header(); ok != (name == "as read") {
			t.Errorf("%s: header taken %v", name, ok)
		}
	}

	// A mapping of a file cut short faults on read: no header, no crash.
	f, err := os.Create(filepath.Join(t.TempDir(), "cut-shm"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(4096); err != nil {
		t.Fatal(err)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, 2*walHeaderSize, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	w := &walHead{shm: m}
	if _, ok := w.header(); ok {
		t.Fatal("a header read from a faulting mapping")
	}
	if seq, err := w.latest("acct", func() (int64, error) { return 42, nil }); err != nil || seq != 42 {
		t.Fatalf("latest on a faulting mapping = %d, %v; want the query's 42", seq, err)
	}
}
