package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("BILLBRIDGE_METRICS_ADDR: %w", err)
	}
	srv := &http.Server{
		Handler: routes.NewMetrics(deps), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: maxHeaderBytes,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	logger.Info("metrics listening", "addr", ln.Addr().String(), "token", cfg.MetricsToken != "")
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server stopped", "error", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
