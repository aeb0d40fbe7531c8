package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDurabilityKill9 builds the real binary, runs it on the embedded
// default (SQLite under ./data, in-process cache), sends creates from
// several clients, kills the process with SIGKILL while requests are still
// in flight, restarts it on the same data directory and finds every create
// the server acknowledged before it died.
func TestDurabilityKill9(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "billbridge")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir() // the working directory: the embedded store lives in dir/data

	first := startBinary(t, bin, dir)
	key := first.apiKey(t)
	const workers, ackTarget = 8, 200
	type ack struct{ kind, id, name string }
	var (
		mu    sync.Mutex
		acked []ack
		n     atomic.Int64
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Durable %d-%d", w, i)
				var c struct {
					ID string `json:"id"`
				}
				status, err := post(client, first.url+"/v1/customers", key, map[string]any{"name": name, "external_id": name}, &c)
				if err != nil {
					return // the server is gone: this request was never acknowledged
				}
				if status != 201 {
					t.Errorf("create customer: %d", status)
					return
				}
				mu.Lock()
				acked = append(acked, ack{"customers", c.ID, name})
				mu.Unlock()
				// Every other round an invoice, finalized, of that customer too.
				if i%2 == 0 {
					var inv struct {
						ID     string `json:"id"`
						Number string `json:"number"`
					}
					status, err := post(client, first.url+"/v1/invoices", key, map[string]any{"customer_id": c.ID, "currency": "CHF", "finalize": true,
						"items": []map[string]any{{"description": name, "quantity": 1, "unit_price": "10.00", "vat_rate": 8.1}}}, &inv)
					if err != nil {
						return
					}
					if status != 201 {
						t.Errorf("create invoice: %d", status)
						return
					}
					mu.Lock()
					acked = append(acked, ack{"invoices", inv.ID, inv.Number})
					mu.Unlock()
				}
				n.Add(1)
			}
		})
	}
	for n.Load() < ackTarget {
		if first.exited() {
			t.Fatalf("the server exited early:\n%s", first.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.kill9(t) // while the workers are still sending
	close(stop)
	wg.Wait()
	if t.Failed() {
		return
	}

	second := startBinary(t, bin, dir)
	if strings.Contains(second.stdout.String(), "API key") {
		t.Errorf("the restart on a non-empty store printed a new key:\n%s", second.stdout.String())
	}
	mu.Lock()
	defer mu.Unlock()
	numbers := map[string]bool{}
	for _, a := range acked {
		req, _ := http.NewRequest("GET", second.url+"/v1/"+a.kind+"/"+a.id, nil)
		req.Header.Set("X-API-Key", key)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Number string `json:"number"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil || got.ID != a.id {
			t.Errorf("acknowledged %s %s (%s) is lost after kill -9: %d %v", a.kind, a.id, a.name, resp.StatusCode, err)
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

// post sends a JSON POST and decodes the response into out.
func post(c *http.Client, url, key string, body, out any) (int, error) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", url, bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err // a response cut short is no acknowledgement
	}
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

// running is a started billbridge process.
type running struct {
	cmd    *exec.Cmd
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{}
}

var listeningAddr = regexp.MustCompile(`"msg":"billbridge listening","addr":"([^"]+)"`)

// startBinary runs bin in dir on the embedded defaults with a free port and
// waits until /healthz answers.
func startBinary(t *testing.T, bin, dir string) *running {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BILLBRIDGE_") {
			env = append(env, kv)
		}
	}
	env = append(env, "BILLBRIDGE_ADDR=127.0.0.1:0", "BILLBRIDGE_LOG_FORMAT=json")
	r := &running{cmd: exec.Command(bin), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	r.cmd.Dir, r.cmd.Env, r.cmd.Stdout = dir, env, r.stdout
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			r.stderr.Write([]byte(line + "\n"))
			if m := listeningAddr.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		if !r.exited() {
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	select {
	case a := <-addr:
		r.url = "http://" + a
	case <-r.done:
		t.Fatalf("billbridge exited at start:\n%s", r.stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("billbridge did not start listening:\n%s", r.stderr.String())
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(r.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never answered 200: %v\n%s", err, r.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var printedKey = regexp.MustCompile(`(?m)^\s+(\S+)\s*$`)

// apiKey returns the key the first start printed.
func (r *running) apiKey(t *testing.T) string {
	t.Helper()
	m := printedKey.FindStringSubmatch(r.stdout.String())
	if m == nil {
		t.Fatalf("no API key printed on first start:\n%s", r.stdout.String())
	}
	return m[1]
}

func (r *running) exited() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// kill9 sends SIGKILL: no shutdown, no flush, no deferred close.
func (r *running) kill9(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-r.done
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
