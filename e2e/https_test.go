package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"billbridge/internal/acmetest"
	"billbridge/internal/https"
	"billbridge/internal/testenv"
)

// domain is the name the gateway gets certificates for; Pebble's DNS and
// the test's dialer both send it to 127.0.0.1.
const domain = "billing.example.ch"

// TestAutomaticHTTPS: with BILLBRIDGE_DOMAIN the gateway gets a certificate
// from a real ACME server (Pebble) through HTTP-01 on its plain-HTTP
// port, serves the API over it with HSTS, redirects plain HTTP, keeps the
// certificate in the data folder across restarts, and renews it by itself
// before it expires.
func TestAutomaticHTTPS(t *testing.T) {
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	port, _ := strconv.Atoi(httpPort)
	// A 30 s lifetime: autocert renews a third of it before expiry.
	pebble := acmetest.Start(t, acmetest.Options{HTTPPort: port, Validity: 30 * time.Second})

	dir := t.TempDir()
	env := []string{
		"BILLBRIDGE_DOMAIN=" + domain, "BILLBRIDGE_ADDR=" + httpsAddr, "BILLBRIDGE_HTTP_ADDR=" + httpAddr,
		"BILLBRIDGE_ACME_DIRECTORY=" + pebble.DirectoryURL, "BILLBRIDGE_ACME_CA_FILE=" + pebble.CAFile,
	}
	base := "https://" + net.JoinHostPort(domain, httpsPort)
	c := domainClient(pebble.Roots())
	g := launch(t, dir, env...)
	g.URL = base
	g.waitReady(t, c, base+"/healthz", 60*time.Second)

	t.Run("issued over HTTP-01 and serves the API with HSTS", func(t *testing.T) {
		if !strings.Contains(pebble.Log(), "Attempting to validate w/ HTTP: http://"+net.JoinHostPort(domain, httpPort)) {
			t.Fatalf("Pebble did not validate over HTTP-01:\n%s", pebble.Log())
		}
		key := g.firstStartKey(t)
		req, _ := http.NewRequest("GET", base+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"account_id"`) {
			t.Fatalf("GET /v1/me over HTTPS: %d %s", resp.StatusCode, body)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != https.HSTSValue {
			t.Errorf("Strict-Transport-Security = %q, want %q", got, https.HSTSValue)
		}
		if resp.TLS.PeerCertificates[0].Subject.CommonName != domain && resp.TLS.PeerCertificates[0].VerifyHostname(domain) != nil {
			t.Errorf("certificate is not for %s", domain)
		}
	})

	t.Run("billbridge healthcheck passes over HTTPS", func(t *testing.T) {
		if out, err := healthcheck(env...); err != nil {
			t.Fatalf("healthcheck: %v: %s", err, out)
		}
	})

	t.Run("plain HTTP redirects GET and refuses writes", func(t *testing.T) {
		noFollow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noFollow.Get("http://" + httpAddr + "/v1/me?x=1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// The Host header is the loopback address, not a configured name:
		// the redirect goes to the configured domain, never to that host.
		if want := base + "/v1/me?x=1"; resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
			t.Errorf("GET over HTTP: %d Location %q, want 308 %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		resp, err = noFollow.Post("http://"+httpAddr+"/v1/customers", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST over HTTP: %d, want 400", resp.StatusCode)
		}
	})

	first := servedCert(t, httpsAddr, pebble.Roots())
	t.Run("renews before expiry without a restart", func(t *testing.T) {
		var renewed *x509.Certificate
		testenv.WaitFor(t, 90*time.Second, "a renewed certificate", func() bool {
			renewed = servedCert(t, httpsAddr, pebble.Roots())
			return renewed.SerialNumber.Cmp(first.SerialNumber) != 0
		})
		if !renewed.NotAfter.After(first.NotAfter) {
			t.Errorf("renewed certificate expires %s, not after the first's %s", renewed.NotAfter, first.NotAfter)
		}
		req, _ := http.NewRequest("GET", base+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+g.firstStartKey(t))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET /v1/me after renewal: %d", resp.StatusCode)
		}
	})

	t.Run("a restart serves the cached certificate", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join(dir, "data", "certs", domain)); err != nil {
			t.Fatalf("no certificate in the data folder: %v", err)
		}
		before := servedCert(t, httpsAddr, pebble.Roots())
		issued := strings.Count(pebble.Log(), "Issued certificate")
		g.stop()
		again := launch(t, dir, env...)
		again.URL = base
		again.waitReady(t, c, base+"/healthz", 30*time.Second)
		after := servedCert(t, httpsAddr, pebble.Roots())
		// A renewal may fall due in between; then the CA issued one more.
		if after.SerialNumber.Cmp(before.SerialNumber) != 0 && strings.Count(pebble.Log(), "Issued certificate") == issued {
			t.Errorf("restart serves serial %s, not the cached %s", after.SerialNumber, before.SerialNumber)
		}
		if after.SerialNumber.Cmp(before.SerialNumber) == 0 && strings.Count(pebble.Log(), "Issued certificate") != issued {
			t.Errorf("restart asked the CA again although a valid certificate was cached")
		}
	})
}

// domainClient is an HTTPS client that trusts roots and reaches domain on
// loopback, as a hosts entry would send it.
func domainClient(roots *x509.CertPool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, _ := net.SplitHostPort(addr)
			if host == domain {
				addr = net.JoinHostPort("127.0.0.1", port)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		DisableKeepAlives: true,
	}}
}

// servedCert is the leaf certificate the gateway at addr presents for
// domain, verified against roots.
func servedCert(t *testing.T, addr string, roots *x509.CertPool) *x509.Certificate {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr, &tls.Config{ServerName: domain, RootCAs: roots})
	if err != nil {
		t.Fatalf("TLS handshake for %s: %v", domain, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0]
}

// TestHSTSBehindTrustedProxy: behind a proxy that terminates TLS, the
// gateway sends HSTS when the proxy (a BILLBRIDGE_TRUSTED_PROXIES address)
// says the client used HTTPS, and not for plain HTTP.
func TestHSTSBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	g := startGateway(t, "BILLBRIDGE_DATABASE_URL=sqlite:"+t.TempDir()+"/b.db", "BILLBRIDGE_TRUSTED_PROXIES=127.0.0.1")
	if out, err := healthcheck("BILLBRIDGE_ADDR=" + strings.TrimPrefix(g.URL, "http://")); err != nil {
		t.Errorf("healthcheck of a live gateway: %v: %s", err, out)
	}
	if _, err := healthcheck("BILLBRIDGE_ADDR=" + freeAddr(t)); err == nil {
		t.Error("healthcheck passed with no server")
	}
	for proto, want := range map[string]string{"https": https.HSTSValue, "http": "", "": ""} {
		r, err := do(g.URL, "GET", "/healthz", "", nil, "X-Forwarded-Proto", proto)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.header.Get("Strict-Transport-Security"); got != want {
			t.Errorf("X-Forwarded-Proto %q: Strict-Transport-Security %q, want %q", proto, got, want)
		}
	}
}

// healthcheck runs `billbridge healthcheck` with env.
func healthcheck(env ...string) ([]byte, error) {
	cmd := exec.Command(binary, "healthcheck")
	cmd.Env = environ(env...)
	return cmd.CombinedOutput()
}
