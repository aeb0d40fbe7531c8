package billbridge

import (
	"context"
	"time"
)

// PrefixAPIKey starts the id of an API key (not the key itself, which starts
// with APIKeyPrefix).
const PrefixAPIKey = "key"

// MaxAPIKeys is the most keys one account may hold at once (keys in their
// rotation grace period count): creating or rotating past it is refused
// (422) until one is revoked.
const MaxAPIKeys = 20

// DefaultKeyRotationGrace is how long a rotated key keeps working next to
// its successor unless configured otherwise (BILLBRIDGE_KEY_ROTATION_GRACE):
// long enough to update every Zap, scenario and workflow that uses it.
const DefaultKeyRotationGrace = 24 * time.Hour

// keyPrefixLen is how many characters of a key its Prefix shows: "bb_" and
// 8 of the 43 random characters, enough to tell keys apart, far too few to
// guess the rest.
const keyPrefixLen = len(APIKeyPrefix) + 8

// APIKey is one API key of an account. Only its hash is stored; the secret
// is shown once, when the key is created or rotated.
type APIKey struct {
	ID        string `json:"id" example:"key_01JDZ8T9F2G5H8J1K4L7P0Q3RS"`
	AccountID string `json:"-"`
	Hash      string `json:"-"`
	// A name for the key, e.g. the platform that uses it.
	Label string `json:"label" example:"Zapier"`
	// The first characters of the key, to recognise it; "bb_" alone for keys made before key management.
	Prefix    string    `json:"prefix" example:"bb_Xk3fP0aQ"`
	CreatedAt time.Time `json:"created_at"`
	// When the key last authenticated a request, to the minute; null when never.
	LastUsedAt *time.Time `json:"last_used_at"`
	// When a rotated key stops working; null for a key that does not expire.
	ExpiresAt *time.Time `json:"expires_at"`
}

// NewAccountKey returns a new key of the account labelled label and its
// secret, which is shown once and never stored.
func NewAccountKey(accountID, label string, now time.Time) (*APIKey, string) {
	secret, hash := NewAPIKey()
	return &APIKey{
		ID: NewID(PrefixAPIKey), AccountID: accountID, Hash: hash,
		Label: label, Prefix: secret[:keyPrefixLen], CreatedAt: now,
	}, secret
}

// APIKeyCreated is a new key with its secret, shown only in this answer.
type APIKeyCreated struct {
	APIKey
	// The key itself, shown only in this answer (a replay of the request leaves it out: billbridge keeps only its hash). Send it as Authorization: Bearer <secret> or X-API-Key.
	Secret string `json:"secret,omitempty" example:"bb_Xk3fP0aQ7vJ2mN9sT4wY6zB1cD5eF8gH0iK3lM6nO9p"`
}

// Redacted is what an idempotency record keeps of the answer: the key
// without its secret.
func (k APIKeyCreated) Redacted() any { return k.APIKey }

// APIKeyRotated is the successor of a rotated key, with its secret, and the
// rotated key with the time it stops working.
type APIKeyRotated struct {
	APIKeyCreated
	// The rotated key: it keeps working until its expires_at.
	Rotated APIKey `json:"rotated"`
}

// Redacted is what an idempotency record keeps of the answer: both keys
// without the new secret.
func (r APIKeyRotated) Redacted() any {
	return struct {
		APIKey
		Rotated APIKey `json:"rotated"`
	}{r.APIKey, r.Rotated}
}

// CreateAPIKey adds a key labelled label to the account in tx.
func CreateAPIKey(ctx context.Context, tx Tx, accountID, label string, now time.Time) (*APIKeyCreated, error) {
	k, secret := NewAccountKey(accountID, label, now)
	if err := tx.InsertAPIKey(ctx, k, now); err != nil {
		return nil, err
	}
	return &APIKeyCreated{APIKey: *k, Secret: secret}, nil
}

// RotateAPIKey replaces the account's key id by a new one with the same
// label; the old key keeps working for grace. ECONFLICT when the key was
// already rotated (rotate its successor instead).
func RotateAPIKey(ctx context.Context, tx Tx, accountID, id string, now time.Time, grace time.Duration) (*APIKeyRotated, error) {
	old, err := tx.FindAPIKey(ctx, accountID, id)
	if err != nil {
		return nil, err
	}
	if old.ExpiresAt != nil {
		return nil, Errorf(ECONFLICT, "Key %s was already rotated and stops working at %s; rotate or revoke its successor.", id, old.ExpiresAt.Format(time.RFC3339))
	}
	created, err := CreateAPIKey(ctx, tx, accountID, old.Label, now)
	if err != nil {
		return nil, err
	}
	until := now.Add(grace)
	if err := tx.ExpireAPIKey(ctx, accountID, id, until); err != nil {
		return nil, err
	}
	old.ExpiresAt = &until
	return &APIKeyRotated{APIKeyCreated: *created, Rotated: *old}, nil
}
