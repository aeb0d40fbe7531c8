package console

import (
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/actions"

	"github.com/gin-gonic/gin"
)

// qrBillForm is the QR-bill settings form as shown: what is stored, or
// what was sent when it failed validation. It holds the whole settings
// object, which a save replaces as PUT /v1/settings/qr-bill does.
type qrBillForm struct {
	actions.QRBillSettingsInput
	ReferenceTypes, Languages []string
}

func qrBillFormOf(in actions.QRBillSettingsInput) qrBillForm {
	if in.Language == "" {
		in.Language = "de"
	}
	return qrBillForm{QRBillSettingsInput: in, ReferenceTypes: billbridge.ReferenceTypes, Languages: billbridge.Languages}
}

// inputOf is the input that would store s again.
func inputOf(s *billbridge.QRBillSettings) actions.QRBillSettingsInput {
	a := s.Creditor.Address
	return actions.QRBillSettingsInput{IBAN: s.IBAN, EURIBAN: s.EURIBAN, ReferenceType: s.ReferenceType, QRRPrefix: s.QRRPrefix,
		Language: s.Language, BillingInformation: s.BillingInformation, VATNumber: s.VATNumber,
		Creditor: actions.CreditorInput{Name: s.Creditor.Name, Street: a.Street, BuildingNumber: a.BuildingNumber,
			PostalCode: a.PostalCode, City: a.City, Country: a.Country}}
}

// QRBill shows the account's QR-bill settings (GET /console/qr-bill), as
// GET /v1/settings/qr-bill does; an account without them gets an empty
// form to set them.
func (h *Handler) QRBill(c *gin.Context) {
	s, err := h.Store.FindQRBillSettings(c.Request.Context(), sessionOf(c).AccountID)
	var in actions.QRBillSettingsInput
	switch {
	case err == nil:
		in = inputOf(s)
	case billbridge.ErrorCode(err) != billbridge.ENOTFOUND:
		h.fail(c, "qrbill", err, qrBillFormOf(in))
		return
	}
	h.render(c, http.StatusOK, "qrbill", view{Data: qrBillFormOf(in), Notice: notice(c)})
}

// SaveQRBill replaces the QR-bill settings from the form (POST
// /console/qr-bill) with the rules of PUT /v1/settings/qr-bill.
func (h *Handler) SaveQRBill(c *gin.Context) {
	in := actions.QRBillSettingsInput{IBAN: c.PostForm("iban"), EURIBAN: c.PostForm("eur_iban"),
		ReferenceType: c.PostForm("reference_type"), QRRPrefix: c.PostForm("qrr_prefix"), Language: c.PostForm("language"),
		BillingInformation: c.PostForm("billing_information") != "", VATNumber: c.PostForm("vat_number"),
		Creditor: actions.CreditorInput{Name: c.PostForm("creditor.name"), Street: c.PostForm("creditor.street"),
			BuildingNumber: c.PostForm("creditor.building_number"), PostalCode: c.PostForm("creditor.postal_code"),
			City: c.PostForm("creditor.city"), Country: c.PostForm("creditor.country")}}
	err := validInput(&in)
	h.saveSettings(c, "qrbill", "/console/qr-bill", qrBillFormOf(in), err, func(ctx context.Context, tx billbridge.Tx, accountID string, now time.Time) error {
		s, err := in.Settings(accountID)
		if err != nil {
			return err
		}
		s.UpdatedAt = now
		return tx.SaveQRBillSettings(ctx, s)
	})
}
