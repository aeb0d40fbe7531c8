package sqlstore

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"unsafe"
)

// LatestEventSeq returns the account's highest committed Seq, 0 when none.
// On SQLite it is answered from memory while SQLite's own commit marker,
// the WAL-index header in the -shm file, shows no commit since the Seq was
// read (walHead); otherwise, and on PostgreSQL, it is read from the
// database. Either way it reflects every commit that returned before the
// call, whichever connection or process made it.
func (db *DB) LatestEventSeq(ctx context.Context, accountID string) (int64, error) {
	if db.head == nil {
		return db.reader.LatestEventSeq(ctx, accountID)
	}
	return db.head.latest(accountID, func() (int64, error) { return db.reader.LatestEventSeq(ctx, accountID) })
}

// walHeaderSize is the size of one copy of SQLite's WAL-index header; the
// -shm file begins with two copies of it (sqlite.org/walformat.html).
const walHeaderSize = 48

// walHeadMax bounds the accounts whose head is held; past it the memory
// starts afresh.
const walHeadMax = 10_000

// walHead holds accounts' event heads as read under one WAL-index header.
//
// Every SQLite commit in WAL mode, by any connection of any process, ends
// by writing a new WAL-index header into the -shm file, which all of them
// map (the header's frame count, salts or checksums change with every
// commit), before the commit returns. A head read from the database after
// the header was seen is therefore still the head while the header is
// byte for byte the one seen: no commit came between. Any other header, a
// header torn by a commit under way (its two copies differ, or its
// checksum fails) or a fault reading the mapping sends the read to the
// database.
//
// The -shm file is the live one as long as this process holds a SQLite
// connection on the file: SQLite only removes or truncates it when the
// last connection of every process closes (or the first one opens), so
// pin keeps one open from before the file is mapped until Close.
type walHead struct {
	shm   []byte      // the header copies at the start of the -shm file, mapped read-only
	pin   driver.Conn // a connection holding the -shm file in use
	unmap func() error

	mu    sync.Mutex
	under [walHeaderSize]byte // the header the heads in seqs were read under
	seqs  map[string]int64
}

// latest returns the account's head: held, while the header is the one it
// was read under, else read by query (after the header was taken).
func (w *walHead) latest(accountID string, query func() (int64, error)) (int64, error) {
	h, ok := w.header()
	if !ok {
		return query()
	}
	w.mu.Lock()
	seq, held := w.seqs[accountID]
	held = held && w.under == h
	w.mu.Unlock()
	if held {
		return seq, nil
	}
	seq, err := query()
	if err != nil {
		return 0, err
	}
	w.mu.Lock()
	if w.under != h || len(w.seqs) >= walHeadMax {
		w.under, w.seqs = h, make(map[string]int64)
	}
	w.seqs[accountID] = seq
	w.mu.Unlock()
	return seq, nil
}

// header returns the WAL-index header as SQLite's readers take it: the
// first copy, then the second, each word loaded atomically; ok is false
// unless both copies agree, the header is initialized and its checksum
// holds.
func (w *walHead) header() (h [walHeaderSize]byte, ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil { // the mapping faulted (the file was cut short)
			ok = false
		}
	}()
	var second [walHeaderSize]byte
	w.load(h[:], 0)
	w.load(second[:], walHeaderSize)
	return h, h == second && validWALHeader(h)
}

// load copies the header words at off of the mapping into dst.
func (w *walHead) load(dst []byte, off int) {
	for i := 0; i < len(dst); i += 4 {
		word := atomic.LoadUint32((*uint32)(unsafe.Pointer(&w.shm[off+i])))
		binary.NativeEndian.PutUint32(dst[i:], word)
	}
}

// validWALHeader reports whether h is an initialized header whose checksum
// (the last 8 bytes, SQLite's checksum of the 40 before in native byte
// order) holds.
func validWALHeader(h [walHeaderSize]byte) bool {
	if h[12] != 1 { // isInit
		return false
	}
	var s1, s2 uint32
	for i := 0; i < 40; i += 8 {
		s1 += binary.NativeEndian.Uint32(h[i:]) + s2
		s2 += binary.NativeEndian.Uint32(h[i+4:]) + s1
	}
	return s1 == binary.NativeEndian.Uint32(h[40:]) && s2 == binary.NativeEndian.Uint32(h[44:])
}

// close unmaps the -shm file, then releases the pinning connection.
func (w *walHead) close() error {
	err := w.unmap()
	if cerr := w.pin.Close(); err == nil {
		err = cerr
	}
	return err
}
