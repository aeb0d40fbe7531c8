// Command loadgen sends HTTP requests to a billbridge gateway from a number
// of concurrent clients for a fixed time and prints requests/s and latency
// percentiles: a text line by default, or one JSON line with -json. It is
// the load generator of bench/load.sh, bench/idem and bench/feed; it only
// ever talks to the URL it is given (loopback).
//
//	loadgen -url http://127.0.0.1:8080/v1/me -keys keys.txt -c 16 -d 10s
//	loadgen -url .../v1/customers -method POST -body '{"name":"Load %d AG"}' -idem unique
//	loadgen -url .../v1/customers/upsert -method POST -body '{"email":"c%n@x.example"}' -pool 5000 -json
//
// In the body, %d becomes a request counter (unique within a run) and %n a
// random integer in [0,pool), the same one for every %n of a request, so a
// pool of N mixes creates of new records with matches of earlier ones.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.target, "url", "", "the URL to request")
	flag.StringVar(&cfg.method, "method", "GET", "HTTP method")
	flag.StringVar(&cfg.body, "body", "", "request body; %d is replaced by a request counter, %n by a random integer in [0,pool)")
	flag.IntVar(&cfg.pool, "pool", 0, "the range of %n in the body")
	key := flag.String("key", "", "API key")
	keysFile := flag.String("keys", "", "file of API keys, one a line; each request picks one at random")
	flag.StringVar(&cfg.idem, "idem", "none", "Idempotency-Key: none, unique (a new key per request) or same (one key for all)")
	flag.IntVar(&cfg.clients, "c", 16, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "how long to measure")
	warmup := flag.Duration("warmup", 0, "run this long first without measuring")
	label := flag.String("label", "", "label printed with the result")
	asJSON := flag.Bool("json", false, "print one JSON line and exit 1 on any error or non-2xx status")
	flag.Parse()
	keys, err := loadKeys(*key, *keysFile)
	switch {
	case err != nil:
		fail(err.Error())
	case cfg.target == "" || len(keys) == 0 || keys[0] == "":
		fail("need -url and -key or -keys")
	case strings.Contains(cfg.body, "%n") && cfg.pool <= 0:
		fail("a body with %n needs -pool N > 0")
	case cfg.idem != "none" && cfg.idem != "unique" && cfg.idem != "same":
		fail("-idem must be none, unique or same")
	}
	cfg.keys = keys

	g := newGenerator(cfg)
	if *warmup > 0 {
		g.run(*warmup)
	}
	res := g.run(*duration)
	res.label = *label
	if !*asJSON {
		fmt.Println(res)
		return
	}
	if err := res.writeJSON(os.Stdout); err != nil {
		fail(err.Error())
	}
	if !res.ok() {
		os.Exit(1)
	}
}

// fail reports a usage error and exits with status 2.
func fail(msg string) {
	fmt.Fprintln(os.Stderr, "loadgen:", msg)
	os.Exit(2)
}

// loadKeys returns the API keys to use: the lines of file if it is given,
// else key alone.
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
