package main

import (
	"reflect"
	"strings"
	"testing"
)

// TestLoadConfigTLS: plain HTTP on :8080 stays the default; a domain turns
// on ACME on :443 with challenges on :80 and certificates in the data
// folder; own certificate files turn on HTTPS without ACME.
func TestLoadConfigTLS(t *testing.T) {
	c, err := LoadConfig(env(nil))
	if err != nil || c.TLS.Enabled() || c.Addr != ":8080" || c.TLS.HTTPAddr != "" || c.DatabaseURL != "sqlite:data/billbridge.db" {
		t.Fatalf("default: %+v, %v", c, err)
	}
	c, err = LoadConfig(env(map[string]string{"BILLBRIDGE_DOMAIN": "Billing.Example.ch, api.example.ch www.zürich.ch", "BILLBRIDGE_DATA_DIR": "/var/lib/billbridge"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"billing.example.ch", "api.example.ch", "www.xn--zrich-kva.ch"}
	if !reflect.DeepEqual(c.TLS.Domains, want) || !c.TLS.ACME() || c.Addr != ":443" || c.TLS.HTTPAddr != ":80" ||
		c.TLS.CacheDir != "/var/lib/billbridge/certs" || c.DatabaseURL != "sqlite:/var/lib/billbridge/billbridge.db" ||
		c.TLS.ACMEDirectory != "https://acme-v02.api.letsencrypt.org/directory" {
		t.Fatalf("with domains: %+v", c)
	}
	c, err = LoadConfig(env(map[string]string{"BILLBRIDGE_DOMAIN": "billing.example.ch", "BILLBRIDGE_ADDR": ":8443", "BILLBRIDGE_HTTP_ADDR": ":8080"}))
	if err != nil || c.Addr != ":8443" || c.TLS.HTTPAddr != ":8080" {
		t.Fatalf("explicit addresses: %+v, %v", c, err)
	}
	c, err = LoadConfig(env(map[string]string{"BILLBRIDGE_TLS_CERT": "/etc/ssl/b.pem", "BILLBRIDGE_TLS_KEY": "/etc/ssl/b.key"}))
	if err != nil || !c.TLS.Enabled() || c.TLS.ACME() || c.Addr != ":443" || c.TLS.HTTPAddr != "" {
		t.Fatalf("own certificate: %+v, %v", c, err)
	}
}

// TestLoadConfigTLSNamesTheBadVariable: each refused TLS setting stops
// start-up naming its variable.
func TestLoadConfigTLSNamesTheBadVariable(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"BILLBRIDGE_DOMAIN", map[string]string{"BILLBRIDGE_DOMAIN": "203.0.113.7"}},
		{"BILLBRIDGE_DOMAIN", map[string]string{"BILLBRIDGE_DOMAIN": "*.example.ch"}},
		{"BILLBRIDGE_DOMAIN", map[string]string{"BILLBRIDGE_DOMAIN": "localhost"}},
		{"BILLBRIDGE_DOMAIN", map[string]string{"BILLBRIDGE_DOMAIN": "billing.example.ch/v1"}},
		{"BILLBRIDGE_DOMAIN", map[string]string{"BILLBRIDGE_DOMAIN": "-bad.example.ch"}},
		{"BILLBRIDGE_TLS_CERT", map[string]string{"BILLBRIDGE_DOMAIN": "billing.example.ch", "BILLBRIDGE_TLS_CERT": "c.pem", "BILLBRIDGE_TLS_KEY": "k.pem"}},
		{"BILLBRIDGE_TLS_KEY", map[string]string{"BILLBRIDGE_TLS_CERT": "c.pem"}},
		{"BILLBRIDGE_TLS_KEY", map[string]string{"BILLBRIDGE_TLS_KEY": "k.pem"}},
		{"BILLBRIDGE_ACME_DIRECTORY", map[string]string{"BILLBRIDGE_DOMAIN": "billing.example.ch", "BILLBRIDGE_ACME_DIRECTORY": "http://acme.example/dir"}},
		{"BILLBRIDGE_HTTP_ADDR", map[string]string{"BILLBRIDGE_DOMAIN": "billing.example.ch", "BILLBRIDGE_HTTP_ADDR": "80"}},
	} {
		_, err := LoadConfig(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: error %v does not name %s", tc.env, err, tc.name)
		}
	}
}

// TestNewHTTPSNamesTheBadFile: certificate files or an ACME CA file that
// do not load stop start-up naming their variables.
func TestNewHTTPSNamesTheBadFile(t *testing.T) {
	missing := t.TempDir() + "/missing.pem"
	for name, e := range map[string]map[string]string{
		"BILLBRIDGE_TLS_CERT":     {"BILLBRIDGE_TLS_CERT": missing, "BILLBRIDGE_TLS_KEY": missing},
		"BILLBRIDGE_ACME_CA_FILE": {"BILLBRIDGE_DOMAIN": "billing.example.ch", "BILLBRIDGE_ACME_CA_FILE": missing},
	} {
		cfg, err := LoadConfig(env(e))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newHTTPS(cfg); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
}
