// Package billbridge is the domain of the billbridge gateway: accounts,
// customers, invoices, payments, events and hooks, the rules that govern
// them, the one error type, and the interfaces the adapters implement.
//
// It imports the standard library only. Adapters (sqlstore, redisstore,
// inmem, webhook) implement its interfaces; the HTTP layers (routes,
// actions, triggers) are handed those interfaces and never the adapters.
package billbridge

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// crockford is the Crockford base32 alphabet used by ULIDs.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns a new identifier "<prefix>_<26 chars>": a ULID, so ids sort
// by creation time and are unique without coordination between gateway
// instances. Within one process they are strictly increasing, also for ids
// made in the same millisecond (the ULID spec's monotonic mode), so rows
// written one after another in one millisecond list in that order.
func NewID(prefix string) string {
	return prefix + "_" + ulids.next(time.Now())
}

// ulids is the process's monotonic ULID source.
var ulids ulidSource

// ulidSource makes ULIDs: a 48-bit millisecond timestamp and 80 random bits;
// in the millisecond of the previous one (or when the clock stepped back) it
// adds one to the previous random bits instead of drawing new ones.
type ulidSource struct {
	mu   sync.Mutex
	last [16]byte
}

func (s *ulidSource) next(t time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := uint64(t.UnixMilli())
	lastMS := binary.BigEndian.Uint64(s.last[:8]) >> 16
	var b [16]byte
	if ms > lastMS || !increment(s.last[6:]) {
		binary.BigEndian.PutUint64(b[:8], ms<<16)
		_, _ = rand.Read(b[6:])
		if ms <= lastMS { // the random bits overflowed: the next millisecond
			binary.BigEndian.PutUint64(b[:8], (lastMS+1)<<16)
			_, _ = rand.Read(b[6:])
		}
		s.last = b
	}
	return encodeULID(s.last)
}

// increment adds one to the big-endian number in b; false when it overflowed.
func increment(b []byte) bool {
	for i := len(b) - 1; i >= 0; i-- {
		b[i]++
		if b[i] != 0 {
			return true
		}
	}
	return false
}

// encodeULID writes 128 bits as 26 Crockford base32 characters.
func encodeULID(b [16]byte) string {
	var out [26]byte
	// 128 bits -> 26 base32 chars (first char carries 3 bits).
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}

// ID prefixes, one per resource kind.
const (
	PrefixAccount  = "acct"
	PrefixCustomer = "cus"
	PrefixInvoice  = "inv"
	PrefixPayment  = "pay"
	PrefixEvent    = "evt"
	PrefixHook     = "hook"
	PrefixDelivery = "dlv"
)

// DefaultPageBytes bounds the JSON of one list page's items when the store
// is given no other bound: a page stops early (HasMore set) before the item
// that would take it past the bound, and always holds at least one item.
const DefaultPageBytes = 1 << 20

// Page is one page of a keyset-paginated list. HasMore is set when items
// follow, also when the page stopped short of its limit at its byte bound.
type Page[T any] struct {
	Data    []T
	HasMore bool
}

// PageParams selects a page: at most Limit items after the item whose id is
// StartingAfter, in the list's order (newest first).
type PageParams struct {
	Limit         int
	StartingAfter string
}
