package https

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// NewFiles returns a Server with the certificate chain and key in two PEM
// files. It reads them again when either file's modification time changes,
// so a renewal by certbot or another tool needs no restart; a pair that
// does not load then keeps the previous one in use. Redirects go to the
// request's host when the certificate covers it, else to the certificate's
// first name.
func NewFiles(certFile, keyFile, httpsPort string) (*Server, error) {
	f := &fileCert{certFile: certFile, keyFile: keyFile}
	if err := f.load(); err != nil {
		return nil, err
	}
	leaf := f.cert.Leaf
	fallback := ""
	for _, n := range leaf.DNSNames {
		if !strings.Contains(n, "*") {
			fallback = n
			break
		}
	}
	allowed := func(host string) bool { return f.current().Leaf.VerifyHostname(host) == nil }
	var httpSide http.Handler = redirect(allowed, fallback, httpsPort)
	if fallback == "" {
		httpSide = redirect(allowed, leaf.Subject.CommonName, httpsPort)
	}
	tc := &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			f.reload()
			return f.current(), nil
		},
	}
	return &Server{TLSConfig: tc, HTTP: httpSide}, nil
}

// fileCert is a certificate read from files, reloaded when they change.
type fileCert struct {
	certFile, keyFile string

	mu              sync.Mutex
	cert            *tls.Certificate
	certMod, keyMod time.Time
	lastCheck       time.Time
}

// load reads the pair; it fails when the files do not hold a matching
// certificate and key.
func (f *fileCert) load() error {
	cs, err := os.Stat(f.certFile)
	if err != nil {
		return err
	}
	ks, err := os.Stat(f.keyFile)
	if err != nil {
		return err
	}
	c, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
	if err != nil {
		return err
	}
	if c.Leaf == nil {
		return fmt.Errorf("%s holds no certificate", f.certFile)
	}
	f.mu.Lock()
	f.cert, f.certMod, f.keyMod = &c, cs.ModTime(), ks.ModTime()
	f.mu.Unlock()
	return nil
}

// reload loads the pair again when a file changed since the last load,
// looking at most once a second.
func (f *fileCert) reload() {
	f.mu.Lock()
	if time.Since(f.lastCheck) < time.Second {
		f.mu.Unlock()
		return
	}
	f.lastCheck = time.Now()
	certMod, keyMod := f.certMod, f.keyMod
	f.mu.Unlock()
	cs, err1 := os.Stat(f.certFile)
	ks, err2 := os.Stat(f.keyFile)
	if err1 != nil || err2 != nil || (cs.ModTime().Equal(certMod) && ks.ModTime().Equal(keyMod)) {
		return
	}
	_ = f.load() // a half-written pair keeps the previous certificate in use
}

func (f *fileCert) current() *tls.Certificate {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cert
}
