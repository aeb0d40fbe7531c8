package webhook

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"billbridge"
)

// testSecret is a Standard Webhooks secret for test deliveries.
const testSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"

// deliveryFor returns a due delivery of event eventID to target.
func deliveryFor(target, id, eventID string) billbridge.Delivery {
	return billbridge.Delivery{
		ID:        id,
		AccountID: "acct_1",
		HookID:    "hook_" + id,
		TargetURL: target,
		Secret:    testSecret,
		EventID:   eventID,
		Payload:   fmt.Appendf(nil, `{"id":%q,"type":"invoice.paid","seq":1,"occurred_at":"2026-01-05T10:00:00.000Z","data":{"id":"inv_1"}}`, eventID),
	}
}

// fakeResolver answers from a table that tests may change meanwhile
// (DNS rebinding); unknown names are not found. It never uses the network.
type fakeResolver struct {
	mu    sync.Mutex
	hosts map[string][]string
}

func (r *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	addrs, ok := r.hosts[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var ips []net.IPAddr
	for _, a := range addrs {
		ips = append(ips, net.IPAddr{IP: net.ParseIP(a)})
	}
	return ips, nil
}

func (r *fakeResolver) set(host string, addrs ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hosts[host] = addrs
}

// recordingDialer records every address a Guard dials and connects only to
// loopback, so no test ever reaches another machine.
type recordingDialer struct {
	mu    sync.Mutex
	addrs []string
}

func (d *recordingDialer) dial(ctx context.Context, network, address string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, address)
	d.mu.Unlock()
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("test dialer: refusing non-loopback %s", address)
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, address)
}

func (d *recordingDialer) dialed() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.addrs)
}

// record is one outcome the fake queue was told about.
type record struct {
	op     string // succeeded, failed, dropped, gone
	id     string // delivery id, or hook id for gone
	next   time.Time
	reason string
}

// fakeQueue is an in-memory billbridge.DeliveryQueue that leases like the
// real one and reports every recorded outcome on its records channel.
type fakeQueue struct {
	mu      sync.Mutex
	pending []*billbridge.Delivery
	leased  map[string]time.Time
	leases  []time.Duration
	records chan record
}

var _ billbridge.DeliveryQueue = (*fakeQueue)(nil)

func newFakeQueue(ds ...billbridge.Delivery) *fakeQueue {
	q := &fakeQueue{leased: map[string]time.Time{}, records: make(chan record, 1000)}
	for _, d := range ds {
		q.pending = append(q.pending, &d)
	}
	return q
}

func (q *fakeQueue) ClaimDeliveries(_ context.Context, now time.Time, limit, _ int, lease time.Duration) ([]billbridge.Delivery, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.leases = append(q.leases, lease)
	var out []billbridge.Delivery
	for _, d := range q.pending {
		if len(out) == limit {
			break
		}
		if d.NextAttempt.After(now) || q.leased[d.ID].After(now) {
			continue
		}
		q.leased[d.ID] = now.Add(lease)
		out = append(out, *d)
	}
	return out, nil
}

func (q *fakeQueue) DeliverySucceeded(_ context.Context, id string) error {
	q.remove(func(d *billbridge.Delivery) bool { return d.ID == id })
	q.records <- record{op: "succeeded", id: id}
	return nil
}

func (q *fakeQueue) DeliveryFailed(_ context.Context, id string, next time.Time, reason string) error {
	q.mu.Lock()
	for _, d := range q.pending {
		if d.ID == id {
			d.Attempts++
			d.NextAttempt = next
			delete(q.leased, id)
		}
	}
	q.mu.Unlock()
	q.records <- record{op: "failed", id: id, next: next, reason: reason}
	return nil
}

func (q *fakeQueue) DropDelivery(_ context.Context, id string, reason string) error {
	q.remove(func(d *billbridge.Delivery) bool { return d.ID == id })
	q.records <- record{op: "dropped", id: id, reason: reason}
	return nil
}

func (q *fakeQueue) HookGone(_ context.Context, hookID string) error {
	q.remove(func(d *billbridge.Delivery) bool { return d.HookID == hookID })
	q.records <- record{op: "gone", id: hookID}
	return nil
}

func (q *fakeQueue) remove(match func(*billbridge.Delivery) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = slices.DeleteFunc(q.pending, match)
}

// next waits for the next recorded outcome; the deadline only keeps a
// broken dispatcher from hanging the test.
func (q *fakeQueue) next(t *testing.T) record {
	t.Helper()
	return receive(t, q.records)
}

// receive waits for a value on ch, failing the test after 10s.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting")
		panic("unreachable")
	}
}
