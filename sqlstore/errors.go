package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"billbridge"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dbError wraps err so that races a retry may win match billbridge.ErrRetry:
// unique violations (a natural key taken meanwhile), serialization failures,
// deadlocks and, on SQLite, a busy database. Other errors pass unchanged.
func dbError(err error) error {
	if err == nil || !isRace(err) {
		return err
	}
	return fmt.Errorf("%w: %w", billbridge.ErrRetry, err)
}

// aborted reports whether PostgreSQL aborted the transaction for a
// deadlock or a serialization failure: whichever statement hit it, and
// whether or not its caller wrapped the error with dbError, running the
// transaction again is the only way on.
func aborted(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func isRace(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "40001", "40P01": // unique_violation, serialization_failure, deadlock_detected
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
			sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// notFound turns sql.ErrNoRows into ENOTFOUND for kind.
func notFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return billbridge.NotFound(kind)
	}
	return err
}
