package routes

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// Usage counts every authenticated /v1 request per account and hour for
// the sync health, in memory, and writes the counts to the store when
// flushed: a request costs a map update under a mutex, never a database
// write, and a flush costs one upsert per account and hour however many
// requests it carries. Figures reach the database within FlushInterval (or
// at the next GET /v1/sync/health of this instance, which flushes first);
// counts of an instance killed before its flush are lost.
type Usage struct {
	store billbridge.UsageStore
	clock billbridge.Clock
	log   *slog.Logger

	mu sync.Mutex
	m  map[usageKey]*billbridge.APIUsage
}

type usageKey struct {
	account string
	hour    int64
}

// FlushInterval is how often RunUsage writes the counts.
const FlushInterval = 10 * time.Second

// NewUsage returns a Usage writing to store and telling the time by clock.
func NewUsage(store billbridge.UsageStore, clock billbridge.Clock, log *slog.Logger) *Usage {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Usage{store: store, clock: clock, log: log, m: map[usageKey]*billbridge.APIUsage{}}
}

// Record counts one request of accountID answered with status, now.
func (u *Usage) Record(accountID string, status int) {
	now := u.clock.Now()
	hour := now.Truncate(time.Hour)
	k := usageKey{accountID, hour.Unix()}
	u.mu.Lock()
	e := u.m[k]
	if e == nil {
		e = &billbridge.APIUsage{AccountID: accountID, Hour: hour}
		u.m[k] = e
	}
	e.Add(status, now)
	u.mu.Unlock()
}

// Flush writes the counts gathered since the last flush. When the store
// refuses them they are kept for the next flush.
func (u *Usage) Flush(ctx context.Context) error {
	u.mu.Lock()
	if len(u.m) == 0 {
		u.mu.Unlock()
		return nil
	}
	batch := u.m
	u.m = make(map[usageKey]*billbridge.APIUsage, len(batch))
	u.mu.Unlock()
	rows := make([]billbridge.APIUsage, 0, len(batch))
	for _, e := range batch {
		rows = append(rows, *e)
	}
	err := u.store.AddAPIUsage(ctx, rows)
	if err == nil {
		return nil
	}
	u.mu.Lock()
	for k, e := range batch {
		if cur := u.m[k]; cur != nil {
			e.Requests += cur.Requests
			e.Errors4xx += cur.Errors4xx
			e.Errors5xx += cur.Errors5xx
			e.RateLimited += cur.RateLimited
			if cur.LastRequestAt.After(e.LastRequestAt) {
				e.LastRequestAt = cur.LastRequestAt
			}
		}
		u.m[k] = e
	}
	u.mu.Unlock()
	return err
}

// Run flushes every interval until ctx ends, then once more.
func (u *Usage) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := u.Flush(fctx); err != nil {
				u.log.ErrorContext(fctx, "writing request counts at shutdown", "err", err)
			}
			return
		case <-tick.C:
			if err := u.Flush(ctx); err != nil && ctx.Err() == nil {
				u.log.ErrorContext(ctx, "writing request counts", "err", err)
			}
		}
	}
}

// countUsage records the request's answer for its account (a panic as 500).
func (s *server) countUsage(c *gin.Context) {
	acct := web.Account(c)
	defer func() {
		if p := recover(); p != nil {
			s.usage.Record(acct.ID, 500)
			panic(p)
		}
	}()
	c.Next()
	s.usage.Record(acct.ID, c.Writer.Status())
}
