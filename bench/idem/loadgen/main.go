// Command loadgen sends HTTP requests to a billbridge gateway from a number
// of concurrent clients for a fixed time and prints requests/s and latency
// percentiles. It is the load generator of the bench/idem and bench/feed
// scripts; it only ever talks to the URL it is given (loopback).
//
//	loadgen -url http://127.0.0.1:8080/v1/me -keys keys.txt -c 16 -d 10s
//	loadgen -url .../v1/customers -method POST -body '{"name":"Load AG"}' -idem unique
package main

import (
	"bufio"
	"bytes"
	"context"
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
	target := flag.String("url", "", "the URL to request")
	method := flag.String("method", "GET", "HTTP method")
	body := flag.String("body", "", "request body; %d is replaced by a request counter")
	key := flag.String("key", "", "API key")
	keysFile := flag.String("keys", "", "file of API keys, one a line; each request picks one at random")
	idem := flag.String("idem", "none", "Idempotency-Key: none, unique (a new key per request) or same (one key for all)")
	clients := flag.Int("c", 16, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "how long to send")
	flag.Parse()
	keys, err := loadKeys(*key, *keysFile)
	if err != nil || *target == "" {
		fmt.Fprintln(os.Stderr, "loadgen: need -url and -key or -keys:", err)
		os.Exit(2)
	}
	res := run(*target, *method, *body, *idem, keys, *clients, *duration)
	fmt.Println(res)
}

// loadKeys returns the API keys to use.
func loadKeys(key, file string) ([]string, error) {
	if file == "" {
		return []string{key}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k := strings.TrimSpace(sc.Text()); k != "" {
			keys = append(keys, k)
		}
	}
	return keys, sc.Err()
}

// result sums up a run.
type result struct {
	took     time.Duration
	lat      []time.Duration
	statuses map[int]int
	errors   int
}

func (r result) String() string {
	slices.Sort(r.lat)
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
	}
	return fmt.Sprintf("requests %d in %v: %.0f req/s, p50 %v, p99 %v, max %v, statuses %v, errors %d",
		len(r.lat), r.took.Round(time.Millisecond), float64(len(r.lat))/r.took.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond), r.statuses, r.errors)
}

// run sends requests from clients goroutines until d has passed.
func run(target, method, body, idem string, keys []string, clients int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	res := result{statuses: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			var lat []time.Duration
			statuses := map[int]int{}
			errs := 0
			for n := 0; ctx.Err() == nil; n++ {
				b := strings.ReplaceAll(body, "%d", fmt.Sprintf("%d-%d", c, n))
				req, _ := http.NewRequest(method, target, bytes.NewReader([]byte(b)))
				req.Header.Set("Authorization", "Bearer "+keys[rand.IntN(len(keys))])
				if b != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				switch idem {
				case "unique":
					req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d-%d-%d", start.UnixNano(), c, n))
				case "same":
					req.Header.Set("Idempotency-Key", "load-same")
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				statuses[resp.StatusCode]++
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			for k, v := range statuses {
				res.statuses[k] += v
			}
			res.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	res.took = time.Since(start)
	return res
}
