package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// config is what every request of a run is made from.
type config struct {
	target, method, body, idem string
	pool, clients              int
	keys                       []string
}

// generator sends the requests of a config; its counter and connections
// carry over from one run (a warm-up) to the next.
type generator struct {
	config
	client  *http.Client
	counter atomic.Int64
	stamp   string // makes -idem unique keys differ between invocations
}

func newGenerator(cfg config) *generator {
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.clients, MaxConnsPerHost: cfg.clients}
	return &generator{
		config: cfg,
		client: &http.Client{Timeout: 30 * time.Second, Transport: tr},
		stamp:  strconv.FormatInt(time.Now().UnixNano(), 10),
	}
}

// expand returns the body of request number n: %d replaced by n and every
// %n by the one random integer x.
func expand(body string, n int64, x int) string {
	if body == "" {
		return ""
	}
	b := strings.ReplaceAll(body, "%d", strconv.FormatInt(n, 10))
	return strings.ReplaceAll(b, "%n", strconv.Itoa(x))
}

// request builds the next request.
func (g *generator) request(rng *rand.Rand) (*http.Request, error) {
	n := g.counter.Add(1)
	x := 0
	if g.pool > 0 {
		x = rng.IntN(g.pool)
	}
	b := expand(g.body, n, x)
	req, err := http.NewRequest(g.method, g.target, strings.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+g.keys[rng.IntN(len(g.keys))])
	if b != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch g.idem {
	case "unique":
		req.Header.Set("Idempotency-Key", "load-"+g.stamp+"-"+strconv.FormatInt(n, 10))
	case "same":
		req.Header.Set("Idempotency-Key", "load-same")
	}
	return req, nil
}

// run sends requests from g.clients goroutines until d has passed and
// returns what they saw; requests in flight at the end are waited for.
func (g *generator) run(d time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	res := result{clients: g.clients, statuses: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range g.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
			var lat []time.Duration
			statuses := map[int]int{}
			errs := 0
			for ctx.Err() == nil {
				req, err := g.request(rng)
				if err != nil {
					errs++
					continue
				}
				t0 := time.Now()
				resp, err := g.client.Do(req)
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
	slices.Sort(res.lat)
	return res
}
