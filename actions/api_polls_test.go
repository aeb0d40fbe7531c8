package actions_test

import (
	"strings"
	"sync"
	"testing"

	"billbridge/internal/apitest"
)

// pollPaths are the polls platforms repeat every minute.
var pollPaths = []string{"/v1/invoices?status=unpaid&limit=50", "/v1/events?limit=50"}

// poll reads path as c, sending etag in If-None-Match when it is not empty,
// and fails unless the status is want and the answer carries an ETag.
func poll(t *testing.T, c *apitest.Client, want int, path, etag string) *apitest.Response {
	t.Helper()
	var h []string
	if etag != "" {
		h = []string{"If-None-Match", etag}
	}
	r := c.Do(t, "GET", path, nil, h...)
	if r.Status != want {
		t.Fatalf("GET %s (If-None-Match %q) = %d, want %d: %s", path, etag, r.Status, want, r.Body)
	}
	if r.Header.Get("ETag") == "" {
		t.Fatalf("GET %s: no ETag", path)
	}
	return r
}

// unpaidInvoice creates and finalizes an invoice of c and returns its id.
func unpaidInvoice(t *testing.T, c *apitest.Client) string {
	t.Helper()
	inv := c.Invoice(t, c.Customer(t, "Poll AG").ID, "100.00")
	c.Must(t, 200, "POST", "/v1/invoices/"+inv.ID+"/finalize", nil, nil)
	return inv.ID
}

func TestPollETag(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		for _, path := range pollPaths {
			t.Run(strings.Split(path, "?")[0]+"/304 only while nothing changed", func(t *testing.T) {
				c, other := apitest.NewClient(t, s), apitest.NewClient(t, s)
				unpaidInvoice(t, c)
				first := poll(t, c, 200, path, "")
				tag := first.Header.Get("ETag")
				if again := poll(t, c, 200, path, ""); string(again.Body) != string(first.Body) || again.Header.Get("ETag") != tag {
					t.Fatalf("a repeated poll differs: %s vs %s", again.Body, first.Body)
				}
				if r := poll(t, c, 304, path, tag); len(r.Body) != 0 || r.Header.Get("ETag") != tag {
					t.Fatalf("304 with body %q, ETag %q", r.Body, r.Header.Get("ETag"))
				}
				poll(t, c, 304, path, `"other", W/`+tag)
				poll(t, c, 200, path, `"other"`)
				// A refused query is refused every time, however often the
				// valid one was answered from its stored page.
				for range 2 {
					bad := strings.Replace(path, "limit=50", "limit=1000", 1)
					if r := c.Do(t, "GET", bad, nil, "If-None-Match", tag); r.Status != 422 {
						t.Fatalf("GET %s = %d, want 422: %s", bad, r.Status, r.Body)
					}
				}
				unpaidInvoice(t, other) // another account's write changes nothing here
				poll(t, c, 304, path, tag)

				id := unpaidInvoice(t, c)
				r := poll(t, c, 200, path, tag)
				if r.Header.Get("ETag") == tag || !strings.Contains(string(r.Body), id) {
					t.Fatalf("after a committed write: ETag %q (was %q), body without %s: %s", r.Header.Get("ETag"), tag, id, r.Body)
				}
			})
		}
	})
}

// Two gateways on one database, each with its own rendered pages: a poll
// answered by one after a write through the other is never stale.
func TestPollAcrossInstances(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			a := apitest.Start(t, apitest.Options{Store: store})
			b := apitest.Start(t, apitest.Options{Store: store, StoreURL: a.StoreURL})
			onA := apitest.NewClient(t, a)
			onB := &apitest.Client{S: b, ID: onA.ID, Key: onA.Key}
			unpaidInvoice(t, onA)
			tags := map[string]string{}
			for _, path := range pollPaths {
				tag := poll(t, onA, 200, path, "").Header.Get("ETag")
				if got := poll(t, onB, 304, path, tag).Header.Get("ETag"); got != tag {
					t.Fatalf("%s: instance b's ETag %q, a's %q", path, got, tag)
				}
				poll(t, onA, 304, path, tag) // both now hold the page
				tags[path] = tag
			}
			for round := range 3 {
				// Written through one instance, polled at once through both,
				// with and without the ETag held: never the page before.
				writer, other := onB, onA
				if round%2 == 1 {
					writer, other = onA, onB
				}
				id := unpaidInvoice(t, writer)
				for _, path := range pollPaths {
					for _, c := range []*apitest.Client{other, writer} {
						r := poll(t, c, 200, path, tags[path])
						if !strings.Contains(string(r.Body), id) || r.Header.Get("ETag") == tags[path] {
							t.Fatalf("round %d, %s after a write: ETag %q (held %q), body without %s: %s",
								round, path, r.Header.Get("ETag"), tags[path], id, r.Body)
						}
						if again := poll(t, c, 200, path, ""); string(again.Body) != string(r.Body) {
							t.Fatalf("round %d, %s: the same version read twice differs", round, path)
						}
					}
					tags[path] = poll(t, other, 200, path, "").Header.Get("ETag")
					poll(t, writer, 304, path, tags[path])
				}
			}
		})
	}
}

// Polls at once from many clients share one render per version; a poll
// after a committed write still sees it, whichever render it joins.
func TestPollAfterWriteWhilePolledConcurrently(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		unpaidInvoice(t, c)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				for path := pollPaths[i%len(pollPaths)]; ; {
					select {
					case <-stop:
						return
					default:
					}
					if r := c.Do(t, "GET", path, nil); r.Status != 200 {
						t.Errorf("background poll %s = %d: %s", path, r.Status, r.Body)
						return
					}
				}
			})
		}
		defer func() { close(stop); wg.Wait() }()
		for round := range 5 {
			id := unpaidInvoice(t, c)
			for _, path := range pollPaths {
				if r := poll(t, c, 200, path, ""); !strings.Contains(string(r.Body), id) {
					t.Fatalf("round %d, %s right after a write while polled: body without %s: %s", round, path, id, r.Body)
				}
			}
		}
	})
}
