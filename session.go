package billbridge

import (
	"context"
	"time"
)

// SessionIdle is how long a console session lasts without a request.
const SessionIdle = 12 * time.Hour

// SessionMaxAge is how long a console session lasts at most, used or not.
const SessionMaxAge = 7 * 24 * time.Hour

// Session is a sign-in to the console, made with one of the account's API
// keys. Only the hash of its token is stored (HashAPIKey), like a key's; it
// ends when it expires, when it is signed out, and when its key stops
// working (revoked, or rotated and past its grace period).
type Session struct {
	TokenHash  string
	AccountID  string
	KeyID      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// Account is the session's account (FindSession fills it in).
	Account *Account
}

// ExpiredAt reports whether the session has expired at now: idle for
// SessionIdle, or older than SessionMaxAge.
func (s *Session) ExpiredAt(now time.Time) bool {
	return !now.Before(s.LastSeenAt.Add(SessionIdle)) || !now.Before(s.CreatedAt.Add(SessionMaxAge))
}

// NewSessionToken returns a new random session token and its hash; the
// token goes into the browser's cookie, the hash into the database.
func NewSessionToken() (token, hash string) {
	token = randomToken()
	return token, HashAPIKey(token)
}

// SessionStore keeps console sessions, shared by every gateway instance.
type SessionStore interface {
	// CreateSession signs in with the API key whose hash is keyHash: it
	// fills in s.AccountID and s.KeyID and stores s. ENOTFOUND when no key
	// with that hash works at s.CreatedAt. The account's sessions expired
	// by then are deleted on the way.
	CreateSession(ctx context.Context, s *Session, keyHash string) error
	// FindSession returns the session with Account filled in; ENOTFOUND
	// when there is none or its key no longer works at now. Expiry is left
	// to the caller (ExpiredAt).
	FindSession(ctx context.Context, tokenHash string, now time.Time) (*Session, error)
	// TouchSession records a request of the session at at.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSession ends a session; nil when it is already gone.
	DeleteSession(ctx context.Context, tokenHash string) error
}
