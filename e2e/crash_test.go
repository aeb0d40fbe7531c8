package e2e

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"billbridge/internal/testenv"
)

// TestCrashRestart sends 200 creates, each with its own Idempotency-Key, to
// a gateway on PostgreSQL and Redis, kills it with SIGKILL while requests
// are in flight, empties the test's Redis keys, restarts it and sends all
// 200 again with the same keys: exactly 200 customers exist, and every
// answer of the second round is the resource of the first.
func TestCrashRestart(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresURL(t)
	redisURL, prefix := testenv.RedisURL(t)
	env := []string{"BILLBRIDGE_DATABASE_URL=" + dsn, "BILLBRIDGE_REDIS_URL=" + redisURL, "BILLBRIDGE_REDIS_PREFIX=" + prefix, "BILLBRIDGE_RATE_LIMIT=off"}
	accountID, key := createAccount(t, "Crash AG", "Europe/Zurich", env...)
	g := startGateway(t, env...)

	const n, workers, killAfter = 200, 8, 60
	body := func(i int) []byte { return fmt.Appendf(nil, `{"name":"Crash %03d AG"}`, i) }
	idemKey := func(i int) string { return fmt.Sprintf("crash-%03d", i) }
	type answer struct {
		status   int
		id       string
		replayed bool
	}
	decode := func(r *response) answer {
		var c struct{ ID string }
		_ = json.Unmarshal(r.body, &c)
		return answer{status: r.status, id: c.ID, replayed: r.header.Get("Idempotent-Replayed") == "true"}
	}

	// Round 1: workers send all 200; after killAfter answers the gateway is killed.
	first := make([]*answer, n)
	var answered, failed atomic.Int64
	var once sync.Once
	var next atomic.Int64 // the requests handed out, to the workers of a round
	testenv.FanOut(t, workers, func(int) (struct{}, error) {
		for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
			r, err := do(g.URL, "POST", "/v1/customers", key, body(i), "Idempotency-Key", idemKey(i))
			if err != nil {
				failed.Add(1)
				continue
			}
			a := decode(r)
			first[i] = &a
			if answered.Add(1) == killAfter {
				once.Do(g.kill)
			}
		}
		return struct{}{}, nil
	})
	for i, a := range first {
		if a != nil && (a.status != 201 || a.id == "" || a.replayed) {
			t.Fatalf("first round, request %d: %+v, want 201 with an id", i, *a)
		}
	}
	if answered.Load() < killAfter || failed.Load() == 0 {
		t.Fatalf("%d answered, %d failed: the gateway was not killed midway", answered.Load(), failed.Load())
	}
	committed := sqlCount(t, dsn, `SELECT count(*) FROM customers WHERE account_id = $1`, accountID)
	t.Logf("round 1: %d answered, %d failed by the kill; %d customers committed", answered.Load(), failed.Load(), committed)

	// Redis forgets everything of this test.
	deleted := deletePrefix(t, redisURL, prefix)
	if deleted == 0 {
		t.Error("no Redis keys under the test's prefix: the cache was not used")
	}

	// Round 2: the same 200 requests on a restarted gateway.
	g2 := startGateway(t, env...)
	second := make([]answer, n)
	next.Store(0)
	testenv.FanOut(t, workers, func(int) (struct{}, error) {
		for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
			r, err := do(g2.URL, "POST", "/v1/customers", key, body(i), "Idempotency-Key", idemKey(i))
			if err != nil {
				return struct{}{}, fmt.Errorf("second round, request %d: %w", i, err)
			}
			second[i] = decode(r)
		}
		return struct{}{}, nil
	})
	ids := map[string]int{}
	for _, a := range second {
		ids[a.id]++
	}
	replayed := 0
	for i, a := range second {
		if (a.status != 200 && a.status != 201) || a.id == "" {
			t.Errorf("second round, request %d: %+v, want 200 or 201 with an id", i, a)
		}
		if f := first[i]; f != nil && (a.id != f.id || !a.replayed) {
			t.Errorf("request %d: resent answer %+v, first answer %+v: want the same resource, replayed", i, a, *f)
		}
		if a.replayed {
			replayed++
		}
	}
	if len(ids) != n {
		t.Errorf("%d distinct ids in the second round, want %d", len(ids), n)
	}
	if got := sqlCount(t, dsn, `SELECT count(*) FROM customers WHERE account_id = $1`, accountID); got != n {
		t.Errorf("%d customers, want exactly %d", got, n)
	}
	if got := sqlCount(t, dsn, `SELECT count(*) FROM events WHERE account_id = $1 AND type = 'customer.created'`, accountID); got != n {
		t.Errorf("%d customer.created events, want %d", got, n)
	}
	t.Logf("round 2: %d replayed (committed before the kill, %d of them unanswered), %d created now", replayed, replayed-int(answered.Load()), n-replayed)
	if replayed != committed {
		t.Errorf("%d replays, want one per customer committed before the kill (%d)", replayed, committed)
	}
}
