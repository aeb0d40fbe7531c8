package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheck asks the server this configuration describes, on loopback,
// for GET /healthz and fails unless it answers 200 within 5 s: the
// container image's HEALTHCHECK, which has no curl. Over HTTPS it checks
// that the server answers, not the certificate (the first may still be on
// its way from the CA).
func healthcheck(ctx context.Context, cfg Config) error {
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("BILLBRIDGE_ADDR: %w", err)
	}
	scheme, tc := "http", &tls.Config{}
	if cfg.TLS.Enabled() {
		scheme = "https"
		tc.InsecureSkipVerify = true //nolint:gosec // liveness on loopback, see above
		if cfg.TLS.ACME() {
			tc.ServerName = cfg.TLS.Domains[0]
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+net.JoinHostPort("127.0.0.1", port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: tc}}).Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %d", resp.StatusCode)
	}
	return nil
}
