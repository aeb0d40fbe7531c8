package billbridge

import (
	"context"
	"io"
	"time"
)

// Formats of a QR-bill's payment part with receipt.
const (
	FormatSVG = "svg"
	FormatPNG = "png"
	FormatPDF = "pdf"
	FormatTXT = "txt" // the QR code's payload text
)

// QRBillFormats lists the formats GET /v1/invoices/{id}/qr-bill serves.
var QRBillFormats = []string{FormatSVG, FormatPNG, FormatPDF, FormatTXT}

// InvoiceDocument is what the PDF of an invoice shows: the creditor with its
// UID, the customer, the invoice with its lines and VAT per rate, and at the
// bottom the QR-bill (nil when nothing is left to pay), all in Language.
type InvoiceDocument struct {
	Language  string
	Creditor  Party
	VATNumber string
	Invoice   *Invoice
	Customer  *Customer
	Bill      *QRBill
	// Created dates the document (the PDF's metadata); the invoice's
	// finalization time, so that the same invoice gives the same bytes.
	Created time.Time
}

// DocumentRenderer draws QR-bills and invoices (implemented by package
// qrbill). Output is deterministic: the same input gives the same bytes.
type DocumentRenderer interface {
	// RenderQRBill writes the payment part with receipt (210 × 105 mm) of b
	// in lang as FormatSVG, FormatPNG or FormatPDF (dated created).
	RenderQRBill(ctx context.Context, w io.Writer, b *QRBill, lang, format string, created time.Time) error
	// RenderInvoice writes the A4 PDF of an invoice, its QR-bill at the bottom.
	RenderInvoice(ctx context.Context, w io.Writer, d *InvoiceDocument) error
}
