package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"billbridge/smtpmail"
)

// loadAlerts reads the alert mail settings: the SMTP server and sender
// (both or neither) and the public URL the mails link to. Errors name the
// variable and never show the SMTP password.
func loadAlerts(get func(name, def string) string, c *Config) error {
	if c.SMTPURL != "" {
		if _, err := smtpmail.ParseURL(c.SMTPURL); err != nil {
			return fmt.Errorf("BILLBRIDGE_SMTP_URL: %w", err)
		}
		if _, err := smtpmail.New(c.SMTPURL, c.AlertFrom); err != nil {
			return fmt.Errorf("BILLBRIDGE_ALERT_FROM: %q is not a mail address such as billbridge@example.ch (needed with BILLBRIDGE_SMTP_URL)", c.AlertFrom)
		}
	} else if c.AlertFrom != "" {
		return fmt.Errorf("BILLBRIDGE_SMTP_URL: not set, but BILLBRIDGE_ALERT_FROM is: alert mails need both")
	}
	c.PublicURL = strings.TrimRight(get("BILLBRIDGE_PUBLIC_URL", defaultPublicURL(*c)), "/")
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("BILLBRIDGE_PUBLIC_URL: %q is not an http(s) URL such as https://billing.example.ch", c.PublicURL)
	}
	return nil
}

// defaultPublicURL is https:// and the first BILLBRIDGE_DOMAIN, or the
// listen address on localhost.
func defaultPublicURL(c Config) string {
	if len(c.TLS.Domains) > 0 {
		return "https://" + c.TLS.Domains[0]
	}
	scheme := "http"
	if c.TLS.CertFile != "" {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
