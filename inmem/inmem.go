// Package inmem keeps the fast path of billbridge in process: idempotency
// claims and stored responses (billbridge.IdempotencyCache) and GCRA rate
// limits (billbridge.RateLimiter). It is the embedded default when no Redis
// is configured, and follows the same contract as redisstore (both pass
// internal/conformance), except that nothing is shared between processes,
// everything is lost on restart, and idempotency entries are bounded by
// bytes (Store.MaxBytes): past the bound the least recently used are
// forgotten, and the database replays them.
package inmem

import (
	"container/list"
	"sync"
	"time"

	"billbridge"
)

// DefaultSweepEvery is how often expired entries are removed when
// Store.SweepEvery is zero.
const DefaultSweepEvery = time.Minute

// Store implements billbridge.IdempotencyCache and billbridge.RateLimiter in
// memory. The zero value is not usable; call New. It is safe for concurrent
// use. Expired entries are ignored when read and removed by a periodic sweep
// that starts on first use and stops on Close.
type Store struct {
	// Clock tells the time (nil: the system clock); tests replace it with
	// a fake clock. Set it, and SweepEvery, before the first call.
	Clock billbridge.Clock
	// SweepEvery is the interval of the expiry sweep (DefaultSweepEvery if 0).
	SweepEvery time.Duration
	// MaxBytes bounds the idempotency claims and stored responses kept, as
	// counted by IdempotencyBytes (DefaultMaxBytes if 0). Past it the least
	// recently used are forgotten; a response larger than MaxBytes is never
	// kept.
	MaxBytes int64

	mu      sync.Mutex
	idem    map[idemKey]*list.Element // of *idemEntry, in order
	order   *list.List                // idempotency entries, least recently used first
	bytes   int64                     // the sum of the entries' sizes
	tats    map[string]time.Time      // GCRA theoretical arrival time per rate key
	started bool
	closed  bool
	stop    chan struct{}
	done    chan struct{}
}

var (
	_ billbridge.IdempotencyCache = (*Store)(nil)
	_ billbridge.RateLimiter      = (*Store)(nil)
)

type idemKey struct{ accountID, key string }

// New returns an empty Store on the real clock.
func New() *Store {
	return &Store{
		idem:  make(map[idemKey]*list.Element),
		order: list.New(),
		tats:  make(map[string]time.Time),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
}

// lock takes the mutex, starting the sweep on first use, and returns the
// current time. The caller unlocks s.mu.
func (s *Store) lock() time.Time {
	s.mu.Lock()
	if !s.started && !s.closed {
		s.started = true
		every := s.SweepEvery
		if every <= 0 {
			every = DefaultSweepEvery
		}
		go s.sweepLoop(every)
	}
	return s.Clock.Now()
}

func (s *Store) sweepLoop(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.sweep(s.Clock.Now())
			s.mu.Unlock()
		}
	}
}

// sweep removes every entry expired at now. s.mu must be held.
func (s *Store) sweep(now time.Time) {
	for k, el := range s.idem {
		if !now.Before(el.Value.(*idemEntry).rec.ExpiresAt) {
			s.remove(k)
		}
	}
	for k, tat := range s.tats {
		if !now.Before(tat) {
			delete(s.tats, k)
		}
	}
}

// Close stops the sweep and waits for it to end. The Store stays usable but
// is no longer swept. Close is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	wasClosed, started := s.closed, s.started
	s.closed = true
	s.mu.Unlock()
	if wasClosed {
		return nil
	}
	close(s.stop)
	if started {
		<-s.done
	}
	return nil
}
