package e2e

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billbridge/internal/testenv"
)

// TestDurabilityKill9 builds the real binary, runs it on the embedded
// default (SQLite under ./data, in-process cache), sends creates from
// several clients, kills the process with SIGKILL while requests are still
// in flight, restarts it on the same data directory and finds every create
// the server acknowledged before it died.
func TestDurabilityKill9(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // the working directory: the embedded store lives in dir/data

	first := startGatewayIn(t, dir)
	key := first.firstStartKey(t)
	const workers, ackTarget = 8, 200
	type ack struct{ kind, id, name string }
	var (
		mu    sync.Mutex
		acked []ack
		n     atomic.Int64
	)
	stop := make(chan struct{})
	// Each worker creates customers, and every other round an invoice of
	// that customer, finalized, until stopped or the server is gone.
	wait := testenv.Start(t, workers, func(w int) (struct{}, error) {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return struct{}{}, nil
			default:
			}
			name := fmt.Sprintf("Durable %d-%d", w, i)
			var c struct {
				ID string `json:"id"`
			}
			status, err := post(first.URL+"/v1/customers", key, map[string]any{"name": name, "external_id": name}, &c)
			if err != nil {
				return struct{}{}, nil // the server is gone: this request was never acknowledged
			}
			if status != 201 {
				return struct{}{}, fmt.Errorf("create customer: %d", status)
			}
			mu.Lock()
			acked = append(acked, ack{"customers", c.ID, name})
			mu.Unlock()
			if i%2 == 0 {
				var inv struct {
					ID     string `json:"id"`
					Number string `json:"number"`
				}
				status, err := post(first.URL+"/v1/invoices", key, map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": true,
					"items": []map[string]any{{"description": name, "quantity": 1, "unit_price": "10.00", "vat_rate": 8.1}}}, &inv)
				if err != nil {
					return struct{}{}, nil
				}
				if status != 201 {
					return struct{}{}, fmt.Errorf("create invoice: %d", status)
				}
				mu.Lock()
				acked = append(acked, ack{"invoices", inv.ID, inv.Number})
				mu.Unlock()
			}
			n.Add(1)
		}
	})
	for n.Load() < ackTarget {
		if first.exited() {
			t.Fatalf("the server exited early:\n%s", first.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.kill() // while the workers are still sending
	close(stop)
	wait()

	second := startGatewayIn(t, dir)
	if printedKey.MatchString(second.logs.String()) {
		t.Errorf("the restart on a non-empty store printed a new key:\n%s", second.logs.String())
	}
	mu.Lock()
	defer mu.Unlock()
	numbers := map[string]bool{}
	for _, a := range acked {
		resp, err := do(second.URL, "GET", "/v1/"+a.kind+"/"+a.id, key, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Number string `json:"number"`
		}
		err = json.Unmarshal(resp.body, &got)
		if resp.status != 200 || err != nil || got.ID != a.id {
			t.Errorf("acknowledged %s %s (%s) is lost after kill -9: %d %v", a.kind, a.id, a.name, resp.status, err)
			continue
		}
		if (a.kind == "customers" && got.Name != a.name) || (a.kind == "invoices" && got.Number != a.name) {
			t.Errorf("acknowledged %s %s came back as %+v, want %q", a.kind, a.id, got, a.name)
		}
		if a.kind == "invoices" {
			if numbers[got.Number] {
				t.Errorf("invoice number %s twice", got.Number)
			}
			numbers[got.Number] = true
		}
	}
	t.Logf("%d acknowledged writes (%d invoices) survived kill -9", len(acked), len(numbers))
}

// post sends a JSON POST and decodes a 2xx answer into out; a transport
// error or a body cut short is no acknowledgement.
func post(url, key string, body, out any) (int, error) {
	raw, _ := json.Marshal(body)
	r, err := do(url, "POST", "", key, raw)
	if err != nil {
		return 0, err
	}
	if r.status < 300 {
		if err := json.Unmarshal(r.body, out); err != nil {
			return 0, err
		}
	}
	return r.status, nil
}
