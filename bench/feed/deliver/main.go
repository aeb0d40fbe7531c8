// Command deliver measures hook delivery throughput of a running gateway
// (started with BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true): it starts a local
// receiver, subscribes it to every event, makes -n customers from -c
// clients and reports how fast the events arrive. With -then, the events
// are made first and then the shell command is started (a gateway that
// drains the backlog); the rate is measured from its start, and the
// command is killed at the end.
//
//	deliver -url http://127.0.0.1:8080 -key bb_… -n 2000 -c 8 [-then 'billbridge serve']
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "gateway base URL")
	key := flag.String("key", "", "API key")
	n := flag.Int("n", 2000, "events to make and deliver")
	clients := flag.Int("c", 8, "concurrent clients making events")
	limit := flag.Duration("timeout", 5*time.Minute, "give up after")
	then := flag.String("then", "", "shell command to start once the events are made (a draining gateway)")
	flag.Parse()
	if err := run(*base, *key, *n, *clients, *limit, *then); err != nil {
		fmt.Fprintln(os.Stderr, "deliver:", err)
		os.Exit(1)
	}
}

func run(base, key string, n, clients int, limit time.Duration, then string) error {
	var mu sync.Mutex
	seen := map[string]int{}
	var last atomic.Int64
	all := make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			mu.Lock()
			seen[r.Header.Get("webhook-id")]++
			if len(seen) == n {
				last.Store(time.Now().UnixNano())
				close(all)
			}
			mu.Unlock()
		}))
	}()
	post := func(path string, body any) error {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 201 {
			out, _ := io.ReadAll(resp.Body)
			return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, out)
		}
		return nil
	}
	if err := post("/v1/hooks", map[string]any{"target_url": "http://" + ln.Addr().String() + "/hook", "events": []string{"customer.created"}}); err != nil {
		return err
	}
	start := time.Now()
	next := make(chan int)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range next {
				if err := post("/v1/customers", map[string]any{"name": fmt.Sprintf("Delivered %d AG", i)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	made := time.Since(start)
	select {
	case err := <-errs:
		return err
	default:
	}
	if then != "" {
		cmd := exec.Command("sh", "-c", "exec "+then)
		cmd.Stderr = os.Stderr
		start = time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
		mu.Lock()
		fmt.Printf("%d events made in %v, %d delivered meanwhile; draining with: %s\n", n, made.Round(time.Millisecond), len(seen), then)
		mu.Unlock()
	}
	select {
	case <-all:
	case <-time.After(limit):
		mu.Lock()
		defer mu.Unlock()
		return fmt.Errorf("only %d of %d delivered after %v", len(seen), n, limit)
	}
	took := time.Duration(last.Load() - start.UnixNano())
	dups := 0
	mu.Lock()
	for _, c := range seen {
		dups += c - 1
	}
	mu.Unlock()
	fmt.Printf("%d events made in %v (%.0f/s); all delivered %v after the start: %.0f deliveries/s, %d duplicates\n",
		n, made.Round(time.Millisecond), float64(n)/made.Seconds(), took.Round(time.Millisecond), float64(n)/took.Seconds(), dups)
	return nil
}
