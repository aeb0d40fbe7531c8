package billbridge

import "time"

// Merge is the outcome of merging one customer (MergedID) into another
// (PrimaryID): the duplicate's invoices and payments moved to the primary,
// the duplicate tombstoned. The store keeps it, so a repeated merge of the
// same pair answers the same.
type Merge struct {
	AccountID string    `json:"-"`
	PrimaryID string    `json:"primary_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	MergedID  string    `json:"merged_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF"`
	Moved     Moved     `json:"moved"`
	MergedAt  time.Time `json:"merged_at"`
}

// Moved counts what a merge moved from the duplicate to the primary.
type Moved struct {
	Invoices int `json:"invoices" example:"3"`
	Payments int `json:"payments" example:"2"`
}

// Alias is a natural key a merged customer held that now reaches the
// survivor: Key is MatchedByExternalID, MatchedByCustomerNumber or
// MatchedByEmail (Value then the EmailKey).
type Alias struct {
	Key   string
	Value string
}

// MatchedByAlias is the matched_by of an upsert that found the customer by
// a natural key of a customer merged into it.
const MatchedByAlias = "alias"

// CheckMerge refuses a merge of dup into primary that would join what is
// not one customer: the same customer twice, a person and a company, two
// different Swiss UIDs (two legal entities). Both must be live customers
// of one account (the store resolves merged ids first).
func CheckMerge(primary, dup *Customer) error {
	switch {
	case primary.ID == dup.ID:
		return Invalid("duplicate_id", "is the primary customer "+primary.ID+" (or was merged into it)")
	case kindOf(primary.Kind) != kindOf(dup.Kind):
		return Invalid("duplicate_id", "is a "+kindOf(dup.Kind)+", the primary is a "+kindOf(primary.Kind)+": a person is never merged with a company")
	}
	if a, b := UIDKey(primary.VATNumber), UIDKey(dup.VATNumber); a != "" && b != "" && a != b {
		return Invalid("duplicate_id", "has UID "+b+", the primary "+a+": two legal entities")
	}
	return nil
}

// FillFrom fills primary's empty fields from dup and returns dup's natural
// keys that primary does not take over: they become aliases of primary, so
// a CRM still sending them reaches the survivor.
func FillFrom(primary, dup *Customer) []Alias {
	var aliases []Alias
	key := func(dst *string, v, key, alias string) {
		switch {
		case v == "":
		case *dst == "":
			*dst = v
		case alias != "" && alias != aliasValue(key, *dst):
			aliases = append(aliases, Alias{Key: key, Value: alias})
		}
	}
	key(&primary.ExternalID, dup.ExternalID, MatchedByExternalID, dup.ExternalID)
	key(&primary.CustomerNumber, dup.CustomerNumber, MatchedByCustomerNumber, dup.CustomerNumber)
	key(&primary.Email, dup.Email, MatchedByEmail, EmailKey(dup.Email))
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&primary.ContactPerson, dup.ContactPerson)
	fill(&primary.Phone, dup.Phone)
	fill(&primary.VATNumber, dup.VATNumber)
	fill(&primary.Language, dup.Language)
	if primary.Address == nil && dup.Address != nil {
		a := *dup.Address
		primary.Address = &a
	}
	if primary.ShippingAddress == nil && dup.ShippingAddress != nil {
		a := *dup.ShippingAddress
		primary.ShippingAddress = &a
	}
	return aliases
}

// aliasValue is how an alias of key stores v.
func aliasValue(key, v string) string {
	if key == MatchedByEmail {
		return EmailKey(v)
	}
	return v
}
