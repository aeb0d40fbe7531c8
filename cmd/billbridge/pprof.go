package main

import (
	"context"
	"expvar"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// servePprof serves Go's runtime profiles (/debug/pprof/: heap, allocs,
// goroutine, profile, trace) and expvar's /debug/vars (memstats; built with
// -tags=libc.memexpvar,memory.counters also the bytes SQLite holds, which
// modernc's libc allocates outside Go's heap) on BILLBRIDGE_PPROF_ADDR
// when it is set, for
// looking into a live server's memory and CPU (bench/soak takes heap
// profiles through it). Profiles reveal the program's internals and a CPU
// profile costs time, so it is off by default and listens only on a
// loopback address (127.0.0.1:6060, [::1]:6060, localhost:6060); it returns
// what stops it.
func servePprof(ctx context.Context, cfg Config, logger *slog.Logger) (stop func(), err error) {
	if cfg.PprofAddr == "" {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	return serveBackground(ctx, "BILLBRIDGE_PPROF_ADDR", cfg.PprofAddr, mux, logger, "pprof listening")
}

// checkLoopback refuses an address whose host is not a loopback address
// or "localhost" (an empty host would listen on every interface).
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not a loopback address such as 127.0.0.1:6060: profiles must not be reachable from the network", addr)
	}
	return nil
}
