package actions

import (
	"context"
	"strings"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// QRBillSettingsInput is the body of PUT /v1/settings/qr-bill: the whole
// settings object. Texts must stay within the QR-bill character set (IG
// 2.3 Extended Latin); nothing is replaced silently.
type QRBillSettingsInput struct {
	// The CH or LI IBAN bills are paid into; a QR-IBAN (institution id 30000–31999) needs reference_type qrr. Spaces are ignored.
	IBAN string `json:"iban" binding:"required,max=42" example:"CH44 3199 9123 0008 8901 2"`
	// The IBAN EUR bills are paid into (not a QR-IBAN: IG 2.4 allows QR references in CHF only); empty to use iban.
	EURIBAN  string        `json:"eur_iban" binding:"max=42" example:"CH58 0079 1123 0008 8901 2"`
	Creditor CreditorInput `json:"creditor" binding:"required"`
	// The payment reference invoices get at finalize: qrr (QR reference, with a QR-IBAN), scor (creditor reference RF…) or non (none). EUR invoices get scor under qrr.
	ReferenceType string `json:"reference_type" binding:"required,oneof=qrr scor non" example:"qrr" enums:"qrr,scor,non"`
	// Digits that start every QR reference, when the bank asks for a customer id (qrr only).
	QRRPrefix string `json:"qrr_prefix" binding:"max=16" example:"310014"`
	// The language of the slip and the invoice PDF (default de).
	Language string `json:"language" binding:"omitempty,oneof=de fr it en" example:"de" enums:"de,fr,it,en"`
	// Add Swico S1 billing information (invoice number, date, UID, VAT, terms) to every QR-bill.
	BillingInformation bool `json:"billing_information" example:"true"`
	// The creditor's UID, printed on the invoice and written into the billing information.
	VATNumber string `json:"vat_number" binding:"max=50" example:"CHE-106.017.086 MWST"`
}

// CreditorInput is the creditor printed on every QR-bill: name and a
// structured address (type S).
type CreditorInput struct {
	Name           string `json:"name" binding:"required,max=70" example:"Robert Schneider AG"`
	Street         string `json:"street" binding:"max=70" example:"Rue du Lac"`
	BuildingNumber string `json:"building_number" binding:"max=16" example:"1268"`
	PostalCode     string `json:"postal_code" binding:"required,max=16" example:"2501"`
	City           string `json:"city" binding:"required,max=35" example:"Biel"`
	Country        string `json:"country" binding:"required,iso3166_1_alpha2" example:"CH"`
}

// Normalize trims the strings before validation (web.BindJSON calls it).
func (in *QRBillSettingsInput) Normalize() {
	c := &in.Creditor
	for _, p := range []*string{&in.IBAN, &in.EURIBAN, &in.ReferenceType, &in.QRRPrefix, &in.Language, &in.VATNumber,
		&c.Name, &c.Street, &c.BuildingNumber, &c.PostalCode, &c.City} {
		*p = strings.TrimSpace(*p)
	}
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
}

// Settings are the account's QR-bill settings the input replaces them with,
// refused (422 naming the field) where they break a QR-bill rule. PUT
// /v1/settings/qr-bill and the console store them.
func (in *QRBillSettingsInput) Settings(accountID string) (*billbridge.QRBillSettings, error) {
	c := in.Creditor
	s := &billbridge.QRBillSettings{
		AccountID: accountID, IBAN: in.IBAN, EURIBAN: in.EURIBAN, ReferenceType: in.ReferenceType, QRRPrefix: in.QRRPrefix,
		Language: in.Language, BillingInformation: in.BillingInformation, VATNumber: in.VATNumber,
		Creditor: billbridge.Party{Name: c.Name, Address: billbridge.Address{Street: c.Street, BuildingNumber: c.BuildingNumber,
			PostalCode: c.PostalCode, City: c.City, Country: c.Country}},
	}
	s.Normalize()
	return s, s.Validate()
}

// GetQRBillSettings returns the account's QR-bill settings.
//
//	@Summary		Get the QR-bill settings
//	@Description	The account's QR-bill settings: the IBAN bills are paid into, the creditor, the kind of payment reference invoices get at finalize, the language and whether bills carry Swico billing information. 404 until they are set with PUT.
//	@Tags			Settings
//	@ID				getQRBillSettings
//	@Produce		json
//	@Success		200	{object}	billbridge.QRBillSettings	"The settings."
//	@Failure		404	{object}	routes.Problem	"The account has no QR-bill settings yet (code not_found)."
//	@Router			/v1/settings/qr-bill [get]
func (h *Handler) GetQRBillSettings(c *gin.Context) error {
	return getSettings(c, h.Store.FindQRBillSettings)
}

// PutQRBillSettings replaces the account's QR-bill settings.
//
//	@Summary		Set the QR-bill settings
//	@Description	Replaces the account's QR-bill settings with the whole object and returns it. Refused with 422 naming the field: an IBAN whose check digits fail or that is not Swiss or Liechtenstein, a QR-IBAN without reference_type qrr or qrr without a QR-IBAN, a QR-IBAN as eur_iban (EUR bills take no QR reference, IG 2.4), a qrr_prefix that is not digits, a UID with a wrong check digit, and characters outside the QR-bill character set (never replaced silently). Invoices keep the payment reference they got at finalize.
//	@Tags			Settings
//	@ID				putQRBillSettings
//	@Accept			json
//	@Produce		json
//	@Param			body	body	actions.QRBillSettingsInput	true	"The settings."
//	@Success		200	{object}	billbridge.QRBillSettings	"The settings as stored."
//	@Failure		422	{object}	routes.Problem	"A field breaks a QR-bill rule, named in invalid_params (code validation_failed)."
//	@Router			/v1/settings/qr-bill [put]
func (h *Handler) PutQRBillSettings(c *gin.Context) error {
	var in QRBillSettingsInput
	return putSettings(c, h, &in, in.Settings, func(ctx context.Context, tx billbridge.Tx, s *billbridge.QRBillSettings, now time.Time) error {
		s.UpdatedAt = now
		return tx.SaveQRBillSettings(ctx, s)
	})
}

// qrBillSettings returns the account's QR-bill settings inside tx, nil when
// it has none.
func qrBillSettings(ctx context.Context, r billbridge.Reader, accountID string) (*billbridge.QRBillSettings, error) {
	s, err := r.FindQRBillSettings(ctx, accountID)
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		return nil, nil
	}
	return s, err
}
