package qrbill_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"billbridge"
	"billbridge/qrbill"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// decode reads the one QR code in img with ZXing's Go port, a decoder
// independent of the encoder, and returns its text and error correction level.
func decode(t *testing.T, img image.Image) (text, level string) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("gozxing finds no QR code: %v", err)
	}
	level, _ = res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return res.GetText(), level
}

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

// rasterize renders every page of a PDF at 300 dpi with poppler's pdftoppm
// and returns the pages.
func rasterize(t *testing.T, pdf []byte) []image.Image {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Fatal("pdftoppm is needed to read PDFs back: apt-get install -y poppler-utils (scripts/services.sh ensure_poppler does it)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", "300", "-gray", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	var pages []image.Image
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, img)
	}
	return pages
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
			if got, level := decode(t, img); got != payload || level != "M" {
				t.Fatalf("PNG decodes to %q at level %s, want %q at M", got, level, payload)
			}
			pdf := render(t, s.bill, s.lang, "pdf")
			validatePDF(t, pdf)
			pages := rasterize(t, pdf)
			if len(pages) != 1 {
				t.Fatalf("%d pages", len(pages))
			}
			if got, _ := decode(t, pages[0]); got != payload {
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
			pages := rasterize(t, pdf)
			if len(pages) != c.pages {
				t.Fatalf("%d pages, want %d", len(pages), c.pages)
			}
			last := pages[len(pages)-1]
			if got, _ := decode(t, last); got != payload {
				t.Fatalf("decodes to %q, want %q", got, payload)
			}
			if !bytes.Equal(pdf, renderInvoice(t, d)) {
				t.Error("the same invoice gave different bytes")
			}
		})
	}
}
