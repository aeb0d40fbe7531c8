package main

import (
	"strings"
	"testing"
)

func TestLoadConfigAlerts(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"BILLBRIDGE_SMTP_URL": "smtp://bb:pw@relay:2525?tls=required", "BILLBRIDGE_ALERT_FROM": "billbridge@dupont.ch"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtp://bb:pw@relay:2525?tls=required" || c.AlertFrom != "billbridge@dupont.ch" || c.PublicURL != "http://localhost:8080" {
		t.Fatalf("%+v", c)
	}
	c, err = LoadConfig(env(map[string]string{"BILLBRIDGE_DOMAIN": "billing.dupont.ch"}))
	if err != nil || c.PublicURL != "https://billing.dupont.ch" {
		t.Fatalf("public URL with a domain: %q, %v", c.PublicURL, err)
	}
	c, err = LoadConfig(env(map[string]string{"BILLBRIDGE_PUBLIC_URL": "https://bb.dupont.ch/gw/"}))
	if err != nil || c.PublicURL != "https://bb.dupont.ch/gw" {
		t.Fatalf("public URL: %q, %v", c.PublicURL, err)
	}
}

// A malformed SMTP URL stops start-up with a message naming the variable
// and never the password.
func TestLoadConfigAlertsRefused(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"BILLBRIDGE_SMTP_URL": "smtp://bb:Geheim99@relay:notaport", "BILLBRIDGE_ALERT_FROM": "a@b.ch"}, "BILLBRIDGE_SMTP_URL"},
		{map[string]string{"BILLBRIDGE_SMTP_URL": "http://bb:Geheim99@relay", "BILLBRIDGE_ALERT_FROM": "a@b.ch"}, "BILLBRIDGE_SMTP_URL"},
		{map[string]string{"BILLBRIDGE_SMTP_URL": "smtps://bb:Geheim99@relay?tls=required", "BILLBRIDGE_ALERT_FROM": "a@b.ch"}, "BILLBRIDGE_SMTP_URL"},
		{map[string]string{"BILLBRIDGE_SMTP_URL": "smtp://bb:Geheim99@relay"}, "BILLBRIDGE_ALERT_FROM"},
		{map[string]string{"BILLBRIDGE_SMTP_URL": "smtp://relay", "BILLBRIDGE_ALERT_FROM": "nobody"}, "BILLBRIDGE_ALERT_FROM"},
		{map[string]string{"BILLBRIDGE_ALERT_FROM": "a@b.ch"}, "BILLBRIDGE_SMTP_URL"},
		{map[string]string{"BILLBRIDGE_PUBLIC_URL": "ftp://x"}, "BILLBRIDGE_PUBLIC_URL"},
	} {
		_, err := LoadConfig(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.name) || strings.Contains(err.Error(), "Geheim99") {
			t.Errorf("%v: error %v; want one naming %s without the password", tc.env, err, tc.name)
		}
	}
}
