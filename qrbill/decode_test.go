package qrbill_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"sync"
	"testing"

	"billbridge"
	"billbridge/internal/qrtest"
	"billbridge/qrbill"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// render draws b (or the invoice d) in format and returns the bytes.
func render(t *testing.T, b *billbridge.QRBill, lang, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (qrbill.Renderer{}).RenderQRBill(context.Background(), &buf, b, lang, format, fixedTime); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func renderInvoice(t testing.TB, d *billbridge.InvoiceDocument) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (qrbill.Renderer{}).RenderInvoice(context.Background(), &buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var pdfcpuOnce sync.Once

// validatePDF checks a PDF against PDF 32000 with pdfcpu in strict mode.
func validatePDF(t *testing.T, pdf []byte) {
	t.Helper()
	pdfcpuOnce.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(pdf), conf); err != nil {
		t.Fatalf("pdfcpu: %v", err)
	}
}

// TestSlipsDecodeBack: the QR code of every sample, drawn as PNG and as PDF
// (rasterized by pdftoppm), reads back with gozxing as exactly the payload
// the domain built, at error correction level M; every PDF passes pdfcpu.
func TestSlipsDecodeBack(t *testing.T) {
	for _, s := range sampleBills() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			payload, err := s.bill.Payload()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(render(t, s.bill, s.lang, "png")))
			if err != nil {
				t.Fatal(err)
			}
			if got, level := qrtest.Decode(t, img); got != payload || level != "M" {
				t.Fatalf("PNG decodes to %q at level %s, want %q at M", got, level, payload)
			}
			pdf := render(t, s.bill, s.lang, "pdf")
			validatePDF(t, pdf)
			pages := qrtest.Rasterize(t, pdf)
			if len(pages) != 1 {
				t.Fatalf("%d pages", len(pages))
			}
			if got, _ := qrtest.Decode(t, pages[0]); got != payload {
				t.Fatalf("PDF decodes to %q, want %q", got, payload)
			}
			svg := string(render(t, s.bill, s.lang, "svg"))
			if !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, `width="210.000mm" height="105.000mm"`) {
				t.Fatalf("SVG head: %.200s", svg)
			}
		})
	}
}

// TestInvoicePDFDecodesBack: invoices of 1, 18 and 60 lines in each
// language pass pdfcpu; their last page carries the QR-bill, which reads
// back as the payload.
func TestInvoicePDFDecodesBack(t *testing.T) {
	for _, c := range []struct {
		lines int
		lang  string
		pages int
	}{{1, "de", 1}, {18, "fr", 2}, {60, "it", 3}, {5, "en", 1}} {
		t.Run(c.lang, func(t *testing.T) {
			t.Parallel()
			d := sampleDocument(c.lines, c.lang)
			payload, _ := d.Bill.Payload()
			pdf := renderInvoice(t, d)
			validatePDF(t, pdf)
			pages := qrtest.Rasterize(t, pdf)
			if len(pages) != c.pages {
				t.Fatalf("%d pages, want %d", len(pages), c.pages)
			}
			last := pages[len(pages)-1]
			if got, _ := qrtest.Decode(t, last); got != payload {
				t.Fatalf("decodes to %q, want %q", got, payload)
			}
			if !bytes.Equal(pdf, renderInvoice(t, d)) {
				t.Error("the same invoice gave different bytes")
			}
		})
	}
}
