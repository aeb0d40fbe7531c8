package qrbill

import (
	"context"
	"fmt"
	"io"
	"time"

	"billbridge"
)

// RenderQRBill writes the payment part with receipt (210 × 105 mm) of b in
// lang as SVG, PNG (300 dpi) or PDF. A bill the IG refuses is the domain's
// EINVALID error; nothing is written then.
func (Renderer) RenderQRBill(ctx context.Context, w io.Writer, b *billbridge.QRBill, lang, format string, created time.Time) error {
	s, err := newSlip(b, lang)
	if err != nil {
		return err
	}
	switch format {
	case billbridge.FormatSVG:
		return writeSVG(w, slipWidth, slipHeight, func(c canvas) { s.draw(c, 0, 0) })
	case billbridge.FormatPNG:
		return writePNG(w, slipWidth, slipHeight, func(c canvas) { s.draw(c, 0, 0) })
	case billbridge.FormatPDF:
		p := newPDF(s.t.PaymentPart+" "+b.Message, lang, created)
		p.addPage(slipWidth, slipHeight)
		s.draw(p, 0, 0)
		return p.output(w)
	}
	return fmt.Errorf("qrbill: unknown format %q", format)
}
