package main

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"

	"billbridge/internal/https"
)

// newHTTPS builds what serving HTTPS needs from cfg.TLS; nil when
// billbridge serves plain HTTP.
func newHTTPS(cfg Config) (*https.Server, error) {
	t := cfg.TLS
	_, port, _ := net.SplitHostPort(cfg.Addr)
	switch {
	case t.CertFile != "":
		s, err := https.NewFiles(t.CertFile, t.KeyFile, port)
		if err != nil {
			return nil, fmt.Errorf("BILLBRIDGE_TLS_CERT, BILLBRIDGE_TLS_KEY: %w", err)
		}
		return s, nil
	case t.ACME():
		var roots *x509.CertPool
		if t.ACMECAFile != "" {
			var err error
			if roots, err = https.ReadRoots(t.ACMECAFile); err != nil {
				return nil, fmt.Errorf("BILLBRIDGE_ACME_CA_FILE: %w", err)
			}
		}
		return https.NewACME(https.ACME{
			Domains: t.Domains, CacheDir: t.CacheDir, DirectoryURL: t.ACMEDirectory,
			Email: t.ACMEEmail, Roots: roots, HTTPSPort: port,
		})
	}
	return nil, nil
}

// obtainCertificates gets the ACME certificates right after start, so the
// operator sees at once in the log whether issuance works (DNS pointing
// here, port 80 or 443 reachable) and the first client does not wait.
func obtainCertificates(s *https.Server, logger *slog.Logger) {
	expiry, err := s.Obtain()
	for d, notAfter := range expiry {
		logger.Info("certificate ready", "domain", d, "expires", notAfter)
	}
	if err != nil {
		logger.Error("certificate not obtained: does the domain's DNS point to this server, and are ports 80 and 443 open? Retried on the next HTTPS request", "error", err)
	}
}
