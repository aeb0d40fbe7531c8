package billbridge

import "context"

// Mail is one plain-text message to its recipients.
type Mail struct {
	To      []string
	Subject string
	Text    string
}

// Mailer sends mail (smtpmail over SMTP). Send returns only once the
// server accepted the message, or an error that never holds a password.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}
