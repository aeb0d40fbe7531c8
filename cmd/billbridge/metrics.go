package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"billbridge/routes"
)

// maxHeaderBytes bounds a request's line and headers (net/http adds 4 KiB
// of slack); a larger request is refused with 431 before any handler runs.
// API requests carry a key and a few short headers, far below it.
const maxHeaderBytes = 16 << 10

// serveMetrics serves /metrics on BILLBRIDGE_METRICS_ADDR when it is set
// (an address the load balancer does not expose, say 127.0.0.1:9090) and
// returns what stops it; without it there is nothing to stop and /metrics
// stays on the main address. BILLBRIDGE_METRICS_TOKEN guards it either way.
func serveMetrics(ctx context.Context, cfg Config, deps routes.Deps, logger *slog.Logger) (stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	return serveBackground(ctx, "BILLBRIDGE_METRICS_ADDR", cfg.MetricsAddr, routes.NewMetrics(deps), logger,
		"metrics listening", "token", cfg.MetricsToken != "")
}

// serveBackground serves h on addr (named by the variable addrVar in
// errors) until the returned stop is called, which waits at most 5 s for
// requests in flight.
func serveBackground(ctx context.Context, addrVar, addr string, h http.Handler, logger *slog.Logger, msg string, logArgs ...any) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addrVar, err)
	}
	srv := newHTTPServer(ctx, h, logger)
	logger.Info(msg, append([]any{"addr", ln.Addr().String()}, logArgs...)...)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("server stopped", "addr", addr, "error", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// newHTTPServer is an http.Server for h with billbridge's timeouts and
// header limit, logging through logger. Requests outlive ctx: Shutdown
// lets in-flight ones finish with live contexts.
func newHTTPServer(ctx context.Context, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: maxHeaderBytes,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:    log.New(serverLog{logger}, "", 0),
	}
}

// serverLog puts net/http's own messages in the structured log: failed TLS
// handshakes (scanners, clients without SNI for another name) at Debug,
// since any host on the internet causes them, the rest at Warn.
type serverLog struct{ logger *slog.Logger }

func (s serverLog) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	level := slog.LevelWarn
	if strings.Contains(msg, "TLS handshake error") {
		level = slog.LevelDebug
	}
	s.logger.Log(context.Background(), level, msg)
	return len(p), nil
}
