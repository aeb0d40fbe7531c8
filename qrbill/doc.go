// Package qrbill draws Swiss QR-bills and invoices: the QR symbol of a
// payload (ISO/IEC 18004 through github.com/piglig/go-qr: error correction
// M, byte mode with ECI 26 for UTF-8, version 10 to 25, the Swiss cross
// over its centre), the payment part with receipt of the SIX Implementation
// Guidelines (IG 2.3) as SVG, PNG or PDF, and the A4 invoice with the
// QR-bill at its bottom (PDF through codeberg.org/go-pdf/fpdf), in German,
// French, Italian or English, set in Liberation Sans, which every output
// embeds or names (the TTFs are embedded in the binary; SIL OFL 1.1, see
// fonts/OFL.txt).
//
// It implements billbridge.DocumentRenderer. The payload and every rule of
// the bill come from the domain (billbridge.QRBill); this package only
// draws. One layout (slip.go) is drawn on three canvases (svg.go, png.go,
// pdf.go), so the three formats cannot drift apart.
package qrbill

import "billbridge"

// Renderer implements billbridge.DocumentRenderer.
type Renderer struct{}

var _ billbridge.DocumentRenderer = Renderer{}
