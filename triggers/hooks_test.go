package triggers_test

import (
	"billbridge/internal/testenv"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/webhook"

	"github.com/prometheus/client_golang/prometheus"
)

// verify checks a delivery the way a Standard Webhooks receiver does
// (https://www.standardwebhooks.com, "Verifying webhook authenticity"),
// written from the spec rather than from package webhook: the signed
// content is "<webhook-id>.<webhook-timestamp>.<raw body>", the key the
// base64 decoding of the secret without its "whsec_" prefix, the
// signature header a space-separated list of "<version>,<base64 HMAC-SHA256>"
// of which one v1 entry must match, and the timestamp within 5 minutes.
func verify(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook-id, webhook-timestamp or webhook-signature")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q is not Unix seconds", ts)
	}
	if d := now.Sub(time.Unix(secs, 0)); math.Abs(d.Seconds()) > 300 {
		return fmt.Errorf("webhook-timestamp %s is %v away", ts, d)
	}
	if !strings.HasPrefix(secret, "whsec_") {
		return fmt.Errorf("secret %q lacks whsec_", secret)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return fmt.Errorf("secret is not base64: %v", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("no v1 signature in %q matches", sigs)
}

// hit is one delivery attempt a receiver saw.
type hit struct {
	id, ts string
	body   []byte
	status int
	at     time.Time
	err    error // from verify
}

// receiver is a local hook target; answer decides the reply to the n-th
// attempt (0-based) by writing to w (200 when it writes nothing).
type receiver struct {
	secret string
	answer func(n int, w http.ResponseWriter, r *http.Request)
	mu     sync.Mutex
	hits   []hit
	srv    *httptest.Server
}

// newReceiver starts a receiver on addr ("" for any free port) that
// verifies with secret (subscribe sets it when it is "").
func newReceiver(t *testing.T, addr, secret string, answer func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{secret: secret, answer: answer}
	rc.srv = httptest.NewUnstartedServer(http.HandlerFunc(rc.serve))
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen on %s again: %v", addr, err)
		}
		rc.srv.Listener.Close()
		rc.srv.Listener = l
	}
	rc.srv.Start()
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := len(rc.hits)
	h := hit{id: r.Header.Get("webhook-id"), ts: r.Header.Get("webhook-timestamp"), body: body, at: time.Now()} // status 0 until answered
	h.err = verify(rc.secret, r.Header, body, time.Now())
	rc.hits = append(rc.hits, h)
	rc.mu.Unlock()
	rec := httptest.NewRecorder()
	if rc.answer != nil {
		rc.answer(n, rec, r)
	}
	rc.mu.Lock()
	rc.hits[n].status = rec.Code
	rc.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// seen returns a copy of the attempts so far.
func (rc *receiver) seen() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.hits)
}

// delivered returns the webhook-ids answered 2xx, with how often.
func (rc *receiver) delivered() map[string]int {
	out := map[string]int{}
	for _, h := range rc.seen() {
		if h.status >= 200 && h.status < 300 {
			out[h.id]++
		}
	}
	return out
}

// subscribe creates a hook of the server's first account to url for types
// and tells rc its secret.
func subscribe(t *testing.T, s *apitest.Server, rc *receiver, url string, types ...string) billbridge.Hook {
	t.Helper()
	var h billbridge.Hook
	s.Must(t, 201, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": url, "events": types}).Decode(t, &h)
	if !strings.HasPrefix(h.ID, "hook_") || !strings.HasPrefix(h.Secret, "whsec_") || h.TargetURL != url {
		t.Fatalf("hook %+v", h)
	}
	if rc != nil {
		rc.mu.Lock()
		rc.secret = h.Secret
		rc.mu.Unlock()
	}
	return h
}

// startDispatcher runs a Dispatcher on the server's database with a fast
// schedule (30 retries 100 ms apart, ±20%), a 300 ms attempt timeout and a
// 20 ms poll, until the test ends. It returns the metrics registry.
func startDispatcher(t *testing.T, s *apitest.Server) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	d := webhook.NewDispatcher(webhook.Config{
		Queue: s.DB, Guard: s.Guard, Metrics: webhook.NewMetrics(reg),
		Timeout: 300 * time.Millisecond, PollInterval: 20 * time.Millisecond,
		Schedule: slices.Repeat([]time.Duration{100 * time.Millisecond}, 30),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return reg
}

// deliveries reads billbridge_webhook_deliveries_total{result} from reg.
func deliveries(t *testing.T, reg *prometheus.Registry, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "billbridge_webhook_deliveries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// feedEvent returns the event with id from the feed.
func feedEvent(t *testing.T, s *apitest.Server, id string) billbridge.Event {
	t.Helper()
	for _, e := range events(t, s, s.Key, "?limit=100").Data {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("event %s not in the feed", id)
	return billbridge.Event{}
}

// sameJSON reports whether two JSON documents hold the same value.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// TestHookDelivery subscribes local receivers and runs a dispatcher on the
// gateway's PostgreSQL database.
func TestHookDelivery(t *testing.T) {
	t.Parallel()
	s := apitest.Start(t, apitest.Options{Store: "postgres", AllowPrivate: true})
	reg := startDispatcher(t, s)
	customer := func(name string) billbridge.Customer {
		var c billbridge.Customer
		s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": name}).Decode(t, &c)
		return c
	}

	t.Run("fails three times then gets it", func(t *testing.T) {
		rc := newReceiver(t, "", "", func(n int, w http.ResponseWriter, r *http.Request) {
			switch n {
			case 0:
				w.WriteHeader(500)
			case 1:
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
			case 2:
				select { // longer than the dispatcher's 300 ms timeout
				case <-r.Context().Done():
					w.WriteHeader(499) // recorded as not delivered: the sender gave up
				case <-time.After(3 * time.Second):
					w.WriteHeader(504)
				}
			}
		})
		// A second, healthy receiver of the same event sees the same webhook-id.
		ok := newReceiver(t, "", "", nil)
		subscribe(t, s, rc, rc.srv.URL+"/flaky", "customer.created")
		subscribe(t, s, ok, ok.srv.URL+"/ok", "customer.created")
		customer("Flaky Receiver AG")
		testenv.WaitFor(t, 20*time.Second, "delivery after three failures", func() bool { return len(rc.delivered()) == 1 })

		hits := rc.seen()
		if len(hits) != 4 {
			for _, h := range hits {
				t.Logf("attempt at %s: %d %v", h.at.Format("15:04:05.000"), h.status, h.err)
			}
			t.Fatalf("%d attempts, want 4 (500, 429, timeout, 200)", len(hits))
		}
		for i, h := range hits {
			if h.err != nil {
				t.Errorf("attempt %d: signature: %v", i, h.err)
			}
			if h.id != hits[0].id || !bytes.Equal(h.body, hits[0].body) {
				t.Errorf("attempt %d: webhook-id %s body %s, want %s %s", i, h.id, h.body, hits[0].id, hits[0].body)
			}
		}
		if wait := hits[2].at.Sub(hits[1].at); wait < 900*time.Millisecond {
			t.Errorf("attempt after 429 Retry-After: 1 came %v later, want at least 1 s", wait)
		}
		okHits := ok.seen()
		if len(okHits) != 1 || okHits[0].id != hits[0].id || okHits[0].err != nil {
			t.Errorf("healthy receiver: %+v, want one verified delivery of %s", okHits, hits[0].id)
		}
		// The body is the event as the feed shows it, and webhook-id its id.
		e := feedEvent(t, s, hits[0].id)
		want, _ := json.Marshal(e)
		if e.Type != "customer.created" || !sameJSON(hits[0].body, want) {
			t.Errorf("delivered body %s, feed event %s", hits[0].body, want)
		}
		// A tampered body or a wrong secret fails the verifier.
		h := http.Header{}
		h.Set("webhook-id", hits[0].id)
		h.Set("webhook-timestamp", hits[3].ts)
		h.Set("webhook-signature", webhook.Sign(rc.secret, hits[0].id, time.Now(), hits[0].body))
		if verify(rc.secret, h, append([]byte(" "), hits[0].body...), time.Now()) == nil || verify(ok.secret, h, hits[0].body, time.Now()) == nil {
			t.Error("the verifier accepts a tampered body or another hook's secret")
		}
	})

	t.Run("410 removes the subscription", func(t *testing.T) {
		rc := newReceiver(t, "", "", func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(410) })
		gone := subscribe(t, s, rc, rc.srv.URL+"/gone", "customer.updated")
		var c billbridge.Customer
		s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": "Gone AG"}).Decode(t, &c)
		s.Must(t, 200, "PATCH", "/v1/customers/"+c.ID, s.Key, map[string]any{"phone": "+41 1"})
		testenv.WaitFor(t, 10*time.Second, "the hook to be removed", func() bool {
			var l struct{ Data []billbridge.Hook }
			s.Must(t, 200, "GET", "/v1/hooks", s.Key, nil).Decode(t, &l)
			return !slices.ContainsFunc(l.Data, func(h billbridge.Hook) bool { return h.ID == gone.ID })
		})
		if n := len(rc.seen()); n != 1 {
			t.Errorf("410 receiver got %d attempts, want 1", n)
		}
		// Later events are not sent to it.
		s.Must(t, 200, "PATCH", "/v1/customers/"+c.ID, s.Key, map[string]any{"phone": "+41 2"})
		s.Must(t, 200, "GET", "/v1/hooks?target_url="+rc.srv.URL+"/gone", s.Key, nil)
		if deliveries(t, reg, webhook.ResultGone) < 1 {
			t.Error("no gone delivery counted")
		}
	})

	t.Run("a receiver down for a while gets everything", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens there until the receiver comes up
		rc := &receiver{}
		subscribe(t, s, rc, "http://"+addr+"/later", "invoice.created", "invoice.finalized")
		c := customer("Later AG")
		var want []string
		for range 3 {
			var inv billbridge.Invoice
			s.Must(t, 201, "POST", "/v1/invoices", s.Key, map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": true,
				"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 10, "vat_rate": 0}}}).Decode(t, &inv)
		}
		for _, e := range events(t, s, s.Key, "?type=invoice.created,invoice.finalized&limit=100").Data {
			if strings.Contains(string(e.Data), c.ID) {
				want = append(want, e.ID)
			}
		}
		if len(want) != 6 {
			t.Fatalf("%d invoice events for the customer, want 6", len(want))
		}
		failed := deliveries(t, reg, webhook.ResultFailed)
		testenv.WaitFor(t, 10*time.Second, "failed attempts while the receiver is down", func() bool {
			return deliveries(t, reg, webhook.ResultFailed) >= failed+12 // each event tried about twice
		})
		up := newReceiver(t, addr, rc.secret, nil)
		testenv.WaitFor(t, 20*time.Second, "every event after the receiver came back", func() bool { return len(up.delivered()) == len(want) })
		for id, n := range up.delivered() {
			if !slices.Contains(want, id) || n != 1 {
				t.Errorf("delivered %s %d times; want each of %v once", id, n, want)
			}
		}
		for _, h := range up.seen() {
			if h.err != nil {
				t.Errorf("delivery %s: %v", h.id, h.err)
			}
		}
	})
}

// TestHookSubscriptions: the address guard refuses internal targets with
// 422 naming target_url unless private targets are allowed; DELETE is 204
// twice; GET filters by target_url and never shows secrets.
func TestHookSubscriptions(t *testing.T) {
	t.Parallel()
	strict := apitest.Start(t, apitest.Options{})
	open := apitest.Start(t, apitest.Options{AllowPrivate: true})
	internal := []string{
		"http://127.0.0.1:8080/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data/",
		"http://[::1]:9000/hook", "http://localhost:3000/hook", "http://LOCALHOST./hook", "http://192.168.1.10/hook",
		"http://[fe80::1]/hook", "http://0.0.0.0/hook", "http://[::ffff:127.0.0.1]/hook",
	}
	for _, u := range internal {
		code, fields := problemCode(t, strict.Do(t, "POST", "/v1/hooks", strict.Key, map[string]any{"target_url": u, "events": []string{"*"}}), 422)
		if code != billbridge.EINVALID || !slices.Contains(fields, "target_url") {
			t.Errorf("%s: %s %v, want validation_failed naming target_url", u, code, fields)
		}
		open.Must(t, 201, "POST", "/v1/hooks", open.Key, map[string]any{"target_url": u, "events": []string{"*"}})
	}
	for _, u := range []string{"ftp://93.184.215.14/x", "/relative", "http:///nohost"} {
		code, fields := problemCode(t, open.Do(t, "POST", "/v1/hooks", open.Key, map[string]any{"target_url": u, "events": []string{"*"}}), 422)
		if code != billbridge.EINVALID || !slices.Contains(fields, "target_url") {
			t.Errorf("%s: %s %v, want validation_failed naming target_url even with private targets allowed", u, code, fields)
		}
	}
	var l struct{ Data []billbridge.Hook }
	strict.Must(t, 200, "GET", "/v1/hooks", strict.Key, nil).Decode(t, &l)
	if len(l.Data) != 0 {
		t.Fatalf("refused subscriptions were stored: %+v", l.Data)
	}

	// A public literal address needs no DNS and is accepted.
	pub := "http://93.184.215.14/hook"
	var h billbridge.Hook
	strict.Must(t, 201, "POST", "/v1/hooks", strict.Key, map[string]any{"target_url": pub, "events": []string{"invoice.paid", "invoice.paid"}}).Decode(t, &h)
	other := subscribe(t, strict, nil, "http://93.184.215.15/other", "*")
	strict.Must(t, 200, "GET", "/v1/hooks?target_url="+pub, strict.Key, nil).Decode(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != h.ID || l.Data[0].Secret != "" || !slices.Equal(l.Data[0].Events, []string{"invoice.paid"}) {
		t.Errorf("filtered list %+v, want only %s without secret, events deduplicated", l.Data, h.ID)
	}
	for i := range 2 {
		if r := strict.Do(t, "DELETE", "/v1/hooks/"+h.ID, strict.Key, nil); r.Status != 204 || len(r.Body) != 0 {
			t.Errorf("DELETE %d: %d %s, want 204", i+1, r.Status, r.Body)
		}
	}
	strict.Must(t, 200, "GET", "/v1/hooks", strict.Key, nil).Decode(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != other.ID {
		t.Errorf("after DELETE: %+v, want only %s", l.Data, other.ID)
	}
	// Another account cannot delete it (204, but it stays).
	_, key := strict.NewAccount("Intruder AG")
	strict.Must(t, 204, "DELETE", "/v1/hooks/"+other.ID, key, nil)
	strict.Must(t, 200, "GET", "/v1/hooks", strict.Key, nil).Decode(t, &l)
	if len(l.Data) != 1 {
		t.Errorf("another account's DELETE removed the hook")
	}
}

// TestHookCapAndPages: an account subscribes at most billbridge.MaxHooks
// hooks (the next is 422 validation_failed), and GET /v1/hooks returns them
// a page at a time by next_cursor, newest first, on both stores.
func TestHookCapAndPages(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store, AllowPrivate: true})
			var made []string
			for i := range billbridge.MaxHooks {
				var h billbridge.Hook
				s.Must(t, 201, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": fmt.Sprintf("http://127.0.0.1:9/h%d", i), "events": []string{"*"}}).Decode(t, &h)
				made = append(made, h.ID)
			}
			code, _ := problemCode(t, s.Do(t, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": "http://127.0.0.1:9/one-more", "events": []string{"*"}}), 422)
			if code != billbridge.EINVALID {
				t.Fatalf("hook %d: %s, want validation_failed", billbridge.MaxHooks+1, code)
			}
			_, otherKey := s.NewAccount("Other AG")
			s.Must(t, 201, "POST", "/v1/hooks", otherKey, map[string]any{"target_url": "http://127.0.0.1:9/other", "events": []string{"*"}})

			var got []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > billbridge.MaxHooks/30+1 {
					t.Fatalf("more pages than %d hooks need", billbridge.MaxHooks)
				}
				var l struct {
					Data       []billbridge.Hook
					HasMore    bool   `json:"has_more"`
					NextCursor string `json:"next_cursor"`
				}
				s.Must(t, 200, "GET", "/v1/hooks?limit=30&starting_after="+after, s.Key, nil).Decode(t, &l)
				if len(l.Data) > 30 {
					t.Fatalf("page of %d hooks, limit 30", len(l.Data))
				}
				for _, h := range l.Data {
					if h.Secret != "" {
						t.Fatalf("list shows a secret")
					}
					got = append(got, h.ID)
				}
				if !l.HasMore {
					break
				}
				after = l.NextCursor
			}
			slices.Sort(made)
			slices.Reverse(made)
			if !slices.Equal(got, made) {
				t.Fatalf("paged %d hooks, want the %d made, newest first", len(got), len(made))
			}
		})
	}
}

// TestHookDeliveryWokenByCommit: with a dispatcher that polls only once an
// hour, a delivery still starts right after the commit that appended its
// event, because the store wakes the dispatcher (webhook/doc.go's promise),
// on both stores.
func TestHookDeliveryWokenByCommit(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store, AllowPrivate: true})
			d := webhook.NewDispatcher(webhook.Config{Queue: s.DB, Guard: s.Guard, PollInterval: time.Hour})
			s.DB.OnEvents(d.Wake)
			t.Cleanup(func() { s.DB.OnEvents(nil) })
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { d.Run(ctx); close(done) }()
			t.Cleanup(func() { cancel(); <-done })
			rc := newReceiver(t, "", "", nil)
			subscribe(t, s, rc, rc.srv.URL+"/woken", "customer.created")
			s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": "Woken AG"})
			testenv.WaitFor(t, 20*time.Second, "delivery without waiting for the hourly poll", func() bool { return len(rc.delivered()) == 1 })
		})
	}
}
