package billbridge

import (
	"sort"
	"strings"
	"time"
	"unicode"
)

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

// legalForms are dropped from company names when building a match key.
var legalForms = map[string]bool{
	"ag": true, "sa": true, "gmbh": true, "sarl": true, "sagl": true, "kg": true,
	"klg": true, "kmg": true, "genossenschaft": true, "stiftung": true, "verein": true,
	"ltd": true, "inc": true, "llc": true, "co": true,
}

var foldMap = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'à': "a", 'á': "a", 'â': "a",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ò': "o", 'ó': "o", 'ô': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ç': "c", 'ñ': "n",
	'&': " and ",
}

// NameKey returns the match key of a customer name: case-folded, umlauts
// expanded, punctuation and legal forms (GmbH, AG, Sàrl…) dropped at any
// position, tokens sorted. "Dupont GmbH", "GmbH Dupont" and " dupont  gmbh "
// share one key. It finds candidates; it never merges customers by itself.
func NameKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if s, ok := foldMap[r]; ok {
			b.WriteString(s)
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else if r != '.' && r != '\'' {
			b.WriteByte(' ')
		}
	}
	var tokens []string
	for _, t := range strings.Fields(b.String()) {
		switch {
		case legalForms[t]:
		case t == "und" || t == "et":
			tokens = append(tokens, "and")
		default:
			tokens = append(tokens, t)
		}
	}
	sort.Strings(tokens)
	return strings.Join(tokens, " ")
}

// CustomerFilter selects customers for a list or search. Empty fields do not
// filter. Q matches names (by NameKey and by substring), emails and customer
// numbers.
type CustomerFilter struct {
	Email          string
	ExternalID     string
	CustomerNumber string
	Q              string
	PageParams
}

// Match rules of an upsert, in the order they are tried.
const (
	MatchedByExternalID     = "external_id"
	MatchedByCustomerNumber = "customer_number"
	MatchedByEmail          = "email"
)
