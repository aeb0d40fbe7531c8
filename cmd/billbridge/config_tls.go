package main

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/net/idna"

	"billbridge/internal/https"
)

// TLSConfig says whether and how billbridge serves HTTPS itself. Without
// BILLBRIDGE_DOMAIN and BILLBRIDGE_TLS_CERT it serves plain HTTP, for local
// use and behind a proxy that terminates TLS.
type TLSConfig struct {
	Domains       []string // BILLBRIDGE_DOMAIN: names to get certificates for by ACME, comma- or space-separated
	CertFile      string   // BILLBRIDGE_TLS_CERT: PEM certificate chain of your own
	KeyFile       string   // BILLBRIDGE_TLS_KEY: its PEM private key
	HTTPAddr      string   // BILLBRIDGE_HTTP_ADDR: plain HTTP for ACME challenges and redirects (":80" with a domain)
	ACMEDirectory string   // BILLBRIDGE_ACME_DIRECTORY: the CA's ACME directory (Let's Encrypt)
	ACMECAFile    string   // BILLBRIDGE_ACME_CA_FILE: PEM roots trusted for the ACME server (private CAs)
	ACMEEmail     string   // BILLBRIDGE_ACME_EMAIL: contact address for the CA
	CacheDir      string   // DataDir/certs: ACME account key and certificates
}

// ACME reports whether certificates come from an ACME CA.
func (t TLSConfig) ACME() bool { return len(t.Domains) > 0 }

// Enabled reports whether billbridge serves HTTPS itself.
func (t TLSConfig) Enabled() bool { return t.ACME() || t.CertFile != "" }

// dnsName is a name a public CA issues for: letters, digits and hyphens in
// dot-separated labels, at least two of them.
var dnsName = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// loadTLS fills c.TLS and, when billbridge serves HTTPS and
// BILLBRIDGE_ADDR is unset, makes :443 the listen address.
func loadTLS(get func(name, def string) string, c *Config) error {
	t := TLSConfig{
		CertFile:      get("BILLBRIDGE_TLS_CERT", ""),
		KeyFile:       get("BILLBRIDGE_TLS_KEY", ""),
		ACMEDirectory: get("BILLBRIDGE_ACME_DIRECTORY", https.LetsEncrypt),
		ACMECAFile:    get("BILLBRIDGE_ACME_CA_FILE", ""),
		ACMEEmail:     get("BILLBRIDGE_ACME_EMAIL", ""),
		CacheDir:      filepath.Join(c.DataDir, "certs"),
	}
	for _, d := range strings.FieldsFunc(get("BILLBRIDGE_DOMAIN", ""), func(r rune) bool { return r == ',' || r == ' ' }) {
		name, err := idna.Lookup.ToASCII(strings.ToLower(d))
		if err != nil || !dnsName.MatchString(name) || net.ParseIP(name) != nil {
			return fmt.Errorf("BILLBRIDGE_DOMAIN: %q is not a domain name such as billing.example.ch (no IP address, no wildcard)", d)
		}
		t.Domains = append(t.Domains, name)
	}
	switch {
	case t.ACME() && t.CertFile != "":
		return fmt.Errorf("BILLBRIDGE_TLS_CERT: set it or BILLBRIDGE_DOMAIN, not both")
	case (t.CertFile == "") != (t.KeyFile == ""):
		return fmt.Errorf("BILLBRIDGE_TLS_KEY: BILLBRIDGE_TLS_CERT and BILLBRIDGE_TLS_KEY go together")
	}
	if !strings.HasPrefix(t.ACMEDirectory, "https://") {
		return fmt.Errorf("BILLBRIDGE_ACME_DIRECTORY: %q is not an https:// URL", t.ACMEDirectory)
	}
	httpDefault := ""
	if t.ACME() {
		httpDefault = ":80"
	}
	t.HTTPAddr = get("BILLBRIDGE_HTTP_ADDR", httpDefault)
	if t.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(t.HTTPAddr); err != nil {
			return fmt.Errorf("BILLBRIDGE_HTTP_ADDR: %q is not host:port such as :80", t.HTTPAddr)
		}
	}
	if t.Enabled() && get("BILLBRIDGE_ADDR", "") == "" {
		c.Addr = ":443"
	}
	c.TLS = t
	return nil
}
