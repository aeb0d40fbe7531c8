package billbridge

import "time"

// Customer is someone an account invoices. external_id (the CRM's id),
// customer_number and the normalised email are its natural keys: each is
// unique within the account when set.
type Customer struct {
	ID               string    `json:"id"`
	AccountID        string    `json:"-"`
	ExternalID       string    `json:"external_id,omitempty"`
	CustomerNumber   string    `json:"customer_number,omitempty"`
	Kind             string    `json:"kind"`
	Name             string    `json:"name"`
	ContactPerson    string    `json:"contact_person,omitempty"`
	Email            string    `json:"email,omitempty"`
	Phone            string    `json:"phone,omitempty"`
	Address          *Address  `json:"address,omitempty"`
	ShippingAddress  *Address  `json:"shipping_address,omitempty"`
	VATNumber        string    `json:"vat_number,omitempty"`
	Language         string    `json:"language,omitempty"`
	PaymentTermsDays int       `json:"payment_terms_days"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	// The Mahnsperre (read only; set with PUT /v1/customers/{id}/dunning): while true no reminder of the customer's invoices is due or may be sent.
	DunningPaused bool `json:"dunning_paused"`
	// The ids of customers merged into this one (set when read by id; they
	// answer this customer).
	MergedIDs []string `json:"merged_ids,omitempty" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KF"`
}

// Address is a postal address in the structured form the Swiss QR-bill needs.
type Address struct {
	Street         string `json:"street,omitempty"`
	BuildingNumber string `json:"building_number,omitempty"`
	PostalCode     string `json:"postal_code,omitempty"`
	City           string `json:"city,omitempty"`
	Country        string `json:"country,omitempty"`
}

// Customer kinds.
const (
	KindCompany = "company"
	KindPerson  = "person"
)

// DefaultPaymentTermsDays is used when a customer has no payment terms.
const DefaultPaymentTermsDays = 30

// CustomerFilter selects customers for a list or search. Empty fields do not
// filter. Email, ExternalID and CustomerNumber match the customer holding
// the key or the survivor of a merged customer that held it. Q matches
// names (by NameKey and by substring), emails and customer numbers.
type CustomerFilter struct {
	Email          string
	ExternalID     string
	CustomerNumber string
	Q              string
	// NameKey, when set, keeps customers whose NameKey equals it.
	NameKey string
	// UpdatedSince, when set, keeps customers changed at or after it.
	UpdatedSince time.Time
	PageParams
}

// Match rules of an upsert, in the order they are tried.
const (
	MatchedByExternalID     = "external_id"
	MatchedByCustomerNumber = "customer_number"
	MatchedByEmail          = "email"
)
