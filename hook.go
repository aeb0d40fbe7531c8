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

// MaxRedeliver is the most events one redeliver request reads; has_more
// says when more follow.
const MaxRedeliver = 1000

// Redelivery is what POST /v1/hooks/{id}/redeliver queued: the hook's
// events after after_seq, sent again through the delivery queue.
type Redelivery struct {
	AccountID string `json:"-"`
	HookID    string `json:"hook_id" example:"hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS"`
	// The seq the replay starts after, as asked.
	AfterSeq int64 `json:"after_seq" example:"1041"`
	// Deliveries queued: the events read that the hook subscribes to and has no delivery of pending.
	Queued int `json:"queued" example:"17"`
	// The seq of the last event read; pass it as after_seq while has_more is true.
	LastSeq int64 `json:"last_seq" example:"1058"`
	// More events follow after last_seq (at most 1000 are read per request).
	HasMore bool `json:"has_more" example:"false"`
}
