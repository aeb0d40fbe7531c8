// Package acmetest runs Pebble, Let's Encrypt's ACME test server, inside a
// test, beside a DNS server that answers 127.0.0.1 for every name: a
// billbridge on loopback then gets real certificates through real HTTP-01
// (or TLS-ALPN-01) validation, as it would from Let's Encrypt.
package acmetest

import (
	"crypto/x509"
	"encoding/pem"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"billbridge/internal/testenv"

	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// Options are where Pebble's validation authority knocks and how long the
// certificates it issues live.
type Options struct {
	// HTTPPort is the port the VA fetches HTTP-01 tokens from.
	HTTPPort int
	// TLSPort is the port of TLS-ALPN-01 validation; 0 picks a closed port,
	// so only HTTP-01 can succeed.
	TLSPort int
	// Validity is the certificates' lifetime; 0 is Pebble's 90 days.
	Validity time.Duration
}

// Pebble is a running Pebble ACME server.
type Pebble struct {
	// DirectoryURL is the ACME directory (https, on loopback).
	DirectoryURL string
	// CAFile is a PEM file with the root of the directory's own TLS
	// certificate, for BILLBRIDGE_ACME_CA_FILE.
	CAFile string

	ca  *ca.CAImpl
	log *testenv.Buffer
}

// Start runs Pebble until the test ends. It sets Pebble's environment so
// it validates at once (no random sleeps), never rejects a good nonce and
// never reuses an authorization: every order is validated again.
func Start(t testing.TB, o Options) *Pebble {
	t.Helper()
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0")
	t.Setenv("PEBBLE_AUTHZREUSE", "0")
	if o.TLSPort == 0 {
		o.TLSPort = closedPort(t)
	}
	out := &testenv.Buffer{}
	logger := log.New(out, "pebble ", log.Lmicroseconds)
	profile := ca.Profile{Description: "test", ValidityPeriod: uint64(o.Validity / time.Second)}
	store := db.NewMemoryStore()
	authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": profile})
	validator := va.New(logger, o.HTTPPort, o.TLSPort, false, startDNS(t), store)
	front := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	srv := httptest.NewUnstartedServer(front.Handler())
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		if t.Failed() {
			t.Logf("Pebble log:\n%s", out.String())
		}
	})

	caFile := filepath.Join(t.TempDir(), "pebble-directory-ca.pem")
	der := srv.Certificate().Raw
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &Pebble{DirectoryURL: srv.URL + wfe.DirectoryPath, CAFile: caFile, ca: authority, log: out}
}

// Roots holds the root of the certificates Pebble issues.
func (p *Pebble) Roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca.GetRootCert(0).Cert)
	return pool
}

// Log is what Pebble logged so far: validations, issued certificates.
func (p *Pebble) Log() string { return p.log.String() }

// startDNS serves DNS over TCP on loopback (Pebble's VA asks over TCP),
// answering every A question with 127.0.0.1, and returns its address.
func startDNS(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		for _, q := range r.Question {
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{
					Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET},
					A:   net.IPv4(127, 0, 0, 1),
				})
			}
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return ln.Addr().String()
}

// closedPort is a loopback port nothing listens on.
func closedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
