//go:build unix

package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"modernc.org/sqlite"
)

// openWALHead maps the WAL-index of the SQLite file at path, opened with
// dsn, after pinning it with a connection of its own that has read the
// file (so SQLite has created and mapped its -shm file, and keeps it).
func openWALHead(dsn, path string) (*walHead, error) {
	pin, err := (&sqlite.Driver{}).Open(dsn)
	if err != nil {
		return nil, err
	}
	shm, err := readAndMap(pin, path+"-shm")
	if err != nil {
		return nil, errors.Join(err, pin.Close())
	}
	return &walHead{shm: shm, pin: pin, unmap: func() error { return syscall.Munmap(shm) }}, nil
}

// readAndMap runs a read on pin, then maps the two header copies at the
// start of the -shm file read-only.
func readAndMap(pin driver.Conn, shmPath string) ([]byte, error) {
	rows, err := pin.(driver.QueryerContext).QueryContext(context.Background(), `SELECT COUNT(*) FROM sqlite_schema`, nil)
	if err != nil {
		return nil, err
	}
	if err := rows.Next(make([]driver.Value, 1)); err != nil && err != io.EOF {
		return nil, errors.Join(err, rows.Close())
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	f, err := os.Open(shmPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if st.Size() < 2*walHeaderSize {
		return nil, fmt.Errorf("%s: %d bytes, not a WAL-index in use", shmPath, st.Size())
	}
	return syscall.Mmap(int(f.Fd()), 0, 2*walHeaderSize, syscall.PROT_READ, syscall.MAP_SHARED)
}
