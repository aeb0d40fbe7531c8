// Package qrtest reads QR-bills back in tests, with tools independent of
// the code that drew them: ZXing's Go port decodes QR codes, and poppler
// (pdftoppm, pdftotext; scripts/services.sh ensure_poppler installs it)
// turns PDFs into pixels and text.
package qrtest

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Decode reads the one QR code in img and returns its text and error
// correction level ("M"); it fails the test when there is none.
func Decode(t testing.TB, img image.Image) (text, level string) {
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

// DecodePNG decodes the PNG b and reads its one QR code's text.
func DecodePNG(t testing.TB, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := Decode(t, img)
	return text
}

// Rasterize renders every page of a PDF at 300 dpi in grey with pdftoppm
// and returns the pages in order.
func Rasterize(t testing.TB, pdf []byte) []image.Image {
	t.Helper()
	dir := t.TempDir()
	in := writePDF(t, dir, pdf)
	if out, err := exec.Command(tool(t, "pdftoppm"), "-r", "300", "-gray", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
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

// Text is the text of a PDF as pdftotext -layout extracts it, every page.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	in := writePDF(t, t.TempDir(), pdf)
	out, err := exec.Command(tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// writePDF writes pdf into dir and returns its path.
func writePDF(t testing.TB, dir string, pdf []byte) string {
	t.Helper()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return in
}

// tool finds a poppler program or fails the test saying how to get it.
func tool(t testing.TB, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed to read PDFs back: apt-get install -y poppler-utils (scripts/services.sh ensure_poppler does it)", name)
	}
	return bin
}
