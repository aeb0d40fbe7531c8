package actions

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// QRBillQuery chooses the format and language of a QR-bill.
type QRBillQuery struct {
	// svg, png (300 dpi), pdf (210 × 105 mm) or txt (the QR code's payload text).
	Format string `form:"format" json:"format" binding:"omitempty,oneof=svg png pdf txt" enums:"svg,png,pdf,txt" example:"pdf"`
	// The language of the texts; default: the language of the QR-bill settings.
	Lang string `form:"lang" json:"lang" binding:"omitempty,oneof=de fr it en" enums:"de,fr,it,en" example:"de"`
}

// InvoicePDFQuery chooses the language of an invoice PDF.
type InvoicePDFQuery struct {
	// The language of the invoice; default: the language of the QR-bill settings.
	Lang string `form:"lang" json:"lang" binding:"omitempty,oneof=de fr it en" enums:"de,fr,it,en" example:"de"`
}

// contentTypes of the QR-bill formats.
var contentTypes = map[string]string{
	billbridge.FormatPDF: "application/pdf",
	billbridge.FormatPNG: "image/png",
	billbridge.FormatSVG: "image/svg+xml",
	billbridge.FormatTXT: "text/plain; charset=utf-8",
}

// billOf loads what a QR-bill or invoice document of invoice id needs.
func (h *Handler) billOf(ctx context.Context, accountID, id string) (*billbridge.QRBillSettings, *billbridge.Invoice, *billbridge.Customer, error) {
	inv, err := h.Store.FindInvoice(ctx, accountID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	cust, err := h.Store.FindCustomer(ctx, accountID, inv.CustomerID)
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := qrBillSettings(ctx, h.Store, accountID)
	return s, inv, cust, err
}

// GetInvoiceQRBill returns the payment part with receipt of an invoice.
//
//	@Summary		Get an invoice's QR-bill
//	@Description	The Swiss QR-bill of an open, partially paid or overdue invoice: the payment part with receipt (210 × 105 mm) as PDF (default), SVG, PNG (300 dpi), or the QR code's payload text (txt). The amount is the amount due now; the debtor is the customer when its address is complete, blank (to be written by hand) otherwise. 409 when no bill can be made: no QR-bill settings yet, a draft, cancelled or paid invoice, or an EUR invoice and only a QR-IBAN.
//	@Tags			Invoices
//	@ID				getInvoiceQRBill
//	@Produce		application/pdf,image/svg+xml,image/png,text/plain
//	@Param			id		path	string				true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param			query	query	actions.QRBillQuery	false	"Format and language."
//	@Success		200		{file}	file				"The QR-bill in the format asked for."
//	@Header			200		{string}	Content-Disposition	"inline, with a file name such as INV-000042-qr-bill.pdf."
//	@Failure		404		{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409		{object}	routes.Problem	"No QR-bill can be made for this invoice, and why (code conflict)."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/invoices/{id}/qr-bill [get]
func (h *Handler) GetInvoiceQRBill(c *gin.Context) error {
	var q QRBillQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	s, inv, cust, err := h.billOf(ctx, acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	bill, err := billbridge.InvoiceQRBill(s, inv, cust)
	if err != nil {
		return err
	}
	format, lang := orDefault(q.Format, billbridge.FormatPDF), orDefault(q.Lang, s.Language)
	var body bytes.Buffer
	if format == billbridge.FormatTXT {
		payload, err := bill.Payload()
		if err != nil {
			return err
		}
		body.WriteString(payload)
	} else if err := h.Documents.RenderQRBill(ctx, &body, bill, lang, format, created(inv)); err != nil {
		return err
	}
	return document(c, inv.Number+"-qr-bill."+format, contentTypes[format], body.Bytes())
}

// GetInvoicePDF returns the invoice as an A4 PDF with its QR-bill.
//
//	@Summary		Get an invoice as PDF
//	@Description	The invoice on A4 in the account's language (or lang): creditor with UID, the customer's address, number and dates, the lines, VAT per rate, totals, and the QR-bill at the bottom of the last page while something is left to pay; Liberation Sans embedded. 409 for a draft, when the account has no QR-bill settings yet, or when the open invoice's QR-bill cannot be made (e.g. an EUR invoice and only a QR-IBAN).
//	@Tags			Invoices
//	@ID				getInvoicePDF
//	@Produce		application/pdf
//	@Param			id		path	string					true	"The invoice id."	example(inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD)
//	@Param			query	query	actions.InvoicePDFQuery	false	"Language."
//	@Success		200		{file}	file					"The invoice PDF."
//	@Header			200		{string}	Content-Disposition	"inline, with a file name such as INV-000042.pdf."
//	@Failure		404		{object}	routes.Problem	"No such resource in this account (code not_found)."
//	@Failure		409		{object}	routes.Problem	"The invoice is a draft, the account has no QR-bill settings, or the QR-bill cannot be made (code conflict)."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/invoices/{id}/pdf [get]
func (h *Handler) GetInvoicePDF(c *gin.Context) error {
	var q InvoicePDFQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	s, inv, cust, err := h.billOf(ctx, acct.ID, c.Param("id"))
	if err != nil {
		return err
	}
	switch {
	case inv.Number == "":
		return billbridge.Errorf(billbridge.ECONFLICT, "An invoice that was never finalized has no number and no PDF; finalize it first.")
	case s == nil:
		return billbridge.Errorf(billbridge.ECONFLICT, "The account has no QR-bill settings yet (the creditor printed on the invoice): set them with PUT /v1/settings/qr-bill.")
	}
	d := &billbridge.InvoiceDocument{Language: orDefault(q.Lang, s.Language), Creditor: s.Creditor, VATNumber: s.VATNumber,
		Invoice: inv, Customer: cust, Created: created(inv)}
	if inv.Status != billbridge.StatusCancelled && inv.AmountDueNow() > 0 {
		if d.Bill, err = billbridge.InvoiceQRBill(s, inv, cust); err != nil {
			return err
		}
	}
	var body bytes.Buffer
	if err := h.Documents.RenderInvoice(ctx, &body, d); err != nil {
		return err
	}
	return document(c, inv.Number+".pdf", contentTypes[billbridge.FormatPDF], body.Bytes())
}

// document writes a file response, inline with its file name.
func document(c *gin.Context, filename, contentType string, body []byte) error {
	c.Header("Content-Disposition", `inline; filename="`+filename+`"`)
	c.Data(http.StatusOK, contentType, body)
	return nil
}

// created dates a document: when its invoice was finalized.
func created(inv *billbridge.Invoice) time.Time {
	if inv.FinalizedAt != nil {
		return *inv.FinalizedAt
	}
	return inv.CreatedAt
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
