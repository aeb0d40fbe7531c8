package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// config is what a run is made from.
type config struct {
	urls    []string // write k through urls[k%n], its check through urls[(k+1)%n]
	key     string
	rate    float64 // writes a second
	clients int
	count   int64  // 0: no limit
	stamp   string // makes this run's emails and idempotency keys unique
}

// writer runs the paced writes and their checks.
type writer struct {
	config
	client *http.Client
	mu     sync.Mutex
	res    result
}

func newWriter(cfg config) *writer {
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.clients, MaxConnsPerHost: cfg.clients}
	return &writer{config: cfg, client: &http.Client{Timeout: 30 * time.Second, Transport: tr}}
}

// due returns when write k is due, counted from the start: k/rate seconds.
func due(k int64, rate float64) time.Duration {
	return time.Duration(float64(k) * float64(time.Second) / rate)
}

// run writes until ctx is done or count writes were made. Write k is handed
// to a free client at start+due(k); when every client is busy it waits for
// one and the writes after it catch up, so the achieved rate only falls
// behind when all clients together cannot keep up. Writes in flight when
// ctx ends are finished and checked.
func (w *writer) run(ctx context.Context) result {
	ticks := make(chan int64)
	start := time.Now()
	go func() {
		defer close(ticks)
		for k := int64(0); w.count == 0 || k < w.count; k++ {
			if wait := time.Until(start.Add(due(k, w.rate))); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
			select {
			case <-ctx.Done():
				return
			case ticks <- k:
			}
		}
	}()
	var wg sync.WaitGroup
	for range w.clients {
		wg.Go(func() {
			for k := range ticks {
				w.one(k)
			}
		})
	}
	wg.Wait()
	w.res.took = time.Since(start)
	w.res.target = w.rate
	w.res.clients = w.clients
	w.res.sortLatencies()
	return w.res
}

// one makes write k and checks it, recording the outcome.
func (w *writer) one(k int64) {
	n := int64(len(w.urls))
	a, b := w.urls[k%n], w.urls[(k+1)%n]
	email := fmt.Sprintf("writer-%s-%d@bench.example", w.stamp, k)
	body, _ := json.Marshal(map[string]string{"name": "Writer " + strconv.FormatInt(k, 10), "email": email})
	t0 := time.Now()
	status, err := w.upsert(a, body, "writer-"+w.stamp+"-"+strconv.FormatInt(k, 10))
	lat := time.Since(t0)
	if err == nil && (status < 200 || status > 299) {
		err = fmt.Errorf("upsert through %s answered %d", a, status)
	}
	if err != nil {
		w.record(0, false, false, err)
		return
	}
	fresh, err := w.check(a, b, email)
	w.record(lat, err == nil, !fresh && err == nil, err)
}

// check reads the newest customer.created event through b and reports
// whether it reflects the write of email; when it is another customer's
// event, the newest 100 read through a tell whether that one is newer than
// the write (fresh) or older (stale).
func (w *writer) check(a, b, email string) (bool, error) {
	newest, err := w.events(b, 1)
	if err != nil {
		return false, err
	}
	if len(newest) == 1 && newest[0].Data.Email == email {
		return true, nil
	}
	recent, err := w.events(a, 100)
	if err != nil {
		return false, err
	}
	return saw(email, newest, recent), nil
}

// event is what the check reads of a customer.created event.
type event struct {
	Seq  int64 `json:"seq"`
	Data struct {
		Email string `json:"email"`
	} `json:"data"`
}

// saw reports whether page, the newest customer.created event (at most one)
// answered after the write of email was acknowledged, reflects that write:
// it is the write's own event or one with a higher seq. recent are events
// read after the write (newest first) in which the write's event is looked
// up; not finding it there counts as not seen.
func saw(email string, page, recent []event) bool {
	if len(page) == 0 {
		return false
	}
	if page[0].Data.Email == email {
		return true
	}
	for _, e := range recent {
		if e.Data.Email == email {
			return page[0].Seq >= e.Seq
		}
	}
	return false
}

// events reads the newest limit customer.created events through base.
func (w *writer) events(base string, limit int) ([]event, error) {
	status, body, _, err := w.do(http.MethodGet, base+"/v1/events?type=customer.created&limit="+strconv.Itoa(limit), nil, "")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("events through %s answered %d", base, status)
	}
	var feed struct {
		Data []event `json:"data"`
	}
	if err := json.Unmarshal(body, &feed); err != nil {
		return nil, fmt.Errorf("events through %s: %w", base, err)
	}
	return feed.Data, nil
}

// maxBusy is how many times one write is sent again while its key is busy.
const maxBusy = 5

// upsert sends one write through base and returns the status of its last
// answer. While that is 409 with Retry-After (a request with this
// Idempotency-Key is still running: Go's HTTP client sends a request with
// an Idempotency-Key again on a fresh connection when the first one broke,
// and the server may still be running the first) it waits as told and sends
// it again with the same key, as a platform's retry would, at most maxBusy
// times.
func (w *writer) upsert(base string, body []byte, idem string) (int, error) {
	for try := 0; ; try++ {
		status, _, header, err := w.do(http.MethodPost, base+"/v1/customers/upsert", body, idem)
		wait, busy := retryAfter(status, header)
		if err != nil || !busy || try == maxBusy {
			return status, err
		}
		w.mu.Lock()
		w.res.busy++
		w.mu.Unlock()
		time.Sleep(wait)
	}
}

// retryAfter reports whether an answer is 409 with Retry-After (seconds),
// and how long it asks to wait.
func retryAfter(status int, header http.Header) (time.Duration, bool) {
	if status != http.StatusConflict {
		return 0, false
	}
	secs, err := strconv.Atoi(header.Get("Retry-After"))
	if err != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}

// do sends one request and returns its status, body and headers.
func (w *writer) do(method, url string, body []byte, idem string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+w.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

// record adds one write's outcome: its latency if it was acknowledged,
// whether it was checked, whether the check was stale, and its error.
func (w *writer) record(lat time.Duration, checked, stale bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.res.failed++
		if w.res.firstErr == "" {
			w.res.firstErr = err.Error()
		}
	}
	if lat > 0 {
		w.res.lat = append(w.res.lat, lat)
	}
	if checked {
		w.res.checks++
	}
	if stale {
		w.res.stale++
	}
}
