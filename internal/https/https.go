// Package https serves billbridge over TLS: with certificates an ACME CA
// (Let's Encrypt unless told otherwise) issues and renews through autocert,
// or with certificate files the operator provides. Its plain-HTTP side
// answers ACME HTTP-01 challenges and sends everything else to HTTPS.
package https

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// LetsEncrypt is the ACME directory used when none is configured.
const LetsEncrypt = acme.LetsEncryptURL

// Server is what a TLS-serving billbridge needs: the TLS configuration of
// its HTTPS listener and the handler of its plain-HTTP listener.
type Server struct {
	// TLSConfig serves the certificates (HTTP/2 and tls-alpn-01 included).
	TLSConfig *tls.Config
	// HTTP answers ACME HTTP-01 challenges (ACME only) and redirects every
	// other GET and HEAD to the same path over HTTPS; other methods get 400,
	// so a client never re-sends a body it already sent in clear text.
	HTTP http.Handler
	// Domains are the names an ACME Server gets certificates for.
	Domains []string
}

// Obtain makes sure a certificate is at hand for every domain (from the
// cache, else from the CA), so the first client does not wait for
// issuance, and returns the certificates' expiry per domain. Renewal
// needs no call: it runs by itself, a third of the lifetime before expiry.
func (s *Server) Obtain() (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for _, d := range s.Domains {
		// The hello of a modern client, so the ECDSA certificate clients
		// will be served is the one obtained.
		c, err := s.TLSConfig.GetCertificate(&tls.ClientHelloInfo{
			ServerName:       d,
			CipherSuites:     []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
			SignatureSchemes: []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
			SupportedCurves:  []tls.CurveID{tls.CurveP256},
		})
		if err != nil {
			return out, fmt.Errorf("%s: %w", d, err)
		}
		out[d] = c.Leaf.NotAfter
	}
	return out, nil
}

// ACME configures certificates obtained and renewed automatically.
type ACME struct {
	// Domains are the names to get a certificate for; the first one is the
	// name used for handshakes without SNI and for redirects of other hosts.
	Domains []string
	// CacheDir keeps the ACME account key and the certificates (mode 0700),
	// so restarts reuse them instead of asking the CA again.
	CacheDir string
	// DirectoryURL is the CA's ACME directory; "" means LetsEncrypt.
	DirectoryURL string
	// Email is the contact address given to the CA; "" gives none.
	Email string
	// Roots are the CAs trusted for the ACME server's own TLS certificate;
	// nil trusts the system's (and the bundle compiled into the binary).
	Roots *x509.CertPool
	// HTTPSPort is the port redirects send clients to; "" or "443" is omitted.
	HTTPSPort string
}

// NewACME returns a Server whose certificates come from an ACME CA. Nothing
// is requested until the first handshake for one of Domains.
func NewACME(c ACME) (*Server, error) {
	if len(c.Domains) == 0 {
		return nil, errors.New("no domain to get a certificate for")
	}
	if c.CacheDir == "" {
		return nil, errors.New("no folder to keep certificates in")
	}
	dir := c.DirectoryURL
	if dir == "" {
		dir = LetsEncrypt
	}
	client := &acme.Client{DirectoryURL: dir, UserAgent: "billbridge"}
	if c.Roots != nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: c.Roots, MinVersion: tls.VersionTLS12}
		client.HTTPClient = &http.Client{Transport: t}
	}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(filepath.Clean(c.CacheDir)),
		HostPolicy: autocert.HostWhitelist(c.Domains...),
		Client:     client,
		Email:      c.Email,
	}
	allowed := func(host string) bool { return slices.Contains(c.Domains, host) }
	challenges := m.HTTPHandler(redirect(allowed, c.Domains[0], c.HTTPSPort))
	// autocert checks the Host header against the domains as it is; on a
	// port other than 80 it carries the port, which no domain has.
	httpSide := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, _, err := net.SplitHostPort(r.Host); err == nil && strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
			r.Host = h
		}
		challenges.ServeHTTP(w, r)
	})
	tc := m.TLSConfig()
	tc.MinVersion = tls.VersionTLS12
	first := c.Domains[0]
	tc.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if hello.ServerName == "" {
			// Clients dialling an IP address (health checks) send no SNI.
			h := *hello
			h.ServerName = first
			hello = &h
		}
		return m.GetCertificate(hello)
	}
	return &Server{TLSConfig: tc, HTTP: httpSide, Domains: c.Domains}, nil
}

// ReadRoots reads a PEM file of CA certificates.
func ReadRoots(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// redirect sends GET and HEAD to the same path over HTTPS on a host allowed
// names (fallback for any other Host header, so the redirect never points
// to a host an attacker chose), and refuses other methods with 400. A Host
// without a port came to the standard port 80 (perhaps mapped to another
// one in a container), so it goes to the standard 443; one with a port
// goes to port, the HTTPS listener's.
func redirect(allowed func(string) bool, fallback, port string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "billbridge answers on HTTPS only: use https://"+fallback+"/", http.StatusBadRequest)
			return
		}
		host, _, err := net.SplitHostPort(r.Host)
		withPort := err == nil
		if !withPort {
			host = r.Host
		}
		if !allowed(host) {
			host = fallback
		}
		if withPort && port != "" && port != "443" {
			host = net.JoinHostPort(host, port)
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}

// HSTSValue is the Strict-Transport-Security header HSTS sends: browsers
// then use HTTPS only for a year. It leaves subdomains alone, since the
// gateway is often one name under a business's own domain.
const HSTSValue = "max-age=31536000"

// HSTS adds the Strict-Transport-Security header to every response to a
// request that came over HTTPS: over TLS to this server, or through a
// proxy for which forwardedHTTPS reports it (nil: none).
func HSTS(next http.Handler, forwardedHTTPS func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil || (forwardedHTTPS != nil && forwardedHTTPS(r)) {
			w.Header().Set("Strict-Transport-Security", HSTSValue)
		}
		next.ServeHTTP(w, r)
	})
}

// ForwardedHTTPS returns what tells HSTS that a proxy received a request
// over HTTPS: the peer is one of trusted (addresses or CIDRs, as
// BILLBRIDGE_TRUSTED_PROXIES lists them) and the first X-Forwarded-Proto
// value, the scheme the client used, is https. From any other peer the
// header is ignored, since a client can send it. No trusted proxy: nil.
func ForwardedHTTPS(trusted []string) (func(*http.Request) bool, error) {
	var nets []netip.Prefix
	for _, t := range trusted {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			a, aerr := netip.ParseAddr(t)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR", t)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		nets = append(nets, p.Masked())
	}
	if len(nets) == 0 {
		return nil, nil
	}
	return func(r *http.Request) bool {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil {
			return false
		}
		ip := peer.Addr().Unmap()
		if !slices.ContainsFunc(nets, func(p netip.Prefix) bool { return p.Contains(ip) }) {
			return false
		}
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		return strings.EqualFold(strings.TrimSpace(proto), "https")
	}, nil
}
