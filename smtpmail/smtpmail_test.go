package smtpmail_test

import (
	"context"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/smtptest"
	"billbridge/smtpmail"
)

const secret = "s3cr3t-Pa55"

func send(t *testing.T, rawURL string, tlsFrom *smtptest.Server) error {
	t.Helper()
	m, err := smtpmail.New(rawURL, "alerts@billbridge.test")
	if err != nil {
		t.Fatalf("New(%s): %v", rawURL, err)
	}
	if tlsFrom != nil {
		m.TLS = tlsFrom.RootCAs
	}
	m.HELO = "billbridge.test"
	return m.Send(context.Background(), billbridge.Mail{To: []string{"owner@dupont.ch"}, Subject: "Hook failing: Grüezi", Text: "Line one\nhttps://example.ch/x"})
}

func TestSendPlain(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	if err := send(t, "smtp://"+srv.Addr, nil); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "alerts@billbridge.test" || len(m.To) != 1 || m.To[0] != "owner@dupont.ch" {
		t.Errorf("envelope %q → %q", m.From, m.To)
	}
	if m.Subject != "Hook failing: Grüezi" || !strings.Contains(m.Body, "https://example.ch/x") {
		t.Errorf("subject %q body %q", m.Subject, m.Body)
	}
}

// A password never crosses an unencrypted connection in clear text: a
// server offering only PLAIN without STARTTLS gets no mail.
func TestSendNoPasswordInClearText(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{User: "bb", Password: secret})
	err := send(t, "smtp://bb:"+secret+"@"+srv.Addr, nil)
	if err == nil || strings.Contains(err.Error(), secret) || len(srv.Messages()) != 0 {
		t.Fatalf("error %v, %d messages: want no mail and no password", err, len(srv.Messages()))
	}
}

func TestSendAuthOverSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true, User: "bb", Password: secret})
	if err := send(t, "smtp://bb:"+secret+"@"+srv.Addr, srv); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestSendWrongPasswordNeverShowsIt(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true, User: "bb", Password: "other"})
	err := send(t, "smtp://bb:"+secret+"@"+srv.Addr, srv)
	if err == nil {
		t.Fatal("sent with a wrong password")
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "smtp://bb@127.0.0.1") {
		t.Errorf("error %q: want the server without the password", err)
	}
}

func TestSendServerDown(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	srv.Stop()
	err := send(t, "smtp://bb:"+secret+"@"+srv.Addr, nil)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("error %v: want a failure without the password", err)
	}
}

func TestSendOpportunisticUsesSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true})
	if err := send(t, "smtp://"+srv.Addr, srv); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
	// The certificate is checked: an untrusted one fails rather than falling back.
	if err := send(t, "smtp://"+srv.Addr, nil); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted certificate: %v", err)
	}
}

func TestSendRequiredTLSWithoutSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	err := send(t, "smtp://"+srv.Addr+"?tls=required", nil)
	if err == nil || !strings.Contains(err.Error(), "does not support STARTTLS") {
		t.Fatalf("error %v: want a clear STARTTLS failure", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages went out in plain text", n)
	}
	tlsSrv := smtptest.Start(t, smtptest.Options{StartTLS: true})
	if err := send(t, "smtp://"+tlsSrv.Addr+"?tls=required", tlsSrv); err != nil {
		t.Fatal(err)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Implicit: true, User: "bb", Password: secret})
	if err := send(t, "smtps://bb:"+secret+"@"+srv.Addr, srv); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestParseURL(t *testing.T) {
	good := map[string]string{
		"smtp://relay":                       "smtp://relay:587",
		"smtp://u:p@relay:25":                "smtp://u@relay:25",
		"smtp://u:p@relay:2525?tls=required": "smtp://u@relay:2525?tls=required",
		"smtps://u%40x.ch:p%3Aq@mail.x.ch":   "smtps://u%40x.ch@mail.x.ch:465",
		"smtps://mail.x.ch:4650/":            "smtps://mail.x.ch:4650",
	}
	for in, want := range good {
		s, err := smtpmail.ParseURL(in)
		if err != nil || s.String() != want {
			t.Errorf("ParseURL(%q) = %q, %v; want %q", in, s.String(), err, want)
		}
	}
	bad := []string{"", "relay:25", "http://relay", "smtp://", "smtp://relay:0", "smtp://relay:x", "smtp://relay?tls=maybe",
		"smtps://relay?tls=required", "smtp://relay?foo=1", "smtp://:pw@relay", "smtp://relay/path", "smtp://u:" + secret + "@relay:99999"}
	for _, in := range bad {
		if _, err := smtpmail.ParseURL(in); err == nil {
			t.Errorf("ParseURL(%q) accepted", in)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseURL(%q) error shows the password: %v", in, err)
		}
	}
	if _, err := smtpmail.New("smtp://relay", "not an address"); err == nil {
		t.Error("New accepted a sender that is no address")
	}
}

func FuzzParseURL(f *testing.F) {
	f.Add("smtp://u:p@relay:25?tls=required")
	f.Add("smtps://relay")
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := smtpmail.ParseURL(raw)
		if err != nil {
			return
		}
		again, err := smtpmail.ParseURL(s.String())
		if err != nil || again.String() != s.String() {
			t.Fatalf("%q → %q does not parse back: %v", raw, s.String(), err)
		}
	})
}
