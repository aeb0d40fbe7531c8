package actions

import (
	"strings"

	"billbridge"
)

// CustomerInput is the body of create and upsert customer, and the customer
// part of deal won. Strings are trimmed before validation.
type CustomerInput struct {
	Name string `json:"name" binding:"required,max=200" example:"Dupont GmbH"`
	CustomerFields
}

// CustomerPatch is the body of PATCH /v1/customers/{id}: every field optional.
type CustomerPatch struct {
	Name string `json:"name" binding:"max=200" example:"Dupont GmbH"`
	CustomerFields
}

// CustomerFields are the customer fields other than the name.
type CustomerFields struct {
	// The CRM's id of the customer: the first match key of an upsert.
	ExternalID string `json:"external_id" binding:"max=255" example:"hubspot-company-4711"`
	// Your customer number: the second match key.
	CustomerNumber string `json:"customer_number" binding:"max=64" example:"K-1001"`
	Kind           string `json:"kind" binding:"omitempty,oneof=company person" example:"company" enums:"company,person"`
	ContactPerson  string `json:"contact_person" binding:"max=200" example:"Marie Dupont"`
	// The third match key, compared trimmed and case-folded (Unicode simple
	// folding). Surrounding spaces are trimmed; "" (or only spaces) means
	// "not given", like every empty field: a stored address stays.
	// Otherwise local@domain: a dot-atom local part of at most 64 bytes (no
	// quoted local parts), a domain of two or more labels (no IP literal, no
	// trailing dot); letters of any script are allowed. Invisible characters
	// (zero-width, soft hyphen, bidi marks) and ASCII look-alikes (fullwidth
	// letters, the Kelvin sign) are refused.
	Email           string        `json:"email" binding:"omitempty,email,max=254" example:"billing@dupont.ch"`
	Phone           string        `json:"phone" binding:"max=50" example:"+41 44 123 45 67"`
	Address         *AddressInput `json:"address"`
	ShippingAddress *AddressInput `json:"shipping_address"`
	VATNumber       string        `json:"vat_number" binding:"max=50" example:"CHE-123.456.789 MWST"`
	Language        string        `json:"language" binding:"omitempty,oneof=de fr it en rm" example:"de" enums:"de,fr,it,en,rm"`
	// Days until an invoice is due, when the invoice does not say (default 30).
	PaymentTermsDays *int `json:"payment_terms_days" binding:"omitempty,min=0,max=365" example:"30"`
}

// AddressInput is a structured postal address (Swiss QR-bill type S).
type AddressInput struct {
	Street         string `json:"street" binding:"max=70" example:"Bahnhofstrasse"`
	BuildingNumber string `json:"building_number" binding:"max=16" example:"12a"`
	PostalCode     string `json:"postal_code" binding:"max=16" example:"8001"`
	City           string `json:"city" binding:"max=35" example:"Zürich"`
	Country        string `json:"country" binding:"omitempty,iso3166_1_alpha2" example:"CH"`
}

// Normalize trims every string so " Foo@Example.com " validates and matches.
func (in *CustomerInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.CustomerFields.Normalize()
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (p *CustomerPatch) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.CustomerFields.Normalize()
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *CustomerFields) Normalize() {
	for _, p := range []*string{&in.ExternalID, &in.CustomerNumber, &in.Kind, &in.ContactPerson, &in.Email, &in.Phone, &in.VATNumber, &in.Language} {
		*p = strings.TrimSpace(*p)
	}
	in.Address.Normalize()
	in.ShippingAddress.Normalize()
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (a *AddressInput) Normalize() {
	if a == nil {
		return
	}
	for _, p := range []*string{&a.Street, &a.BuildingNumber, &a.PostalCode, &a.City} {
		*p = strings.TrimSpace(*p)
	}
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
}

func (a *AddressInput) address() *billbridge.Address {
	if a == nil {
		return nil
	}
	return &billbridge.Address{Street: a.Street, BuildingNumber: a.BuildingNumber, PostalCode: a.PostalCode, City: a.City, Country: a.Country}
}

// newCustomer builds a customer from the input.
func (in *CustomerInput) newCustomer(accountID string) *billbridge.Customer {
	c := &billbridge.Customer{ID: billbridge.NewID(billbridge.PrefixCustomer), AccountID: accountID, Kind: billbridge.KindCompany, PaymentTermsDays: billbridge.DefaultPaymentTermsDays}
	in.applyTo(c)
	return c
}

// applyTo copies every field the input sets onto c; fields left empty keep
// their value, so an upsert from a CRM that knows less never erases data.
func (in *CustomerInput) applyTo(c *billbridge.Customer) {
	setString(&c.Name, in.Name)
	in.CustomerFields.applyTo(c)
}

func (p *CustomerPatch) applyTo(c *billbridge.Customer) {
	setString(&c.Name, p.Name)
	p.CustomerFields.applyTo(c)
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func (in *CustomerFields) applyTo(c *billbridge.Customer) {
	set := setString
	set(&c.ExternalID, in.ExternalID)
	set(&c.CustomerNumber, in.CustomerNumber)
	set(&c.Kind, in.Kind)
	set(&c.ContactPerson, in.ContactPerson)
	// The same address spelled differently (case, spaces) is no change: the
	// stored spelling stays, as entered first.
	if billbridge.EmailKey(in.Email) != billbridge.EmailKey(c.Email) {
		set(&c.Email, in.Email)
	}
	set(&c.Phone, in.Phone)
	set(&c.VATNumber, in.VATNumber)
	set(&c.Language, in.Language)
	if in.Address != nil {
		c.Address = in.Address.address()
	}
	if in.ShippingAddress != nil {
		c.ShippingAddress = in.ShippingAddress.address()
	}
	if in.PaymentTermsDays != nil {
		c.PaymentTermsDays = *in.PaymentTermsDays
	}
}
