// Command writer changes a billbridge account at a steady rate while a load
// run polls it, and proves every poll after a write sees it (issue 11): each
// change is an upsert of a new customer with an Idempotency-Key, followed at
// once by GET /v1/events?type=customer.created&limit=1, whose newest event
// must be the new customer's or a later one, else the answer counts as
// stale. Writes are paced by the clock from several clients, so the rate
// holds while one write and its check take longer than the interval.
//
// With several -url, write k goes through url[k mod n] and its check through
// url[(k+1) mod n]: with two instances each write is read through the other.
// It runs for -d, for -n writes, or until SIGINT/SIGTERM, then prints one
// line (achieved rate, write p50/p99, checks, stale, failed) and exits 1 on
// any stale answer, non-2xx status or transport error. It only ever talks
// to the URLs it is given (loopback).
//
//	writer -url http://127.0.0.1:8080 -key KEY -rate 20 -c 8 -d 10s
//	writer -url http://127.0.0.1:8081 -url http://127.0.0.1:8082 -key KEY
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// urlList is a repeatable -url flag.
type urlList []string

func (u *urlList) String() string { return strings.Join(*u, ",") }

func (u *urlList) Set(s string) error {
	*u = append(*u, strings.TrimRight(s, "/"))
	return nil
}

func main() {
	var cfg config
	var urls urlList
	flag.Var(&urls, "url", "base URL of a billbridge instance (repeat for several: each write is checked through the next)")
	flag.StringVar(&cfg.key, "key", "", "API key")
	flag.Float64Var(&cfg.rate, "rate", 20, "writes a second")
	flag.IntVar(&cfg.clients, "c", 8, "concurrent clients (writes in flight at most)")
	flag.Int64Var(&cfg.count, "n", 0, "stop after this many writes (0: no limit)")
	d := flag.Duration("d", 0, "stop after this long (0: until SIGINT or SIGTERM)")
	label := flag.String("label", "writer", "label printed with the result")
	flag.Parse()
	cfg.urls = urls
	switch {
	case len(cfg.urls) == 0 || cfg.key == "":
		fail("need -url and -key")
	case cfg.rate <= 0 || cfg.clients <= 0:
		fail("-rate and -c must be positive")
	}
	cfg.stamp = strconv.FormatInt(time.Now().UnixNano(), 36)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *d)
		defer cancel()
	}
	res := newWriter(cfg).run(ctx)
	fmt.Printf("%s: %s\n", *label, res)
	if !res.ok() {
		if res.firstErr != "" {
			fmt.Fprintf(os.Stderr, "%s: first failure: %s\n", *label, res.firstErr)
		}
		os.Exit(1)
	}
}

// fail reports a usage error and exits with status 2.
func fail(msg string) {
	fmt.Fprintln(os.Stderr, "writer:", msg)
	os.Exit(2)
}
