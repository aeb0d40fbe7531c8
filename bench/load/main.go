// Command load drives a running billbridge with C concurrent clients for a
// fixed duration and prints requests/s and p50/p99 latency as one JSON line.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -key bb_… -case list -c 16 -d 20s
//
// Cases: "upsert" POSTs /v1/customers/upsert with an email drawn from a pool
// of 5,000, spelled in varying case, so the run mixes creates (201) and
// matches (200); "list" GETs /v1/invoices?status=unpaid (page 1, 25 items).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "gateway base URL")
	key := flag.String("key", "", "API key")
	which := flag.String("case", "list", "upsert or list")
	path := flag.String("path", "/v1/invoices?status=unpaid", "path of the list case")
	conc := flag.Int("c", 16, "concurrent clients")
	dur := flag.Duration("d", 20*time.Second, "how long to run")
	warm := flag.Duration("warmup", 2*time.Second, "run this long first without measuring")
	label := flag.String("label", "", "label printed with the result")
	flag.Parse()
	if *key == "" {
		fmt.Fprintln(os.Stderr, "load: -key is required")
		os.Exit(2)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conc * 2}
	client := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	request := func(rng *rand.Rand) (*http.Request, error) {
		if *which == "upsert" {
			n := rng.IntN(5000)
			email := fmt.Sprintf("customer%d@load.example", n)
			if rng.IntN(2) == 0 {
				email = " " + strings.ToUpper(email)
			}
			body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("Load Customer %d", n), "email": email, "address": map[string]any{"city": "Zürich", "country": "CH"}})
			req, err := http.NewRequest("POST", *base+"/v1/customers/upsert", bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, err
		}
		return http.NewRequest("GET", *base+*path, nil)
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		statuses  = map[int]int{}
		errs      int
	)
	run := func(until time.Time, record bool) {
		var wg sync.WaitGroup
		for w := range *conc {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
				var local []time.Duration
				localStatus := map[int]int{}
				localErr := 0
				for time.Now().Before(until) {
					req, err := request(rng)
					if err != nil {
						localErr++
						continue
					}
					req.Header.Set("Authorization", "Bearer "+*key)
					start := time.Now()
					resp, err := client.Do(req)
					if err != nil {
						localErr++
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					local = append(local, time.Since(start))
					localStatus[resp.StatusCode]++
				}
				if record {
					mu.Lock()
					latencies = append(latencies, local...)
					for s, n := range localStatus {
						statuses[s] += n
					}
					errs += localErr
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}
	run(time.Now().Add(*warm), false)
	start := time.Now()
	run(start.Add(*dur), true)
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	out := map[string]any{
		"label": *label, "case": *which, "clients": *conc, "seconds": elapsed.Seconds(),
		"requests": len(latencies), "rps": float64(len(latencies)) / elapsed.Seconds(),
		"p50_ms": pct(0.50), "p99_ms": pct(0.99), "statuses": statuses, "errors": errs,
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
	if errs > 0 || statuses[200]+statuses[201] != len(latencies) {
		os.Exit(1)
	}
}
