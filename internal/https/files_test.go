package https

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writePair writes a self-signed certificate for names, with serial, and
// its key, and returns the two paths.
func writePair(t *testing.T, dir string, serial int64, names ...string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

func served(t *testing.T, s *Server) *big.Int {
	t.Helper()
	c, err := s.TLSConfig.GetCertificate(&tls.ClientHelloInfo{ServerName: "billing.example.ch"})
	if err != nil {
		t.Fatal(err)
	}
	return c.Leaf.SerialNumber
}

// TestNewFilesReloadsChangedFiles: a renewed pair is served without a
// restart; a broken pair keeps the previous certificate in use.
func TestNewFilesReloadsChangedFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, 1, "billing.example.ch")
	s, err := NewFiles(certFile, keyFile, "443")
	if err != nil {
		t.Fatal(err)
	}
	if got := served(t, s); got.Int64() != 1 {
		t.Fatalf("serial %s, want 1", got)
	}
	time.Sleep(1100 * time.Millisecond) // reload looks at most once a second
	writePair(t, dir, 2, "billing.example.ch")
	later := time.Now().Add(2 * time.Second) // file systems with coarse mtimes
	_ = os.Chtimes(certFile, later, later)
	if got := served(t, s); got.Int64() != 2 {
		t.Fatalf("after renewal serial %s, want 2", got)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := os.WriteFile(keyFile, []byte("half-written"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := served(t, s); got.Int64() != 2 {
		t.Fatalf("with a broken key serial %s, want the previous 2", got)
	}
	if _, err := NewFiles(certFile, keyFile, "443"); err == nil {
		t.Fatal("NewFiles accepted a broken key")
	}
}

// TestRedirect: GET and HEAD go to the same path over HTTPS on the
// requested host when the certificate covers it, else on the first name,
// on the HTTPS listener's port when the request named a port (else the
// standard one, as behind a container's port mapping); other methods get 400.
func TestRedirect(t *testing.T) {
	certFile, keyFile := writePair(t, t.TempDir(), 1, "billing.example.ch", "*.example.org")
	for _, tc := range []struct {
		port, method, host, target string
		status                     int
		location                   string
	}{
		{"443", "GET", "billing.example.ch", "/v1/me?a=1", 308, "https://billing.example.ch/v1/me?a=1"},
		{"443", "HEAD", "api.example.org:80", "/", 308, "https://api.example.org/"},
		{"8443", "GET", "evil.example.net:8080", "/x", 308, "https://billing.example.ch:8443/x"},
		{"8443", "GET", "billing.example.ch", "/x", 308, "https://billing.example.ch/x"},
		{"443", "POST", "billing.example.ch", "/v1/customers", 400, ""},
	} {
		s, err := NewFiles(certFile, keyFile, tc.port)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(tc.method, tc.target, nil)
		r.Host = tc.host
		w := httptest.NewRecorder()
		s.HTTP.ServeHTTP(w, r)
		if w.Code != tc.status || w.Header().Get("Location") != tc.location {
			t.Errorf("%s %s%s on port %s: %d %q, want %d %q", tc.method, tc.host, tc.target, tc.port, w.Code, w.Header().Get("Location"), tc.status, tc.location)
		}
	}
}

// TestHSTS: the header goes on responses to HTTPS requests only: direct
// TLS or forwarded as HTTPS by a trusted proxy.
func TestHSTS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	forwarded := func(r *http.Request) bool { return r.Header.Get("X-Forwarded-Proto") == "https" }
	for _, tc := range []struct {
		tls, fwd bool
		want     string
	}{{false, false, ""}, {true, false, HSTSValue}, {false, true, HSTSValue}} {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if tc.fwd {
			r.Header.Set("X-Forwarded-Proto", "https")
		}
		w := httptest.NewRecorder()
		HSTS(ok, forwarded).ServeHTTP(w, r)
		if got := w.Header().Get("Strict-Transport-Security"); got != tc.want {
			t.Errorf("tls=%v forwarded=%v: %q, want %q", tc.tls, tc.fwd, got, tc.want)
		}
	}
}

// TestForwardedHTTPS: X-Forwarded-Proto counts only from a trusted proxy.
func TestForwardedHTTPS(t *testing.T) {
	fwd, err := ForwardedHTTPS([]string{"10.0.0.0/8", "192.0.2.7", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		peer, proto string
		want        bool
	}{
		{"10.1.2.3:5000", "https", true},
		{"192.0.2.7:5000", "HTTPS, http", true},
		{"[::1]:5000", "https", true},
		{"[::ffff:10.0.0.1]:5000", "https", true},
		{"10.1.2.3:5000", "http", false},
		{"10.1.2.3:5000", "", false},
		{"192.0.2.8:5000", "https", false},
		{"203.0.113.1:5000", "https", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if got := fwd(r); got != tc.want {
			t.Errorf("peer %s proto %q: %v, want %v", tc.peer, tc.proto, got, tc.want)
		}
	}
	if fwd, err := ForwardedHTTPS(nil); fwd != nil || err != nil {
		t.Errorf("no proxies: %v, %v; want nil, nil", fwd != nil, err)
	}
	if _, err := ForwardedHTTPS([]string{"proxy.example"}); err == nil {
		t.Error("a host name was accepted")
	}
}
