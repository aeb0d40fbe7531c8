package billbridge

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// Account is one business using billbridge. Every resource belongs to
// exactly one account and is visible only to it.
type Account struct {
	ID        string    `json:"account_id"`
	Name      string    `json:"name"`
	Timezone  string    `json:"timezone"`
	CreatedAt time.Time `json:"created_at"`
}

// Location returns the account's time zone, falling back to UTC for a zone
// name the system does not know. Zones are loaded once per process:
// time.LoadLocation reads the zone database from disk on every call, and
// this sits on the path of every invoice rendered.
func (a *Account) Location() *time.Location {
	if loc, ok := locations.Load(a.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		loc = time.UTC
	}
	locations.Store(a.Timezone, loc)
	return loc
}

// locations memoizes loaded time zones by name; a zone never changes while
// the process runs.
var locations sync.Map

// APIKeyPrefix starts every API key, so leaked keys are easy to find.
const APIKeyPrefix = "bb_"

// NewAPIKey returns a new random API key (256 bits of entropy) and its hash.
// Only the hash is ever stored; the key is shown once.
func NewAPIKey() (key, hash string) {
	key = APIKeyPrefix + randomToken()
	return key, HashAPIKey(key)
}

// randomToken returns 256 random bits, base64url without padding.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashAPIKey returns the stored form of an API key: hex SHA-256. Keys carry
// 256 random bits, so a fast hash is as safe here as a slow one.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return hex.EncodeToString(sum[:])
}
