package billbridge

import "time"

// DuplicateSettings are an account's rules for duplicate customers.
type DuplicateSettings struct {
	AccountID string `json:"-"`
	// off: duplicates are only suggested. exact: a customer write that gives
	// two customers an identical Swiss UID merges the newer into the older
	// at once; fuzzy matches (names, emails, phones) are only ever suggested.
	AutoMerge string    `json:"auto_merge" enums:"off,exact" example:"exact"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Auto-merge modes of DuplicateSettings.
const (
	AutoMergeOff   = "off"
	AutoMergeExact = "exact"
)

// AutoMergeModes lists the auto-merge modes.
var AutoMergeModes = []string{AutoMergeOff, AutoMergeExact}

// AutoMergeable reports whether a scored pair may be merged without a
// person deciding under mode: only under exact and only on an identical
// UID. "Dupont AG" and "Dupont GmbH", or two branches, never are.
func AutoMergeable(mode string, m Match) bool {
	if mode != AutoMergeExact {
		return false
	}
	for _, r := range m.Reasons {
		if r == ReasonSameUID {
			return m.Score >= 1
		}
	}
	return false
}
