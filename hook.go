package billbridge

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// MaxHooks is the most hooks one account may have: subscribing one more is
// refused (422) until one is deleted. It bounds the deliveries one event
// fans out to.
const MaxHooks = 100

// HookFilter selects and pages the hooks of an account, newest first.
type HookFilter struct {
	TargetURL string // only hooks delivering to this exact URL, when set
	PageParams
}

// Hook is a REST-hook subscription: events of the listed types are POSTed to
// TargetURL, signed with Secret following Standard Webhooks.
type Hook struct {
	ID        string    `json:"id"`
	AccountID string    `json:"-"`
	TargetURL string    `json:"target_url"`
	Events    []string  `json:"events"`
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Wants reports whether the hook subscribes to events of type t.
func (h *Hook) Wants(t string) bool {
	for _, e := range h.Events {
		if e == t || e == "*" {
			return true
		}
	}
	return false
}

// NewHookSecret returns a Standard Webhooks secret: "whsec_" and 32 random
// bytes in base64.
func NewHookSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// Delivery is one event owed to one hook. It is created after the
// transaction that appended the event commits (the delivery queue expands
// each event once into its hooks' deliveries) and lives until delivered,
// dropped or expired.
type Delivery struct {
	ID          string
	AccountID   string
	HookID      string
	TargetURL   string
	Secret      string
	EventID     string
	Payload     []byte // the event as JSON, signed and sent byte for byte
	Attempts    int
	NextAttempt time.Time
	CreatedAt   time.Time
}
