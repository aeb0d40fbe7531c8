// Package smtpmail sends billbridge's mail over SMTP with go-mail.
//
// The server is one URL (BILLBRIDGE_SMTP_URL):
//
//	smtp://[user:pass@]host[:port]                STARTTLS when the server offers it, plain SMTP otherwise (port 587)
//	smtp://[user:pass@]host[:port]?tls=required   STARTTLS or no mail
//	smtps://[user:pass@]host[:port]               implicit TLS (port 465)
//
// User and password, when given, authenticate with the best mechanism the
// server offers. Errors and String never show the password.
package smtpmail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"billbridge"

	mail "github.com/wneessen/go-mail"
)

// Timeout bounds connecting to the server and each command.
const Timeout = 30 * time.Second

// Server is a parsed BILLBRIDGE_SMTP_URL.
type Server struct {
	Host     string
	Port     int
	Implicit bool // smtps: TLS from the first byte
	Required bool // smtp with tls=required: STARTTLS or fail
	User     string
	password string
}

// ParseURL reads an SMTP URL; the error names what is wrong but never the
// password.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, fmt.Errorf("not a URL such as smtp://user:pass@mail.example.ch:587")
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.Port, s.Implicit = 465, true
	default:
		return Server{}, fmt.Errorf("scheme %q is neither smtp nor smtps", u.Scheme)
	}
	if s.Host = u.Hostname(); s.Host == "" {
		return Server{}, fmt.Errorf("no host, e.g. smtp://mail.example.ch:587")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return Server{}, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return Server{}, fmt.Errorf("unexpected path %q", u.Path)
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return Server{}, fmt.Errorf("unknown parameter %q (only tls=required)", k)
		}
	}
	switch tlsMode := q.Get("tls"); {
	case !q.Has("tls"):
	case tlsMode == "required" && !s.Implicit:
		s.Required = true
	case tlsMode == "required":
		return Server{}, fmt.Errorf("tls=required is for smtp://; smtps:// always uses TLS")
	default:
		return Server{}, fmt.Errorf("tls=%q: only tls=required", tlsMode)
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.password, _ = u.User.Password()
		if s.User == "" {
			return Server{}, fmt.Errorf("a password without a user")
		}
	}
	return s, nil
}

// String is the URL without the password.
func (s Server) String() string {
	scheme := "smtp"
	if s.Implicit {
		scheme = "smtps"
	}
	user := ""
	if s.User != "" {
		user = url.User(s.User).String() + "@"
	}
	tail := ""
	if s.Required {
		tail = "?tls=required"
	}
	return fmt.Sprintf("%s://%s%s:%d%s", scheme, user, s.Host, s.Port, tail)
}

// Mailer sends billbridge.Mail through one SMTP server.
type Mailer struct {
	server Server
	from   string
	// TLS, when set, replaces the TLS configuration (tests trust their own
	// certificate authority with it); ServerName defaults to the host.
	TLS *tls.Config
	// HELO is the name the client greets with; "" uses the host name.
	HELO string
}

// New returns a mailer sending from from through the server at rawURL.
func New(rawURL, from string) (*Mailer, error) {
	s, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if err := mail.NewMsg().From(from); from == "" || err != nil {
		return nil, fmt.Errorf("sender %q is not a mail address", from)
	}
	return &Mailer{server: s, from: from}, nil
}

// Server is the server the mailer sends through.
func (m *Mailer) Server() Server { return m.server }

// Send delivers one message over a connection of its own.
func (m *Mailer) Send(ctx context.Context, msg billbridge.Mail) error {
	if len(msg.To) == 0 {
		return nil
	}
	out := mail.NewMsg()
	if err := out.From(m.from); err != nil {
		return fmt.Errorf("sender: %w", err)
	}
	if err := out.To(msg.To...); err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	out.Subject(msg.Subject)
	out.SetDate()
	out.SetMessageID()
	out.SetBodyString(mail.TypeTextPlain, msg.Text)
	c, err := mail.NewClient(m.server.Host, m.options()...)
	if err != nil {
		return m.fail(err)
	}
	if err := c.DialAndSendWithContext(ctx, out); err != nil {
		return m.fail(err)
	}
	return nil
}

// options are the go-mail options of the server.
func (m *Mailer) options() []mail.Option {
	tc := &tls.Config{ServerName: m.server.Host, MinVersion: tls.VersionTLS12}
	if m.TLS != nil {
		tc = m.TLS.Clone()
		if tc.ServerName == "" {
			tc.ServerName = m.server.Host
		}
	}
	opts := []mail.Option{mail.WithPort(m.server.Port), mail.WithTimeout(Timeout), mail.WithTLSConfig(tc)}
	switch {
	case m.server.Implicit:
		opts = append(opts, mail.WithSSL())
	case m.server.Required:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if m.HELO != "" {
		opts = append(opts, mail.WithHELO(m.HELO))
	}
	if m.server.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(m.server.User), mail.WithPassword(m.server.password))
	}
	return opts
}

// fail wraps a send error with the server (never its password) and makes
// sure the password does not appear in it.
func (m *Mailer) fail(err error) error {
	text := err.Error()
	if m.server.password != "" {
		text = strings.ReplaceAll(text, m.server.password, "***")
	}
	return fmt.Errorf("send mail via %s: %s", m.server, text)
}
