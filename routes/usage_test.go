package routes_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"billbridge"
	"billbridge/routes"
)

// usageSink is a UsageStore that keeps what it is given, or refuses it.
type usageSink struct {
	mu   sync.Mutex
	rows []billbridge.APIUsage
	fail bool
}

func (s *usageSink) AddAPIUsage(_ context.Context, u []billbridge.APIUsage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New("database down")
	}
	s.rows = append(s.rows, u...)
	return nil
}

// TestUsageFlushKeepsCountsTheStoreRefused: counts a failed flush could
// not write are written, added to the later ones, by the next flush; one
// row per account and hour.
func TestUsageFlushKeepsCountsTheStoreRefused(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 59, 0, 0, time.UTC)
	sink := &usageSink{fail: true}
	u := routes.NewUsage(sink, func() time.Time { return now }, nil)
	u.Record("acct_a", 200)
	u.Record("acct_a", 422)
	u.Record("acct_b", 429)
	if err := u.Flush(context.Background()); err == nil {
		t.Fatal("a refused flush reported no error")
	}
	u.Record("acct_a", 503)
	now = now.Add(2 * time.Minute) // the next hour
	u.Record("acct_a", 200)
	sink.fail = false
	if err := u.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]billbridge.APIUsage{}
	for _, r := range sink.rows {
		got[r.AccountID+" "+strconv.Itoa(r.Hour.Hour())] = r
	}
	a10, a11, b10 := got["acct_a 10"], got["acct_a 11"], got["acct_b 10"]
	if len(sink.rows) != 3 || a10.Requests != 3 || a10.Errors4xx != 1 || a10.Errors5xx != 1 || a11.Requests != 1 ||
		b10.Requests != 1 || b10.RateLimited != 1 || b10.Errors4xx != 0 || !a11.LastRequestAt.Equal(now) {
		t.Fatalf("flushed %+v", sink.rows)
	}
}

// BenchmarkUsageRecord is what counting costs a request: parallel
// requests of 100 accounts.
func BenchmarkUsageRecord(b *testing.B) {
	u := routes.NewUsage(&usageSink{}, nil, nil)
	accounts := make([]string, 100)
	for i := range accounts {
		accounts[i] = "acct_" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			u.Record(accounts[i%len(accounts)], 200)
			i++
		}
	})
}
